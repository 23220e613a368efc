import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, test, type Browser } from "@playwright/test";
import jsQR from "jsqr";
import { PNG } from "pngjs";
import { E2E_ADMIN, E2E_ASSESSOR } from "./support/accounts";
import { markReportAsPass, passModuleAssessment, readCatalog } from "./support/content";
import { DAY, addQualification, date, fillInsurance, randomDbsNumber, recordDbs } from "./support/entry";
import { asStaff, expectAccessible, setServerClockOffset, signIn, signOut, signUp, uniqueEmail } from "./support/helpers";
import { tinyPdf } from "../helpers/evidence";

const catalog = readCatalog();

async function verifyInsurance(browser: Browser, trainerName: string) {
  await asStaff(browser, E2E_ASSESSOR, async (page) => {
    await page.goto("/assessor/verification?kind=insurance");
    await page.getByRole("link", { name: new RegExp(`review insurance for ${trainerName}`) }).first().click();
    await page.getByRole("button", { name: "Accept" }).click();
    await expect(page.getByRole("status")).toContainText("Your decision has been recorded");
  });
}

/** Renders page 1 of the PDF with pdftoppm and reads its QR code. */
function decodeQrFromPdf(pdf: Buffer): string | null {
  const dir = fs.mkdtempSync(path.join("tests/.tmp", "pdf-"));
  fs.writeFileSync(path.join(dir, "certificate.pdf"), pdf);
  execFileSync("pdftoppm", ["-png", "-r", "150", "-f", "1", "-l", "1", path.join(dir, "certificate.pdf"), path.join(dir, "page")]);
  const file = fs.readdirSync(dir).find((f) => f.endsWith(".png"))!;
  const png = PNG.sync.read(fs.readFileSync(path.join(dir, file)));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}

test.afterEach(async ({ page }) => {
  await setServerClockOffset(page, 0);
});

