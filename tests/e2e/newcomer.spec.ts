/**
 * Issue 13, "the product as people meet it": one step per item a newcomer tripped over, with axe
 * on every page visited. Screenshots for the next reviewer go to tests/.tmp/screenshots/ (see the
 * README, "Screenshots"); the certificate PDF's own picture is made by
 * tests/unit/certificate-pdf-layout.test.ts in the same folder.
 */
import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { E2E_DATABASE, E2E_EVIDENCE_DIR } from "../../playwright.config";
import { seedCertifiedTrainer } from "../../scripts/lib/seed-certified";
import { tinyPng } from "../helpers/evidence";
import { E2E_ADMIN, E2E_ASSESSOR } from "./support/accounts";
import { passModuleAssessment, readCatalog } from "./support/content";
import { withDatabaseOf } from "./support/database";
import { PASSWORD, addQualification, date, fillInsurance, randomDbsNumber, recordDbs } from "./support/entry";
import { asStaff, expectAccessible, signUp, uniqueEmail } from "./support/helpers";
import { submitReport } from "~/marking/submissions.server";

// The seeding below runs in this process and writes the server's database and evidence folder.
process.env.EVIDENCE_DIR = E2E_EVIDENCE_DIR;
const SCREENSHOTS = "tests/.tmp/screenshots";
fs.mkdirSync(SCREENSHOTS, { recursive: true });

/** A trainer who is already certified, seeded through the real rules into the server's database. */
async function certifiedTrainer(name: string, baseUrl: string) {
  const email = uniqueEmail("certified");
  const password = "certified trainer password";
  const trainer = await withDatabaseOf(E2E_DATABASE, async (db) => {
    const staff = await db.selectFrom("user").select("id").where("email", "=", E2E_ADMIN.email).executeTakeFirstOrThrow();
    return seedCertifiedTrainer(db, { name, email, password, staffUserId: staff.id }, baseUrl, new Date());
  });
  return { ...trainer, email, password };
}

async function adminDecides(admin: Page, certificateId: string, intent: "Suspend" | "Reinstate", reason: string) {
  await admin.goto(`/admin/certificates?q=${certificateId}`);
  const row = admin.locator(`tr[data-certificate="${certificateId}"]`);
  await row.locator("summary").click();
  await row.getByLabel("Reason (recorded in the audit trail)").fill(reason);
  await row.getByRole("button", { name: intent, exact: true }).click();
  await expect(admin.getByText(`Certificate ${intent === "Suspend" ? "suspended" : "reinstated"}.`)).toBeVisible();
}

test("items 2 and 3: the verification page shows version labels, the status history, a concern link, an Open Graph card and prints cleanly", async ({ page, browser, baseURL }) => {
  const name = "Zoë Ó Súilleabháin-Łukasiewicz";
  const trainer = await certifiedTrainer(name, baseURL!);
  await asStaff(browser, E2E_ADMIN, async (admin) => {
    await adminDecides(admin, trainer.certificateId, "Suspend", "Private complaint under investigation");
    await adminDecides(admin, trainer.certificateId, "Reinstate", "Complaint closed with no case");
    // Item 10: staff see the certificate on the trainer's page, and its history (with the reasons) in the audit entries about them.
    await admin.goto(`/trainers/${trainer.userId}`);
    await expect(admin.getByRole("link", { name: trainer.certificateId })).toHaveAttribute("href", `/verify/${trainer.certificateId}`);
    await expect(admin.getByRole("list", { name: "Certificate history, newest first" })).toContainText(trainer.certificateId);
    const audit = admin.getByRole("region", { name: "Audit entries about this trainer, newest first" });
    await expect(audit).toContainText("certificate.suspended");
    await expect(audit).toContainText("certificate.reinstated");
    await expectAccessible(admin);
  });

  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`/verify/${trainer.certificateId}`);
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  await expectAccessible(page);

  // 2. Module versions are labels such as "2026.1", never content hashes.
  const versions = await page.getByRole("region", { name: "Modules passed" }).locator("tbody tr td:nth-child(3)").allInnerTexts();
  expect(versions.filter((v) => v !== "—").length).toBe(4);
  for (const v of versions.filter((v) => v !== "—")) expect(v).toMatch(/^\d{4}\.\d+$/);
  expect(await page.locator("main").innerText()).not.toMatch(/\b[0-9a-f]{8}\b/);
  const json = (await (await page.request.get(`/verify/${trainer.certificateId}.json`)).json()) as { modules: { version: string; contentHash: string }[] };
  for (const m of json.modules) {
    expect(m.version).toMatch(/^\d{4}\.\d+$/);
    expect(m.contentHash).toMatch(/^[0-9a-f]{64}$/);
  }

  // 3. Status history, by day, with public wording only.
  const history = page.locator("ol.status-history li");
  await expect(history).toHaveCount(3);
  await expect(history.nth(0)).toContainText("Issued");
  await expect(history.nth(1)).toContainText("Suspended by the framework's governance");
  await expect(history.nth(2)).toContainText("Reinstated");
  await expect(history.nth(0).locator("time")).toHaveAttribute("datetime", /^\d{4}-\d{2}-\d{2}$/);
  await expect(page.locator("body")).not.toContainText("Private complaint");
  await expect(page.locator("body")).not.toContainText("Complaint closed");
  // The concern link (issue 12's flow) is there.
  await expect(page.getByRole("link", { name: "Raise a concern with the issuer" })).toHaveAttribute("href", `/verify/${trainer.certificateId}/concern`);
  // The Open Graph card a shared link previews.
  await expect(page.locator('meta[property="og:title"]')).toHaveAttribute("content", `Valid: ${name}, Medical-Legal Approved Trainer certificate`);
  await expect(page.locator('meta[property="og:url"]')).toHaveAttribute("content", `${baseURL}/verify/${trainer.certificateId}`);
  await expect(page.locator('meta[property="og:description"]')).toHaveAttribute("content", /^Valid today\. Issued \d{1,2} \w+ \d{4}, expires/);
  await page.screenshot({ path: `${SCREENSHOTS}/verification-desktop.png`, fullPage: true });

  // At 390 px nothing runs off the side and the labels do not break mid-word.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await expectAccessible(page);
  await page.screenshot({ path: `${SCREENSHOTS}/verification-390.png`, fullPage: true });

  // Printed: no navigation, no links to other formats; the facts, history and concern address stay.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
  await expect(page.getByRole("heading", { name: "Other formats" })).toBeHidden();
  await expect(page.locator("ol.status-history")).toBeVisible();
  await expect(page.getByRole("link", { name: "Raise a concern with the issuer" })).toBeVisible();
  await page.emulateMedia({ media: "screen" });
  await expect(page.getByRole("heading", { name: "Other formats" })).toBeVisible();
});

