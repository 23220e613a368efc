import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { E2E_DATABASE, E2E_EVIDENCE_DIR, E2E_SERVER_LOG } from "../../playwright.config";
import { bytesOfSize, htmlNamedPdf, tinyJpeg, tinyPdf, tinyPng } from "../helpers/evidence";
import { E2E_ADMIN, E2E_ASSESSOR } from "./support/accounts";
import { withDatabaseOf } from "./support/database";
import { expectAccessible, setServerClockOffset, signIn, signOut, signUp, uniqueEmail } from "./support/helpers";
import { DAY, PASSWORD, addQualification, date, fillInsurance, randomDbsNumber, recordDbs } from "./support/entry";

/**
 * Every file under the e2e server's evidence directory, including half-received uploads, plus
 * the evidence kept in the database (PostgreSQL keeps it there, ADR 0022).
 */
async function evidenceFilesStored(): Promise<number> {
  const onDisk = fs.existsSync(E2E_EVIDENCE_DIR) ? fs.readdirSync(E2E_EVIDENCE_DIR, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length : 0;
  const inDatabase = await withDatabaseOf(E2E_DATABASE, async (db) => Number((await db.selectFrom("evidence_blob").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n));
  return onDisk + inDatabase;
}

function section(page: Page, name: string) {
  return page.getByRole("region", { name });
}

test.describe("entry requirements", () => {
  test.afterEach(async ({ page }) => {
    await setServerClockOffset(page, 0);
  });

  test("a trainer's three requirements are rejected, corrected, verified and decided, and the trainer sees all three verified", async ({ page }) => {
    const dbsNumber = randomDbsNumber();
    const trainer = { name: "Morgan Ellis", email: uniqueEmail(), password: PASSWORD };
    await signUp(page, trainer);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Entry requirements" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Entry requirements" })).toBeVisible();
    await expect(section(page, "Qualifications").locator(".status").first()).toHaveText("Missing");
    await expectAccessible(page);

    // Qualification, with its certificate.
    await addQualification(page);
    await expectAccessible(page);
    await page.getByRole("button", { name: "Submit for verification" }).click();
    await expect(page.getByRole("status")).toContainText("Your qualification has been submitted");
    await expect(section(page, "Qualifications").locator(".requirement__head .status")).toHaveText("Submitted: awaiting verification");

    // Insurance, with the wrong document.
    await fillInsurance(page, "Example Mutual", { name: "schedule.png", mimeType: "image/png", buffer: tinyPng() });
    await expectAccessible(page);
    await page.getByRole("button", { name: "Submit for verification" }).click();
    await expect(page.getByRole("status")).toContainText("Your insurance has been submitted");

    // Enhanced DBS: details only. An empty form says what each field needs.
    await page.goto("/requirements/dbs");
    await page.getByRole("button", { name: "Record my DBS details" }).click();
    await expect(page.locator("#field-certificateNumber-error")).toContainText("12-digit certificate number");
    await expect(page.locator("#field-workforce-error")).toContainText("workforce");
    await expect(page.locator("#field-willShowOriginal-error")).toContainText("original certificate");
    await expectAccessible(page);
    await recordDbs(page, dbsNumber);
    await expectAccessible(page);
    await page.getByRole("button", { name: "Record my DBS details" }).click();
    await expect(page.getByRole("status")).toContainText("Your DBS details have been recorded");
    await expect(section(page, "Enhanced DBS check").locator(".requirement__head .status")).toHaveText("Submitted: awaiting verification");
    expect(await page.content()).not.toContain(dbsNumber);
    await expectAccessible(page);
    await signOut(page);

    // The assessor rejects the insurance with a reason and accepts the qualification.
    await signIn(page, E2E_ASSESSOR.email, E2E_ASSESSOR.password);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Verification queue" }).click();
    await expectAccessible(page);
    await page.getByLabel("Show").selectOption("insurance");
    await page.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/kind=insurance/);
    await page.getByRole("link", { name: new RegExp(`review insurance for ${trainer.name}`) }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Insurance for ${trainer.name}`);
    await expect(page.getByText("£5,000,000")).toBeVisible();
    await expectAccessible(page);
    await page.getByRole("button", { name: "Reject" }).click();
    await expect(page.locator("#field-reason-error")).toContainText("Give the reason for rejecting");
    await expectAccessible(page);
    await page.getByLabel("Reason for rejecting").fill("The schedule you uploaded is for a different policy number. Upload the schedule for PT-778899.");
    await page.getByRole("button", { name: "Reject" }).click();
    await expect(page.getByRole("status")).toContainText("Your decision has been recorded");
    await page.goto("/assessor/verification?kind=qualification");
    await page.getByRole("link", { name: new RegExp(`review qualification for ${trainer.name}`) }).click();
    await expect(page.getByText("603/2791/3")).toBeVisible();
    expect(await page.content()).not.toContain(dbsNumber);
    await page.getByRole("button", { name: "Accept" }).click();
    await expect(page.getByRole("status")).toContainText("Your decision has been recorded");
    await signOut(page);

    // The trainer sees the reason and corrects the insurance.
    await signIn(page, trainer.email, trainer.password);
    await page.goto("/requirements");
    const insurance = section(page, "Insurance");
    await expect(insurance.locator(".requirement__head .status")).toHaveText("Rejected");
    await expect(insurance.getByText("different policy number").first()).toBeVisible();
    await expect(section(page, "Qualifications").locator(".requirement__head .status")).toHaveText("Verified");
    await expectAccessible(page);
    await page.getByRole("link", { name: "Submit a new or corrected policy" }).click();
    await fillInsurance(page, "Example Mutual", { name: "correct-schedule.pdf", mimeType: "application/pdf", buffer: tinyPdf() });
    await page.getByRole("button", { name: "Submit for verification" }).click();
    await expect(section(page, "Insurance").locator(".requirement__head .status")).toHaveText("Submitted: awaiting verification");
    await signOut(page);

    // The assessor accepts the corrected policy.
    await signIn(page, E2E_ASSESSOR.email, E2E_ASSESSOR.password);
    await page.goto("/assessor/verification?kind=insurance");
    await page.getByRole("link", { name: new RegExp(`review insurance for ${trainer.name}`) }).click();
    await expect(page.getByRole("link", { name: /correct-schedule\.pdf/ })).toBeVisible();
    await page.getByRole("button", { name: "Accept" }).click();
    await expect(page.getByRole("status")).toContainText("Your decision has been recorded");
    await signOut(page);

    // The admin records the DBS decision.
    await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "DBS checks" }).click();
    await expectAccessible(page);
    expect(await page.content()).not.toContain(dbsNumber);
    await page.getByRole("link", { name: `Open record for ${trainer.name}` }).click();
    await expect(page.getByText(dbsNumber)).toBeVisible();
    await expectAccessible(page);
    await page.getByRole("button", { name: "Record decision" }).click();
    await expect(page.locator("#field-decision-error")).toContainText("Choose suitable");
    await page.getByRole("radio", { name: "Suitable", exact: true }).check();
    await page.getByLabel("Date the original certificate was seen").fill(date(0));
    await page.getByLabel("Seen by").selectOption({ label: `${E2E_ASSESSOR.name} (assessor)` });
    await page.getByRole("button", { name: "Record decision" }).click();
    await expect(page.getByRole("status")).toContainText("The decision has been recorded");
    await expect(page.getByText(`by ${E2E_ASSESSOR.name}`)).toBeVisible();
    await expectAccessible(page);

    // The audit trail has every decision and every DBS view, and never the number.
    await page.goto("/admin/audit");
    const audit = page.locator("tbody");
    for (const action of ["qualification.verified", "insurance.rejected", "insurance.verified", "dbs.viewed", "dbs.decision_recorded"]) {
      await expect(audit.getByText(action, { exact: true }).first()).toBeVisible();
    }
    expect(await page.content()).not.toContain(dbsNumber);
    await page.goto("/admin/policy");
    await expect(page.getByLabel("Minimum public liability cover (£)")).toHaveValue("5,000,000");
    await expectAccessible(page);
    await signOut(page);

    // The trainer sees all three verified.
    await signIn(page, trainer.email, trainer.password);
    await page.goto("/requirements");
    for (const name of ["Qualifications", "Insurance", "Enhanced DBS check"]) {
      await expect(section(page, name).locator(".requirement__head .status")).toHaveText("Verified");
    }
    expect(await page.content()).not.toContain(dbsNumber);
    await expectAccessible(page);

    // Time passes: the insurance nears its end date, then lapses, and the status says so the same day.
    await setServerClockOffset(page, 285 * DAY);
    await signIn(page, trainer.email, trainer.password);
    await page.goto("/requirements");
    await expect(section(page, "Insurance").locator(".requirement__head .status")).toHaveText("Expiring soon");
    await setServerClockOffset(page, 302 * DAY);
    await signIn(page, trainer.email, trainer.password);
    await page.goto("/requirements");
    await expect(section(page, "Insurance").locator(".requirement__head .status")).toHaveText("Expired");
    await expect(section(page, "Qualifications").locator(".requirement__head .status")).toHaveText("Verified");
    await expectAccessible(page);

    // Nowhere else: not in the server's log, not in the audit details, not in any email.
    const log = fs.readFileSync(E2E_SERVER_LOG, "utf8");
    expect(log).not.toContain(dbsNumber);
    await withDatabaseOf(E2E_DATABASE, async (db) => {
      const audited = await db.selectFrom("audit_event").select(["action", "details"]).execute();
      expect(JSON.stringify(audited)).not.toContain(dbsNumber);
      expect(audited.filter((r) => r.action === "dbs.viewed").length).toBeGreaterThanOrEqual(1);
      const emails = await db.selectFrom("email_outbox").select(["subject", "body_text"]).execute();
      expect(JSON.stringify(emails)).not.toContain(dbsNumber);
    });
  });

  test("evidence goes only to its owner and staff, as a sandboxed attachment; trainers see no DBS pages", async ({ browser }) => {
    const ownerContext = await browser.newContext();
    const owner = await ownerContext.newPage();
    await signUp(owner, { name: "Olu Owner", email: uniqueEmail(), password: PASSWORD });
    await addQualification(owner, { name: "my certificate.jpg", mimeType: "image/jpeg", buffer: tinyJpeg() });
    await owner.getByRole("button", { name: "Submit for verification" }).click();
    const href = await section(owner, "Qualifications").getByRole("link", { name: /my certificate/ }).getAttribute("href");
    expect(href).toMatch(/^\/evidence\/[A-Za-z0-9_-]+$/);

    const mine = await owner.request.get(href!);
    expect(mine.status()).toBe(200);
    expect(mine.headers()["content-disposition"]).toMatch(/^attachment; filename="my certificate\.jpg"/);
    expect(mine.headers()["x-content-type-options"]).toBe("nosniff");
    expect(mine.headers()["content-security-policy"]).toContain("sandbox");
    expect(mine.headers()["content-type"]).toBe("image/jpeg");
    expect(Buffer.from(await mine.body()).equals(tinyJpeg())).toBe(true);

    const otherContext = await browser.newContext();
    const other = await otherContext.newPage();
    await signUp(other, { name: "Nia Nosy", email: uniqueEmail(), password: PASSWORD });
    const theirs = await other.request.get(href!);
    expect(theirs.status()).toBe(403);
    expect(await theirs.text()).not.toContain("%PDF");
    for (const path of ["/admin/dbs", "/admin/dbs/1", "/admin/policy", "/assessor/verification", "/assessor/verification/qualification/1"]) {
      expect((await other.request.get(path)).status(), path).toBe(403);
    }
    await other.goto("/admin/dbs/1");
    await expect(other.getByRole("heading", { level: 1 })).toHaveText("You do not have access to this page");
    await expectAccessible(other);
    // No file can be sent as a DBS "certificate": the form has no upload and the action refuses multipart.
    const upload = await other.request.post("/requirements/dbs", { multipart: { certificateNumber: "123456789012", scan: { name: "dbs.pdf", mimeType: "application/pdf", buffer: tinyPdf() } } });
    expect(upload.status()).toBe(415);

    const staffContext = await browser.newContext();
    const assessor = await staffContext.newPage();
    await signIn(assessor, E2E_ASSESSOR.email, E2E_ASSESSOR.password);
    expect((await assessor.request.get(href!)).status()).toBe(200);
    await Promise.all([ownerContext.close(), otherContext.close(), staffContext.close()]);
  });

  test("an HTML file named .pdf, an empty file and an 11 MB file are refused with a message and leave no file on disk", async ({ page }) => {
    await signUp(page, { name: "Billie Bad-Files", email: uniqueEmail(), password: PASSWORD });
    const before = await evidenceFilesStored();

    await addQualification(page, { name: "certificate.pdf", mimeType: "application/pdf", buffer: htmlNamedPdf() });
    await page.getByRole("button", { name: "Submit for verification" }).click();
    await expect(page.locator("#field-evidence-error")).toContainText("not a PDF, PNG or JPEG");
    await expect(page.getByRole("alert")).toContainText("Nothing was saved");
    await expectAccessible(page);
    expect(await evidenceFilesStored()).toBe(before);

    await addQualification(page, { name: "empty.pdf", mimeType: "application/pdf", buffer: Buffer.alloc(0) });
    await page.getByRole("button", { name: "Submit for verification" }).click();
    await expect(page.locator("#field-evidence-error")).toContainText("empty");
    expect(await evidenceFilesStored()).toBe(before);

    await addQualification(page, { name: "huge.pdf", mimeType: "application/pdf", buffer: bytesOfSize(11 * 1024 * 1024) });
    await page.getByRole("button", { name: "Submit for verification" }).click();
    await expect(page.locator("#field-evidence-error")).toContainText("larger than 10 MB");
    expect(await evidenceFilesStored()).toBe(before);

    await fillInsurance(page, "Example Mutual", { name: "huge.png", mimeType: "image/png", buffer: bytesOfSize(11 * 1024 * 1024, tinyPng()) });
    await page.getByRole("button", { name: "Submit for verification" }).click();
    await expect(page.locator("#field-evidence-error")).toContainText("larger than 10 MB");
    expect(await evidenceFilesStored()).toBe(before);

    // A good file with bad fields is not kept either, and every bad field says why.
    await fillInsurance(page, "Example Mutual", { name: "schedule.pdf", mimeType: "application/pdf", buffer: tinyPdf() });
    await page.getByLabel("Public liability limit (£)").fill("five million");
    await page.getByLabel("End date").fill(date(-60));
    await page.getByRole("button", { name: "Submit for verification" }).click();
    await expect(page.locator("#field-publicLiability-error")).toContainText("in pounds");
    await expect(page.locator("#field-endDate-error")).toContainText("after the start date");
    await expectAccessible(page);
    expect(await evidenceFilesStored()).toBe(before);

    await page.goto("/requirements");
    await expect(section(page, "Qualifications").locator(".requirement__head .status")).toHaveText("Missing");
    await expect(section(page, "Insurance").locator(".requirement__head .status")).toHaveText("Missing");
  });
});
