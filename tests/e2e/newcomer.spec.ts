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
import { E2E_ADMIN } from "./support/accounts";
import { passModuleAssessment, readCatalog } from "./support/content";
import { withDatabaseOf } from "./support/database";
import { asStaff, expectAccessible, signUp, uniqueEmail } from "./support/helpers";

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