test("item 16: the 404 page, the role-change notice and attempt counts read as plain English", async ({ page, browser }) => {
  // The 404 page: one heading and one explanation, and a tab title that says what happened.
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page).toHaveTitle("Page not found · Approved Trainer Academy");
  await expect(page.getByRole("heading", { name: "Page not found", level: 1 })).toBeVisible();
  await expect(page.locator(".error-page__detail")).toHaveCount(0);
  await expect(page.locator("main")).not.toContainText(/^Not found$/m);
  await expectAccessible(page);

  // A new trainer, then an admin changes their role: the notice names them and the new role.
  const name = "Ada Newcomer";
  const email = uniqueEmail("role");
  const trainerContext = await browser.newContext();
  await signUp(await trainerContext.newPage(), { name, email, password: "a long trainer password" });
  await trainerContext.close();
  await asStaff(browser, E2E_ADMIN, async (admin) => {
    const userId = await withDatabaseOf(E2E_DATABASE, async (db) => (await db.selectFrom("user").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id);
    await admin.goto(`/trainers/${userId}`);
    await expect(admin.getByText("No attempts submitted").first()).toBeVisible();
    await expect(admin.locator("main")).not.toContainText("attempt(s)");
    await expectAccessible(admin);
    await admin.goto(`/admin/users?q=${encodeURIComponent(email)}`);
    await admin.getByLabel(`Role for ${name}`).selectOption("assessor");
    await admin.getByRole("button", { name: `Change role for ${name}` }).click();
    await expect(admin.getByRole("status")).toHaveText(`${name} is now an assessor. They have been signed out everywhere and sign in again with their new role.`);
    await expectAccessible(admin);
  });
});