test("from sign-up to a valid public certificate; lapse, renewal and supersession; revocation", async ({ page, browser }) => {
  test.setTimeout(300_000);
  const name = "Zoë Ó Briain";
  const email = uniqueEmail();
  const password = "zoe certificate password";

  // No moderation sampling of passes here, so the marker releases the outcome directly.
  await asStaff(browser, E2E_ADMIN, async (admin) => {
    await admin.goto("/admin/report-marking");
    await admin.getByLabel("Percentage of passes to moderate").fill("0");
    await admin.getByRole("button", { name: "Save settings" }).click();
    await expect(admin.getByText("Settings saved.")).toBeVisible();
  });

  // 1. Sign up and record the three entry requirements.
  await signUp(page, { name, email, password });
  await expect(page.locator('[data-item="qualification"] .status')).toHaveText("To do");
  await expectAccessible(page);
  await addQualification(page);
  await page.getByRole("button", { name: "Submit for verification" }).click();
  await expect(page.getByRole("status")).toContainText("Your qualification has been submitted");
  await fillInsurance(page, "Example Mutual", { name: "schedule.pdf", mimeType: "application/pdf", buffer: tinyPdf() });
  await page.getByRole("button", { name: "Submit for verification" }).click();
  await expect(page.getByRole("status")).toContainText("Your insurance has been submitted");
  await recordDbs(page, randomDbsNumber());
  await page.getByRole("button", { name: "Record my DBS details" }).click();
  await expect(page.getByRole("status")).toContainText("Your DBS details have been recorded");

  // 2. An assessor verifies the evidence; an admin records the DBS decision.
  await asStaff(browser, E2E_ASSESSOR, async (assessor) => {
    await assessor.goto("/assessor/verification?kind=qualification");
    await assessor.getByRole("link", { name: new RegExp(`review qualification for ${name}`) }).click();
    await assessor.getByRole("button", { name: "Accept" }).click();
    await expect(assessor.getByRole("status")).toContainText("Your decision has been recorded");
  });
  await verifyInsurance(browser, name);
  await asStaff(browser, E2E_ADMIN, async (admin) => {
    await admin.goto("/admin/dbs");
    await admin.getByRole("link", { name: `Open record for ${name}` }).click();
    await admin.getByRole("radio", { name: "Suitable", exact: true }).check();
    await admin.getByLabel("Date the original certificate was seen").fill(date(0));
    await admin.getByLabel("Seen by").selectOption({ label: `${E2E_ASSESSOR.name} (assessor)` });
    await admin.getByRole("button", { name: "Record decision" }).click();
    await expect(admin.getByRole("status")).toContainText("The decision has been recorded");
  });

  // 3. The four modules.
  for (const module of catalog.modules) await passModuleAssessment(page, module.slug);
  await page.goto("/dashboard");
  await expect(page.locator('[data-item="module:manual-handling"] .status')).toHaveText("Done");
  await expect(page.locator('[data-item="report"] .status')).toHaveText("To do");

  // 4. The report-writing task, marked as a pass and released.
  await page.goto("/report-task");
  await page.getByRole("textbox", { name: "Your report" }).fill(
    [
      "# Progress report: sessions 1 to 12",
      "",
      "To: Priya Shah, case manager. From: the personal trainer. Covers 22 April to 29 May.",
      "",
      "## Attendance",
      "",
      "Twelve sessions planned; eleven took place. Session 8 was postponed by the case manager after the incident in session 7.",
      "",
      "## Progress against the agreed goals",
      "",
      "- Walking: 450 metres without stopping in 9 minutes on 27 May (baseline 150 metres with one crutch and two rests).",
      "- Sit to stand five times: 13 seconds without using her arms on 27 May (baseline 22 seconds).",
      "",
      "## Incident in session 7",
      "",
      "Mrs Clarke said she felt light-headed and stepped backwards off the step. I stopped the session, stayed with her and phoned you the same day.",
    ].join("\n"),
  );
  await expect(page.locator(".save-status")).toHaveText(/Draft saved at/);
  await page.getByLabel(/This is my own work and my final version/).check();
  await page.getByRole("button", { name: "Submit my report" }).click();
  await expect(page.getByText("Your report (version 1) has been submitted.")).toBeVisible();
  await asStaff(browser, E2E_ASSESSOR, async (assessor) => {
    await markReportAsPass(assessor, name, "A clear, factual report within scope; the incident was escalated correctly.");
  });

  // 5. The agreement: accepting it is the last requirement, so the certificate is issued now.
  await page.goto("/dashboard");
  await expect(page.locator('[data-item="report"] .status')).toHaveText("Done");
  await expect(page.locator('[data-item="agreement"] .status')).toHaveText("To do");
  await page.locator('[data-item="agreement"]').getByRole("link", { name: /^Start/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Scope of practice and communication agreement" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Accept the agreement" }).click();
  await expect(page.locator("#field-typedName-error")).toBeVisible();
  await page.getByLabel("I have read this agreement and I will work to it.").check();
  await page.getByLabel("Type your full name as your signature").fill("Someone Else");
  await page.getByRole("button", { name: "Accept the agreement" }).click();
  await expect(page.locator("#field-typedName-error")).toContainText(name);
  await page.getByLabel("I have read this agreement and I will work to it.").check();
  await page.getByLabel("Type your full name as your signature").fill(name);
  await page.getByRole("button", { name: "Accept the agreement" }).click();
  await expect(page.getByText("you are now a Medical-Legal Approved Trainer")).toBeVisible();
  const card = page.locator(".certificate-card");
  await expect(card).toContainText("Status: Valid");
  await expectAccessible(page);
  const verifyHref = await card.getByRole("link", { name: "Public verification page" }).getAttribute("href");
  const certificateId = verifyHref!.split("/").pop()!;
  expect(certificateId).toMatch(/^[a-z2-7]{32}$/);

  // 6. The PDF downloads, renders, and its QR code is the verification address.
  const [download] = await Promise.all([page.waitForEvent("download"), card.getByRole("link", { name: "Download the PDF certificate" }).click()]);
  const pdf = fs.readFileSync((await download.path())!);
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  const baseUrl = test.info().project.use.baseURL!;
  expect(decodeQrFromPdf(pdf)).toBe(`${baseUrl}/verify/${certificateId}`);

  // 7. A verifier with no account sees "Valid" and the right facts, and nothing private.
  const verifierContext = await browser.newContext();
  const verifier = await verifierContext.newPage();
  await verifier.goto(`/verify/${certificateId}`);
  await expect(verifier.locator(".verify-status__value")).toContainText("Valid");
  await expect(verifier.getByRole("heading", { level: 1 })).toHaveText(name);
  for (const module of catalog.modules) {
    const row = verifier.getByRole("row").filter({ hasText: module.title });
    await expect(row).toContainText(module.versionLabel);
  }
  await expect(verifier.getByRole("heading", { name: "This trainer may not" })).toBeVisible();
  await expect(verifier.locator('meta[name="robots"]')).toHaveAttribute("content", /noindex/);
  await expectAccessible(verifier);
  const html = await verifier.content();
  const json = await (await verifier.request.get(`/verify/${certificateId}.json`)).text();
  for (const body of [html, json]) {
    for (const secret of [email, "Example Mutual", "PT-778899", "DBS certificate", "603/2791/3"]) expect(body).not.toContain(secret);
  }
  expect(JSON.parse(json)).toMatchObject({ id: certificateId, status: "valid", name, approvedAs: "Medical-Legal Approved Trainer" });

  // 8. The insurance end date passes: the page reads "Suspended — insurance lapsed" the same day.
  await setServerClockOffset(page, 301 * DAY);
  await verifier.reload();
  await expect(verifier.locator(".verify-status__value")).toContainText("Suspended — insurance lapsed");

  // 9. New insurance, verified: a new certificate; the old page reads "Superseded" and links to it.
  await signIn(page, email, password);
  await page.goto("/requirements/insurance/new");
  await fillInsurance(page, "Renewal Mutual", { name: "renewal.pdf", mimeType: "application/pdf", buffer: tinyPdf() });
  await page.getByLabel("Start date").fill(date(295));
  await page.getByLabel("End date").fill(date(700));
  await page.getByRole("button", { name: "Submit for verification" }).click();
  await expect(page.getByRole("status")).toContainText("Your insurance has been submitted");
  await verifyInsurance(browser, name);
  await verifier.reload();
  await expect(verifier.locator(".verify-status__value")).toContainText("Superseded");
  await verifier.getByRole("link", { name: "See the current certificate" }).click();
  await expect(verifier.locator(".verify-status__value")).toContainText("Valid");
  const newId = verifier.url().split("/").pop()!;
  expect(newId).not.toBe(certificateId);
  await expectAccessible(verifier);

  // 10. An admin revokes it: "Revoked", final.
  await asStaff(browser, E2E_ADMIN, async (admin) => {
    await admin.goto("/admin/certificates?status=valid");
    await expectAccessible(admin);
    const item = admin.getByRole("row").filter({ hasText: name });
    await item.getByText("Suspend or revoke").click();
    await item.getByLabel("Reason (recorded in the audit trail)").fill("Serious breach of the scope of practice.");
    await item.getByRole("button", { name: "Revoke (final)" }).click();
    await expect(admin.getByRole("status")).toContainText("Certificate revoked.");
  });
  await verifier.reload();
  await expect(verifier.locator(".verify-status__value")).toContainText("Revoked");
  const revokedJson = await (await verifier.request.get(`/verify/${newId}.json`)).json();
  expect(revokedJson.status).toBe("revoked");
  expect(JSON.stringify(revokedJson)).not.toContain("Serious breach");
  await verifierContext.close();
  await signOut(page);
});