test("items 4, 6, 7 and 8: a new trainer's first steps, on a phone and on a desktop", async ({ page }) => {
  test.setTimeout(420_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  await signUp(page, { name: "Noor Newcomer", email: uniqueEmail("first"), password: "a long trainer password" });

  // 4. One clear "Start here" step; "To do" items say "Start", never "Fix this".
  const startHere = page.getByRole("region", { name: "Start here" });
  await expect(startHere).toHaveCount(1);
  await expect(startHere.getByRole("link", { name: /^Start ?: Personal training qualification/ })).toHaveAttribute("href", "/requirements");
  const checklist = page.getByRole("list", { name: "Approval checklist" });
  await expect(checklist.getByRole("link", { name: /^Start ?: / })).toHaveCount(9);
  await expect(page.locator("main")).not.toContainText("Fix this");
  await expectAccessible(page);
  await page.screenshot({ path: `${SCREENSHOTS}/dashboard-new-trainer.png`, fullPage: true });

  // 8. On a phone: a menu button instead of a three-row header, and the lesson's text on the first screen.
  const module = readCatalog().modules.reduce((a, b) => (a.sections.length <= b.sections.length ? a : b));
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`/modules/${module.slug}/${module.sections[0]!.id}`);
  await expect(page.locator("html[data-hydrated]")).toHaveCount(1);
  const menu = page.getByRole("button", { name: "Menu" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
  const header = await page.locator(".site-header").boundingBox();
  expect(header!.height).toBeLessThan(80);
  const firstParagraph = await page.locator(".lesson__body p:not(.eyebrow)").first().boundingBox();
  expect(firstParagraph!.y).toBeLessThan(844);
  await expect(page.locator(".lesson__toc ol")).toBeHidden();
  await expectAccessible(page);
  await page.screenshot({ path: `${SCREENSHOTS}/lesson-390.png` });
  await page.locator(".lesson__toc-summary").click();
  await expect(page.locator(".lesson__toc ol")).toBeVisible();
  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard" }).click();
  await expect(page).toHaveURL(/\/dashboard/);
  await expect(page.getByRole("button", { name: "Menu" })).toHaveAttribute("aria-expanded", "false");

  // On a desktop the section list and the navigation are simply there.
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`/modules/${module.slug}/${module.sections[0]!.id}`);
  await expect(page.locator("html[data-hydrated]")).toHaveCount(1);
  await expect(page.getByRole("button", { name: "Menu" })).toBeHidden();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect(page.locator(".lesson__toc ol")).toBeVisible();

  // 4. After the last section: "All N sections read", and the assessment is the primary action.
  for (let i = 0; i < module.sections.length; i += 1) {
    await page.getByRole("button", { name: /^Mark complete/ }).click();
    if (i < module.sections.length - 1) await expect(page).toHaveURL(new RegExp(`/${module.sections[i + 1]!.id}$`));
  }
  await expect(page).toHaveURL(new RegExp(`/modules/${module.slug}\\?completed=1$`));
  await expect(page.getByRole("status")).toContainText(`All ${module.sections.length} sections read.`);
  const primary = page.locator("main .button").first();
  await expect(primary).toHaveText("Start the assessment");
  await expect(primary).toHaveAttribute("href", `/modules/${module.slug}/assessment`);
  await expectAccessible(page);
  await page.goto(`/modules/${module.slug}/${module.sections.at(-1)!.id}`);
  await expect(page.locator(".lesson__finished")).toContainText(`All ${module.sections.length} sections read.`);
  await expect(page.locator(".lesson__finished").getByRole("link", { name: "Start the assessment" })).toHaveClass(/button/);
  await expectAccessible(page);

  // 6. The assessment: a counter and a navigator; unanswered questions need a confirmation; the
  // fail result says when the retake opens, links the sections behind the missed questions, and
  // can show only the wrong answers.
  await primary.click();
  await page.getByRole("button", { name: "Start the assessment" }).click();
  await expect(page).toHaveURL(/\/attempts\/[a-z2-7]+$/);
  await expect(page.locator("html[data-hydrated]")).toHaveCount(1);
  const navigator = page.getByRole("navigation", { name: "Questions" });
  await expect(navigator).toContainText(`Answered 0 of ${module.questionsPerAttempt}`);
  await expect(navigator.getByRole("link")).toHaveCount(module.questionsPerAttempt);
  const first = page.locator("li.attempt-question form").first();
  await first.locator('input[name="option"]').first().check();
  await expect(first.locator(".save-status")).toHaveText("Answer saved");
  await expect(navigator).toContainText(`Answered 1 of ${module.questionsPerAttempt}`);
  await expect(navigator.getByRole("link", { name: "1 (answered)", exact: true })).toBeVisible();
  await expectAccessible(page);
  await navigator.getByRole("link", { name: "2 (not answered)", exact: true }).click();
  await expect(page).toHaveURL(/#q-2$/);
  await page.getByRole("link", { name: "Review my answers" }).click();
  await page.getByRole("button", { name: "Submit my answers" }).click();
  await expect(page.locator("#field-confirmUnanswered-error")).toContainText(`Tick the box to submit with ${module.questionsPerAttempt - 1} questions unanswered`);
  await expectAccessible(page);
  await page.getByLabel(/Submit with \d+ questions unanswered/).check();
  await page.getByRole("button", { name: "Submit my answers" }).click();
  await expect(page.getByRole("heading", { name: "You did not pass this time" })).toBeVisible();
  const retake = page.getByRole("region", { name: "Before you retake it" });
  await expect(retake).toContainText(/You can retake this assessment from/);
  const sectionLinks = retake.getByRole("link");
  expect(await sectionLinks.count()).toBeGreaterThan(0);
  for (const href of await sectionLinks.evaluateAll((links) => links.map((l) => l.getAttribute("href")))) expect(module.sections.map((s) => `/modules/${module.slug}/${s.id}`)).toContain(href);
  await expectAccessible(page);
  const allQuestions = await page.locator("li.attempt-question").count();
  await page.getByRole("link", { name: /^Show only the \d+ questions I got wrong$/ }).click();
  await expect(page).toHaveURL(/\?show=wrong$/);
  await expect(page.locator("li.attempt-question--right")).toHaveCount(0);
  expect(await page.locator("li.attempt-question--wrong").count()).toBeLessThanOrEqual(allQuestions);
  await expectAccessible(page);

  // 7. The report editor keeps line breaks and its hint says how lists and headings work.
  // (6. A pass links the next module.)
  await passModuleAssessment(page, "report-writing");
  await expect(page.getByRole("region", { name: "What next" }).getByRole("link", { name: /^Next module: / })).toBeVisible();
  await expectAccessible(page);
  await page.goto("/report-task");
  const hint = page.locator("#report-body-hint");
  await expect(hint).toContainText("A new line stays a new line");
  await expect(hint).toContainText("Headings: start a line with # or ## and a space.");
  await expect(hint).toContainText("Lists: start each line with - and a space for bullet points, or 1. for a numbered list.");
  await page.getByRole("textbox", { name: "Your report" }).fill("To: Dr A. Consultant\nFrom: Noor Newcomer\nClient: Ms B\n\n## Progress\n\n- Walking 450 metres");
  await page.getByRole("button", { name: "Show preview" }).click();
  const preview = page.getByRole("region", { name: "Preview of your report" });
  await expect(preview.locator("p").first()).toHaveText("To: Dr A. Consultant\nFrom: Noor Newcomer\nClient: Ms B", { useInnerText: true });
  await expect(preview.locator("p br")).toHaveCount(2);
  await expectAccessible(page);
});

test("item 12: an assessor reads the evidence inline beside the fields; the preview is framed only by our pages and refused to other trainers", async ({ page, browser }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  const trainer = { name: "Priya Preview", email: uniqueEmail("preview"), password: PASSWORD };
  await signUp(page, trainer);
  await addQualification(page);
  await page.getByRole("button", { name: "Submit for verification" }).click();
  await expect(page.getByRole("status")).toContainText("Your qualification has been submitted");
  await fillInsurance(page, "Example Mutual", { name: "schedule.png", mimeType: "image/png", buffer: tinyPng() });
  await page.getByRole("button", { name: "Submit for verification" }).click();
  await expect(page.getByRole("status")).toContainText("Your insurance has been submitted");
  const download = await page.getByRole("region", { name: "Qualifications" }).getByRole("link", { name: /certificate\.pdf/ }).getAttribute("href");
  expect(download).toMatch(/^\/evidence\/[A-Za-z0-9_-]+$/);
  const preview = `${download}/preview`;

  // Another trainer gets neither the download nor the preview; nobody signed in is sent to sign in.
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  await signUp(other, { name: "Nia Nosy", email: uniqueEmail("nosy"), password: PASSWORD });
  for (const path of [download!, preview]) {
    const refused = await other.request.get(path);
    expect(refused.status(), path).toBe(403);
    expect(await refused.text()).not.toContain("%PDF");
  }
  await otherContext.close();
  const anonymous = await browser.newContext();
  const nobody = await anonymous.request.get(preview, { maxRedirects: 0 });
  expect(nobody.status()).toBe(302);
  expect(nobody.headers()["location"]).toMatch(/^\/login/);
  await anonymous.close();

  await asStaff(browser, E2E_ASSESSOR, async (assessor) => {
    await assessor.setViewportSize({ width: 1280, height: 900 });
    // The file route's headers: inline and framable by our pages for the preview, attachment and never framed for the download.
    const inline = await assessor.request.get(preview);
    expect(inline.status()).toBe(200);
    expect(inline.headers()["content-type"]).toBe("application/pdf");
    expect(inline.headers()["content-disposition"]).toMatch(/^inline; filename="certificate\.pdf"/);
    expect(inline.headers()["x-content-type-options"]).toBe("nosniff");
    expect(inline.headers()["content-security-policy"]).toContain("frame-ancestors 'self'");
    expect(inline.headers()["content-security-policy"]).toContain("sandbox");
    expect(inline.headers()["x-frame-options"]).toBe("SAMEORIGIN");
    const attachment = await assessor.request.get(download!);
    expect(attachment.headers()["content-disposition"]).toMatch(/^attachment;/);
    expect(attachment.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(attachment.headers()["x-frame-options"]).toBe("DENY");

    // The PDF opens in Chromium's own viewer inside the page, beside the fields; nothing is downloaded.
    let downloads = 0;
    assessor.on("download", () => (downloads += 1));
    await assessor.goto("/assessor/verification?kind=qualification");
    await assessor.getByRole("link", { name: new RegExp(`review qualification for ${trainer.name}`) }).click();
    const frame = assessor.locator("iframe.evidence-preview__frame");
    await expect(frame).toHaveAttribute("src", preview);
    await expect(frame).toHaveAttribute("title", /^Certificate: certificate\.pdf/);
    await expect.poll(() => assessor.frames().some((f) => f.url().startsWith("chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/"))).toBe(true);
    const fields = await assessor.getByRole("region", { name: "What the trainer entered" }).boundingBox();
    const shown = await frame.boundingBox();
    expect(shown!.x).toBeGreaterThan(fields!.x + fields!.width - 1);
    expect(shown!.width).toBeGreaterThan(500);
    expect(downloads).toBe(0);
    await expect(assessor.getByRole("link", { name: /^download certificate\.pdf/ })).toHaveAttribute("href", download!);
    await expectAccessible(assessor);
    await assessor.screenshot({ path: `${SCREENSHOTS}/evidence-preview.png` });

    // An image is shown as an image, with its name as alternative text.
    await assessor.goto("/assessor/verification?kind=insurance");
    await assessor.getByRole("link", { name: new RegExp(`review insurance for ${trainer.name}`) }).click();
    const image = assessor.getByRole("img", { name: /^Policy document: schedule\.png/ });
    await expect(image).toBeVisible();
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    await expectAccessible(assessor);
  });

  // Staff opening the files are audited, as a preview or a download; the owner's own opening is not.
  await withDatabaseOf(E2E_DATABASE, async (db) => {
    const fileId = download!.split("/").pop()!;
    const opened = await db.selectFrom("audit_event").select(["details"]).where("action", "=", "evidence.opened").where("subject_id", "=", fileId).execute();
    const how = opened.map((r) => (JSON.parse(r.details) as { how: string }).how);
    expect(how).toContain("preview");
    expect(how).toContain("download");
  });
});

test("item 5: a trainer books a time to show the original DBS certificate or asks to be contacted; an assessor records it seen without seeing the details; an admin decides", async ({ page, browser }) => {
  // A safety net for a long story on a shared machine (it took 4 to 5 minutes under load), not a timed assertion.
  test.setTimeout(600_000);
  const place = `Video link sent by email (${uniqueEmail("slot")})`;
  const first = { name: "Dev Dbs-Booker", email: uniqueEmail("dbs-book"), password: PASSWORD, number: randomDbsNumber() };
  const second = { name: "Cas Contact-Me", email: uniqueEmail("dbs-contact"), password: PASSWORD, number: randomDbsNumber() };

  // An assessor offers a time; a bad form says what each field needs.
  await asStaff(browser, E2E_ASSESSOR, async (assessor) => {
    await assessor.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "DBS originals" }).click();
    await expect(assessor.getByRole("heading", { level: 1, name: "Original DBS certificates" })).toBeVisible();
    await expectAccessible(assessor);
    await assessor.getByRole("button", { name: "Offer this time" }).click();
    await expect(assessor.locator("#field-day-error")).toContainText("Enter the day");
    await expect(assessor.locator("#field-method-error")).toContainText("in person or video call");
    await expect(assessor.locator(".error-summary")).toBeFocused();
    await expectAccessible(assessor);
    await assessor.getByLabel("Day").fill(date(2));
    await assessor.getByLabel("Time (UK)").fill("10:30");
    await assessor.getByRole("radio", { name: /^Video call/ }).check();
    await assessor.getByLabel("Where, or how to join").fill(place);
    await assessor.getByRole("button", { name: "Offer this time" }).click();
    await expect(assessor.getByRole("status")).toContainText("Your time is offered");
    await expect(assessor.getByRole("region", { name: "Your times" })).toContainText(`${place}): not booked`);
  });

  // The first trainer records the details, is told what comes next, and books the time.
  await signUp(page, first);
  await recordDbs(page, first.number);
  await page.getByRole("button", { name: "Record my DBS details" }).click();
  await expect(page.getByRole("status")).toContainText("choose a time or ask to be contacted");
  await page.getByRole("link", { name: "Arrange to show your original certificate" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Show your original DBS certificate" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Book this time" }).click();
  await expect(page.locator("#field-slotId-error")).toContainText("Choose one of the times offered");
  await page.getByRole("radio", { name: new RegExp(`video call with ${E2E_ASSESSOR.name}: ${place.replace(/[()]/g, "\\$&")}`) }).check();
  await page.getByRole("button", { name: "Book this time" }).click();
  await expect(page.getByRole("status")).toContainText("Your time is booked");
  const next = page.getByRole("region", { name: "What happens next" });
  await expect(next).toContainText(`video call with ${E2E_ASSESSOR.name}: ${place}`);
  await expect(next).toContainText("hold it to the camera");
  await expectAccessible(page);
  expect(await page.content()).not.toContain(first.number);
  await page.goto("/requirements");
  await expect(page.getByRole("region", { name: "Enhanced DBS check" })).toContainText(`with ${E2E_ASSESSOR.name}`);

  // The second trainer asks to be contacted instead.
  const secondContext = await browser.newContext();
  const other = await secondContext.newPage();
  await signUp(other, second);
  await recordDbs(other, second.number);
  await other.getByRole("button", { name: "Record my DBS details" }).click();
  // Wait for the saved message: navigating straight away could abort the form's POST.
  await expect(other.getByRole("status")).toContainText("choose a time or ask to be contacted");
  await other.goto("/requirements/dbs-original");
  await other.getByLabel("When and how to reach you (optional)").fill("Weekday mornings; video please");
  await other.getByRole("button", { name: "Ask an assessor to contact me" }).click();
  await expect(other.getByRole("status")).toContainText("Your request has been sent");
  await expect(other.getByRole("region", { name: "What happens next" })).toContainText("no one has taken it on yet");

  // The assessor: both waiting, no DBS details anywhere; takes on the contact; records the first original as seen.
  await asStaff(browser, E2E_ASSESSOR, async (assessor) => {
    await assessor.goto("/assessor/dbs-originals");
    const waiting = assessor.getByRole("region", { name: /^Waiting to be seen/ });
    await expect(waiting).toContainText(first.name);
    await expect(waiting).toContainText("Weekday mornings; video please");
    const html = await assessor.content();
    expect(html).not.toContain(first.number);
    expect(html).not.toContain(second.number);
    await expectAccessible(assessor);
    await assessor.getByRole("button", { name: `I will contact ${second.name}` }).click();
    await expect(assessor.getByRole("status")).toContainText("told by email that you will contact them");
    await assessor.getByRole("link", { name: `Record the original as seen for ${first.name}` }).click();
    await expect(assessor.getByRole("heading", { level: 1 })).toHaveText(`Original DBS certificate: ${first.name}`);
    expect(await assessor.content()).not.toContain(first.number);
    await expectAccessible(assessor);
    await assessor.getByRole("radio", { name: /^By video call/ }).check();
    const wrong = first.number.slice(0, 11) + String((Number(first.number[11]) + 1) % 10);
    await assessor.getByLabel("Certificate number printed on the original").fill(wrong);
    await assessor.getByRole("button", { name: "Record the original as seen" }).click();
    await expect(assessor.locator("#field-certificateNumber-error")).toContainText("not the number the trainer recorded");
    await expect(assessor.locator(".error-summary")).toBeFocused();
    await expectAccessible(assessor);
    await assessor.getByLabel("Certificate number printed on the original").fill(first.number);
    await assessor.getByRole("button", { name: "Record the original as seen" }).click();
    await expect(assessor).toHaveURL(/\/assessor\/dbs-originals\?seen=1$/);
    await expect(assessor.getByRole("status")).toContainText("the original has been seen");
    await expect(assessor.getByRole("region", { name: /^Waiting to be seen/ })).not.toContainText(first.name);
  });

  // Each trainer sees what happens next.
  await other.reload();
  await expect(other.getByRole("region", { name: "What happens next" })).toContainText(`${E2E_ASSESSOR.name} (${E2E_ASSESSOR.email}) will contact you`);
  await expectAccessible(other);
  await secondContext.close();
  await page.goto("/requirements/dbs-original");
  await expect(page.getByRole("region", { name: "What happens next" })).toContainText(`${E2E_ASSESSOR.name} saw your original certificate on`);
  await expect(page.getByRole("region", { name: "What happens next" })).toContainText("an administrator records the decision");
  await expectAccessible(page);

  // Only the admin sees the details; the record says who saw the original and how, and the form starts from it.
  await asStaff(browser, E2E_ADMIN, async (admin) => {
    await admin.goto("/admin/dbs");
    await admin.getByRole("link", { name: `Open record for ${first.name}` }).click();
    await expect(admin.getByText(first.number)).toBeVisible();
    await expect(admin.getByText(`by ${E2E_ASSESSOR.name} (by video call, with the certificate held to the camera)`)).toBeVisible();
    await expect(admin.getByLabel("Date the original certificate was seen")).toHaveValue(date(0));
    await expect(admin.getByLabel("Seen by")).toHaveValue(/^\d+$/);
    await expectAccessible(admin);
    await admin.getByRole("radio", { name: "Suitable", exact: true }).check();
    await admin.getByRole("button", { name: "Record decision" }).click();
    await expect(admin.getByRole("status")).toContainText("The decision has been recorded");
  });
  await withDatabaseOf(E2E_DATABASE, async (db) => {
    const actions = (await db.selectFrom("audit_event").select("action").where("action", "like", "dbs.%").execute()).map((r) => r.action);
    for (const action of ["dbs.viewing_slot_offered", "dbs.viewing_booked", "dbs.viewing_contact_requested", "dbs.viewing_contact_claimed", "dbs.original_seen"]) expect(actions).toContain(action);
    const everything = JSON.stringify(await db.selectFrom("audit_event").selectAll().execute()) + JSON.stringify(await db.selectFrom("email_outbox").selectAll().execute());
    expect(everything).not.toContain(first.number);
  });
});

/** A report long enough to fill the text column, in the shape the task asks for. */
const LONG_REPORT = [
  "# Progress report: sessions 1 to 12",
  "",
  "To: Priya Shah, case manager\nFrom: the personal trainer\nCovers: 22 April to 29 May",
  "",
  "## Attendance",
  "",
  "Eleven of twelve planned sessions took place. Session 8 was cancelled by the provider because the gym was closed for repairs; the client attended every session she was offered, arriving on time, and took part in the whole of the agreed programme each time, with the rest breaks written into it.",
  "",
  "## Progress against the goals agreed by the team",
  "",
  "- Walking: 450 metres without stopping in 9 minutes on 27 May, on the flat indoor track; the baseline on 14 April was 150 metres with one crutch and two rests.",
  "- Sit to stand: five repetitions in 13 seconds without using her arms on 27 May; the baseline was 21 seconds using her arms.",
  "",
  "## Incident on 13 May",
  "",
  "She reported feeling light-headed during the walk. I stopped the session at once, sat her down, and phoned you at 11:45; the sessions resumed with your written agreement.",
].join("\n");

test("item 11: the marking page keeps the report readable beside the rubric, reports every missing field at once, names each field once, and tells a one-assessor team an admin moderates", async ({ browser, baseURL }) => {
  // A safety net for a long story on a shared machine (2 to 3 minutes under load), not a timed assertion.
  test.setTimeout(420_000);
  const rubric = readCatalog().modules.find((m) => m.slug === "report-writing")!.reportTask!.rubric;
  const name = "Mo Marking-Page";
  const { userId, submissionId } = await withDatabaseOf(E2E_DATABASE, async (db) => {
    const staff = await db.selectFrom("user").select("id").where("email", "=", E2E_ADMIN.email).executeTakeFirstOrThrow();
    const trainer = await seedCertifiedTrainer(db, { name, email: uniqueEmail("marking"), password: PASSWORD, staffUserId: staff.id, reportPass: false }, baseURL!, new Date());
    const submitted = await submitReport(db, trainer.userId, LONG_REPORT, new Date());
    if (!submitted.ok) throw new Error(submitted.message ?? "the report was refused");
    return { userId: trainer.userId, submissionId: submitted.value.submissionId };
  });

  await asStaff(browser, E2E_ASSESSOR, async (marker) => {
    // At 1280 px the report takes the width and the rubric is a panel beside it.
    await marker.setViewportSize({ width: 1280, height: 900 });
    await marker.goto(`/marking/${submissionId}`);
    await marker.getByRole("button", { name: "Start marking" }).click();
    await expect(marker.getByRole("heading", { level: 2, name: "Your mark" })).toBeVisible();
    await expect(marker.locator("html[data-hydrated]")).toHaveCount(1);
    const text = marker.getByRole("region", { name: "Submission" }).locator(".report-body");
    const rubricPanel = marker.locator(".marking-rubric");
    const wide = (await text.boundingBox())!;
    const beside = (await rubricPanel.boundingBox())!;
    expect(wide.width).toBeGreaterThanOrEqual(600);
    expect(beside.x).toBeGreaterThanOrEqual(wide.x + wide.width);
    expect(Math.abs(beside.y - wide.y)).toBeLessThan(100);
    await expectAccessible(marker);
    await marker.screenshot({ path: `${SCREENSHOTS}/marking.png` });

    // Every field named once: each criterion's group is its title (no "Level for …" inside it),
    // each level's radio is "<label>: <descriptor>", once.
    const form = marker.locator("form", { has: marker.getByRole("button", { name: "Save the mark" }) });
    await expect(form.getByRole("group", { name: /^Level for/ })).toHaveCount(0);
    await expect(form).not.toContainText("Level for");
    for (const c of rubric) {
      const group = form.getByRole("group", { name: `${c.title}${c.mustMeet ? " (must be met to pass)" : ""}`, exact: true });
      await expect(group).toHaveCount(1);
      for (const l of c.levels) await expect(group.getByRole("radio", { name: `${l.label}: ${l.descriptor}`, exact: true })).toHaveCount(1);
      await expect(group.getByRole("radio")).toHaveCount(c.levels.length);
      await expect(form.locator(`[data-criterion="${c.id}"]`).getByRole("textbox", { name: `Comment on ${c.title}`, exact: true })).toHaveCount(1);
    }

    // Saved with nothing chosen: every missing field says so beside it, and the focused summary counts them all.
    await marker.getByRole("button", { name: "Save the mark" }).click();
    const summary = marker.locator(".error-summary");
    await expect(summary).toBeFocused();
    await expect(summary).toContainText(`Correct the ${rubric.length + 2} fields marked below`);
    await expect(marker.locator(".error-summary, [role=alert]")).toHaveCount(1);
    for (const c of rubric) {
      const group = form.getByRole("group", { name: `${c.title}${c.mustMeet ? " (must be met to pass)" : ""}`, exact: true });
      await expect(group.locator(".field__error")).toHaveText(`Error: Choose a level for "${c.title}".`);
    }
    await expect(form.getByRole("group", { name: "Outcome" }).locator(".field__error")).toHaveText("Error: Choose Pass or Refer.");
    await expect(marker.locator("#field-feedback-error")).toContainText("Write overall feedback");
    await expectAccessible(marker);

    // Every criterion met, referred anyway: the marks show each level once ("Met", never "Met Met").
    for (const c of rubric) {
      const met = c.levels.find((l) => l.met)!;
      await form.getByRole("radio", { name: `${met.label}: ${met.descriptor}`, exact: true }).check();
    }
    await form.getByRole("radio", { name: "Refer (the trainer resubmits)" }).check();
    await form.getByLabel("Overall feedback for the trainer").fill("Clear and factual; add the knee pain and who was told.");
    await marker.getByRole("button", { name: "Save the mark" }).click();
    await expect(marker.getByText("Status: Marked: waiting for moderation")).toBeVisible();
    const levels = marker.locator('article[data-mark-role="marker"] tbody td:nth-child(2)');
    await expect(levels).toHaveText(rubric.map(() => "Met"));
    await expect(marker.getByText("You marked this submission. A second assessor must moderate it (an admin can moderate it too).")).toBeVisible();
    await expectAccessible(marker);

    // A team with one assessor: the marker is told an admin moderates it.
    const others = await withDatabaseOf(E2E_DATABASE, async (db) => {
      const ids = (await db.selectFrom("user").select("id").where("role", "=", "assessor").where("disabled_at", "is", null).where("email", "<>", E2E_ASSESSOR.email).execute()).map((r) => r.id);
      if (ids.length > 0) await db.updateTable("user").set({ disabled_at: new Date().toISOString() }).where("id", "in", ids).execute();
      return ids;
    });
    try {
      await marker.reload();
      await expect(marker.locator(".alert--info")).toHaveText("You marked this submission. You are the only assessor, so an admin moderates it: any admin can open it from the “To moderate” queue.");
      await expectAccessible(marker);
      await asStaff(browser, E2E_ADMIN, async (admin) => {
        await admin.goto("/marking?queue=moderate");
        await expect(admin.locator(`tr[data-submission="${submissionId}"]`)).toBeVisible();
        await expectAccessible(admin);
        await admin.goto(`/marking/${submissionId}`);
        await expect(admin.getByRole("button", { name: "Start moderating" })).toBeVisible();
        await expectAccessible(admin);
        // The admin's dashboard (item 13: each queue's count and oldest age) and the trainer's
        // overview (item 10), for the reviewer's screenshots.
        await admin.setViewportSize({ width: 1280, height: 900 });
        await admin.goto("/dashboard");
        await expect(admin.getByRole("list", { name: "Queues" }).locator('[data-queue="marking"]')).toContainText(/To moderate: \d+ waiting, the oldest for/);
        await expectAccessible(admin);
        await admin.screenshot({ path: `${SCREENSHOTS}/dashboard-admin.png`, fullPage: true });
        await admin.goto(`/trainers/${userId}`);
        await expect(admin.getByRole("heading", { level: 1 })).toContainText(name);
        // Item 10 with a full history: every attempt, the report with its mark, the agreement, the audit entries.
        await expect(admin.locator("tbody tr", { hasText: "100.0% — passed" })).toHaveCount(4);
        await expect(admin.getByRole("region", { name: "Report submissions" })).toContainText(`Mark: refer by ${E2E_ASSESSOR.name}`);
        await expect(admin.locator("main")).toContainText(`as “${name}”`);
        await expect(admin.getByRole("region", { name: "Audit entries about this trainer, newest first" })).toContainText("report.marked");
        await expectAccessible(admin);
        await admin.screenshot({ path: `${SCREENSHOTS}/trainer-overview.png`, fullPage: true });
      });
    } finally {
      if (others.length > 0) await withDatabaseOf(E2E_DATABASE, (db) => db.updateTable("user").set({ disabled_at: null }).where("id", "in", others).execute());
    }

    // At 390 px the rubric goes below the report, which keeps the screen's width (over 300 px of text).
    await marker.setViewportSize({ width: 390, height: 844 });
    await marker.reload();
    const narrow = (await text.boundingBox())!;
    const below = (await rubricPanel.boundingBox())!;
    const main = (await marker.locator("main").boundingBox())!;
    expect(narrow.width).toBeGreaterThan(320);
    expect(narrow.width).toBeGreaterThan(0.8 * main.width);
    expect(below.y).toBeGreaterThanOrEqual(narrow.y + narrow.height);
    expect(await marker.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expectAccessible(marker);
    await marker.screenshot({ path: `${SCREENSHOTS}/marking-390.png` });
  });
});

test("item 9: staff search and filter users, trainers and certificates by name, email and status, a page at a time", async ({ browser, baseURL }) => {
  test.setTimeout(420_000);
  const tag = `Findable${Date.now().toString(36)}`;
  const certified = await certifiedTrainer(`Ivy ${tag} Certified`, baseURL!);
  // 54 more trainers sharing the tag: with the certified one, 55 matches, a second page of 5.
  await withDatabaseOf(E2E_DATABASE, async (db) => {
    const now = new Date().toISOString();
    const rows = Array.from({ length: 54 }, (_, i) => ({ email: `${tag.toLowerCase()}.${i}@e2e.test`, name: `Ivy ${tag} ${String(i).padStart(2, "0")}`, role: "trainer" as const, password_hash: "never-signs-in", disabled_at: null, email_confirmed_at: now, created_at: now, updated_at: now }));
    await db.insertInto("user").values(rows).execute();
  });
  const names = (page: Page, cell: string) => page.locator(`tbody tr ${cell} a`).allTextContents();

  await asStaff(browser, E2E_ADMIN, async (admin) => {
    // Users: by name, a page at a time; by email; by role; by status.
    await admin.goto("/admin/users");
    const users = admin.getByRole("search", { name: "Find users" });
    await users.getByLabel("Search by name or email").fill(tag);
    await users.getByRole("button", { name: "Search" }).click();
    await expect(admin).toHaveURL(new RegExp(`q=${tag}`));
    const userPager = admin.getByRole("navigation", { name: "Pages of users", exact: true });
    await expect(userPager).toContainText("Showing 1–50 of 55 accounts");
    const first = await names(admin, "td:first-child");
    expect(first).toHaveLength(50);
    for (const n of first) expect(n).toContain(tag);
    await expectAccessible(admin);
    await userPager.getByRole("link", { name: "Next page" }).click();
    await expect(userPager).toContainText("Showing 51–55 of 55 accounts");
    const second = await names(admin, "td:first-child");
    expect(second).toHaveLength(5);
    expect(second.filter((n) => first.includes(n))).toEqual([]);
    await admin.goto(`/admin/users?q=${encodeURIComponent(certified.email)}`);
    await expect(admin.locator("tbody tr")).toHaveCount(1);
    await expect(admin.locator("tbody tr")).toContainText(`Ivy ${tag} Certified`);
    await admin.goto(`/admin/users?q=${tag}&role=assessor`);
    await expect(admin.locator("tbody")).toHaveText("No accounts match.");
    await admin.goto(`/admin/users?q=${tag}&role=trainer`);
    await expect(userPager).toContainText("of 55 accounts");
    // Disable the certified trainer: the status filter finds them, and only them.
    await admin.goto(`/admin/users?q=${encodeURIComponent(certified.email)}`);
    await admin.locator("tbody tr").getByRole("button", { name: /^Disable/ }).click();
    await expect(admin.getByRole("status")).toContainText("Account disabled");
    await admin.goto("/admin/users");
    await users.getByLabel("Search by name or email").fill(tag);
    await users.getByLabel("Status").selectOption("disabled");
    await users.getByRole("button", { name: "Search" }).click();
    await expect(admin.locator("tbody tr")).toHaveCount(1);
    await expect(admin.locator("tbody tr")).toContainText(`Ivy ${tag} Certified`);
    await expectAccessible(admin);
    await admin.goto(`/admin/users?q=${tag}&status=active`);
    await expect(userPager).toContainText("of 54 accounts");

    // Trainers: by name a page at a time, by email, by account status.
    await admin.goto("/trainers");
    const trainers = admin.getByRole("search", { name: "Find trainers" });
    await trainers.getByLabel("Search by name or email").fill(tag);
    await trainers.getByRole("button", { name: "Search" }).click();
    const trainerPager = admin.getByRole("navigation", { name: "Pages of trainers", exact: true });
    await expect(trainerPager).toContainText("Showing 1–50 of 55 trainers");
    await trainerPager.getByRole("link", { name: "Next page" }).click();
    await expect(trainerPager).toContainText("Showing 51–55 of 55 trainers");
    await expectAccessible(admin);
    await admin.goto(`/trainers?q=${encodeURIComponent(certified.email)}`);
    await expect(admin.locator("tbody tr")).toHaveCount(1);
    await admin.goto("/trainers");
    await trainers.getByLabel("Search by name or email").fill(tag);
    await trainers.getByLabel("Account").selectOption("disabled");
    await trainers.getByRole("button", { name: "Search" }).click();
    await expect(admin.locator("tbody tr")).toHaveCount(1);
    await expect(admin.locator("tbody tr")).toContainText("Disabled");
    await expect(admin.locator("tbody tr a")).toHaveText(`Ivy ${tag} Certified`);

    // Certificates: by trainer name, and by status.
    await admin.goto("/admin/certificates");
    const certificates = admin.getByRole("search", { name: "Find certificates" });
    await certificates.getByLabel("Search by trainer name or certificate ID").fill(`${tag} Certified`);
    await certificates.getByLabel("Status").selectOption("valid");
    await certificates.getByRole("button", { name: "Filter" }).click();
    await expect(admin.locator("tbody tr[data-certificate]")).toHaveCount(1);
    await expect(admin.locator(`tbody tr[data-certificate="${certified.certificateId}"]`)).toContainText("Valid");
    await expectAccessible(admin);
    await certificates.getByLabel("Status").selectOption("revoked");
    await certificates.getByRole("button", { name: "Filter" }).click();
    await expect(admin.locator("tbody")).toHaveText("No certificates match.");
  });
});
