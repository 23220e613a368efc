import { expect, test, type Browser, type Page } from "@playwright/test";
import { E2E_ADMIN, E2E_ASSESSOR, E2E_ASSESSOR_2 } from "./support/accounts";
import { passModuleAssessment, readCatalog } from "./support/content";
import { expectAccessible, signIn, signUp, uniqueEmail } from "./support/helpers";

const task = readCatalog().modules.find((m) => m.slug === "report-writing")!.reportTask!;
const XSS_SCRIPT = '<script>window.__xss = "script"</script>';
const XSS_IMG = '<img src=x onerror="window.__xss = \'img\'">';
const REPORT_V1 = [
  "# Progress report: sessions 1 to 12",
  "",
  "To: Priya Shah, case manager. From: the personal trainer. Covers 22 April to 29 May.",
  "",
  "## Progress against the goals",
  "",
  "- Walking: 450 metres without stopping in 9 minutes (29 May); baseline 150 metres.",
  "- Sit to stand: 13 seconds without using arms (27 May); baseline 22 seconds.",
  "",
  "She is doing really well and the dizziness was probably her tablets.",
  "",
  XSS_SCRIPT,
  "",
  XSS_IMG,
].join("\n");

async function staffPage(browser: Browser, account: { email: string; password: string }) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, account.email, account.password);
  return page;
}

/** Fills the rubric: every criterion met, or every must-meet one not met (with a comment). */
async function fillRubric(page: Page, mode: "all-met" | "must-meet-unmet") {
  for (const criterion of task.rubric) {
    const fieldset = page.locator(`[data-criterion="${criterion.id}"]`);
    const level = mode === "all-met" || !criterion.mustMeet ? criterion.levels.find((l) => l.met)! : criterion.levels.find((l) => !l.met)!;
    await fieldset.getByLabel(new RegExp(`^${level.label}:`)).check();
    if (!level.met) await fieldset.getByLabel(`Comment on ${criterion.title}`).fill(`Needs work on ${criterion.title.toLowerCase()}.`);
  }
}

test("a trainer writes, is referred with feedback released after moderation, resubmits and passes", async ({ page, browser }) => {
  // The admin samples every pass for moderation, so the second version goes to a second assessor too.
  const admin = await staffPage(browser, E2E_ADMIN);
  await admin.goto("/admin/report-marking");
  await expectAccessible(admin);
  await admin.getByLabel("Percentage of passes to moderate").fill("100");
  await admin.getByRole("button", { name: "Save settings" }).click();
  await expect(admin.getByText("Settings saved.")).toBeVisible();

  const email = uniqueEmail();
  await signUp(page, { name: "Jordan Writer", email, password: "jordan password 1" });

  // Before the module assessment is passed, the task explains why it is closed.
  await page.goto("/report-task");
  await expect(page.getByRole("status").filter({ hasText: "opens when you have passed the assessment" })).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Your report" })).toHaveCount(0);
  await expectAccessible(page);

  await passModuleAssessment(page, "report-writing");
  await page.goto("/dashboard");
  await expect(page.locator('[data-step="report-task"]')).toContainText("Not started");

  // Write a draft: it autosaves, and a reload keeps it.
  await page.goto("/report-task");
  await expect(page.getByRole("heading", { name: "Session notes" })).toBeVisible();
  await expect(page.getByText("light-headed", { exact: false })).toBeVisible();
  const editor = page.getByRole("textbox", { name: "Your report" });
  await editor.fill(REPORT_V1);
  await expect(page.locator("#report-word-count")).toContainText("words (limit 20,000)");
  await expect(page.locator(".save-status")).toHaveText(/Draft saved at/);
  await expectAccessible(page);
  await page.reload();
  await expect(page.getByRole("textbox", { name: "Your report" })).toHaveValue(REPORT_V1);

  // A lost connection loses nothing: the browser's copy is restored with a notice.
  await page.context().setOffline(true);
  await page.getByRole("textbox", { name: "Your report" }).press("Control+End");
  await page.getByRole("textbox", { name: "Your report" }).pressSequentially(" Typed offline.");
  await expect(page.locator(".save-status")).toContainText("Not saved to the server");
  await page.context().setOffline(false);
  await page.reload();
  await expect(page.getByText("We restored changes from this browser")).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Your report" })).toHaveValue(`${REPORT_V1} Typed offline.`);
  await expect(page.locator(".save-status")).toHaveText(/Draft saved at/);

  // Preview renders the Markdown, with HTML shown as text.
  await page.getByRole("button", { name: "Show preview" }).click();
  const preview = page.getByRole("region", { name: "Preview of your report" });
  await expect(preview.getByRole("heading", { name: "Progress against the goals" })).toBeVisible();
  await expect(preview.getByText(XSS_SCRIPT)).toBeVisible();
  await expectAccessible(page);

  // Submitting needs the confirmation.
  await page.getByRole("button", { name: "Submit my report" }).click();
  await expect(page.getByText("Tick the box to confirm this is your final version.")).toBeVisible();
  await page.getByLabel(/This is my own work and my final version/).check();
  await page.getByRole("button", { name: "Submit my report" }).click();
  await expect(page.getByText("Your report (version 1) has been submitted.")).toBeVisible();
  await expect(page.getByRole("status").getByText("Submitted: waiting for an assessor")).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("link", { name: "Version 1" }).click();
  await expect(page).toHaveURL(/\/report-task\/submissions\/\d+$/);
  await expect(page.getByRole("heading", { name: "Your report, version 1" })).toBeVisible();
  await expectAccessible(page);
  const submissionUrl = page.url();
  const submissionId = Number(submissionUrl.split("/").pop());

  // Another trainer cannot read it.
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  await signUp(other, { name: "Casey Curious", email: uniqueEmail(), password: "casey password 1" });
  const forbidden = await other.request.get(`/report-task/submissions/${submissionId}`);
  expect(forbidden.status()).toBe(403);
  expect(await forbidden.text()).not.toContain("Progress against the goals");
  await other.goto(`/report-task/submissions/${submissionId}`);
  await expectAccessible(other);
  await otherContext.close();

  // The first assessor takes it from the queue; the XSS payloads show as text and never run.
  const marker = await staffPage(browser, E2E_ASSESSOR);
  await marker.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Marking" }).click();
  const row = marker.locator(`tr[data-submission="${submissionId}"]`);
  await expect(row).toContainText("Jordan Writer");
  await expect(row).toContainText("Waiting to be marked");
  await expectAccessible(marker);
  await row.getByRole("link", { name: "Jordan Writer" }).click();
  const submission = marker.getByRole("region", { name: "Submission" });
  await expect(submission.getByText(XSS_SCRIPT)).toBeVisible();
  await expect(submission.getByText(XSS_IMG)).toBeVisible();
  expect(await submission.locator("script, img").count()).toBe(0);
  expect(await marker.evaluate(() => (window as unknown as { __xss?: string }).__xss)).toBeUndefined();
  // The scenario is folded above the submission (issue 13.11), one click away.
  await marker.getByText("Scenario and instructions the trainer was given").click();
  await expect(marker.getByRole("region", { name: "Scenario" }).getByRole("heading", { name: "Goals agreed by the team" })).toBeVisible();
  await expectAccessible(marker);
  await marker.getByRole("button", { name: "Start marking" }).click();

  // The second assessor is told who has it.
  const moderator = await staffPage(browser, E2E_ASSESSOR_2);
  await moderator.goto(`/marking/${submissionId}`);
  await expect(moderator.getByText(`${E2E_ASSESSOR.name} is marking this submission.`)).toBeVisible();
  await expect(moderator.getByRole("button", { name: "Start marking" })).toHaveCount(0);

  // A pass with must-meet criteria unmet is refused; the marker refers with comments.
  await fillRubric(marker, "must-meet-unmet");
  await marker.getByLabel("Pass", { exact: true }).check();
  await marker.getByLabel("Overall feedback for the trainer").fill("Report facts with dates; do not suggest causes for symptoms.");
  await marker.getByRole("button", { name: "Save the mark" }).click();
  await expect(marker.locator("#field-outcome-error")).toContainText("A report cannot pass while a must-meet criterion is not met");
  await expectAccessible(marker);
  await marker.getByLabel("Refer (the trainer resubmits)").check();
  await marker.getByRole("button", { name: "Save the mark" }).click();
  await expect(marker.getByText("Status: Marked: waiting for moderation")).toBeVisible();
  await expect(marker.getByText("You marked this submission. A second assessor must moderate it (an admin can moderate it too).")).toBeVisible();

  // Before release the trainer sees no mark or feedback, not even in the page's data.
  await page.goto(submissionUrl);
  await expect(page.getByText("The feedback will appear here once")).toBeVisible();
  const before = await page.content();
  expect(before).not.toContain("Needs work on");
  expect(before).not.toContain("do not suggest causes");
  await expect(page.getByText("Status: Being marked")).toBeVisible();
  await expectAccessible(page);

  // The second assessor moderates and agrees: the referral is released.
  await moderator.goto("/marking?queue=moderate");
  await moderator.locator(`tr[data-submission="${submissionId}"]`).getByRole("link").click();
  await moderator.getByRole("button", { name: "Start moderating" }).click();
  await expectAccessible(moderator);
  await moderator.getByRole("button", { name: "Agree with the marker and release" }).click();
  await expect(moderator.getByText("Status: Released")).toBeVisible();

  // Now the trainer sees the feedback and resubmits.
  await page.goto("/dashboard");
  await expect(page.locator('[data-step="report-task"]')).toContainText("Referred");
  await page.goto(submissionUrl);
  await expect(page.getByRole("heading", { name: /Outcome: Refer/ })).toBeVisible();
  await expect(page.getByText("Report facts with dates; do not suggest causes for symptoms.")).toBeVisible();
  await expect(page.locator('tr[data-criterion="within-scope"]')).toContainText("Needs work on within scope");
  await expectAccessible(page);
  await page.getByRole("link", { name: "Write a new version" }).click();
  await expect(page.getByRole("heading", { name: "Write version 2" })).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Your report" })).toHaveValue(`${REPORT_V1} Typed offline.`);
  const revised = REPORT_V1.replace("She is doing really well and the dizziness was probably her tablets.", "## Incident on 13 May\n\nShe reported feeling light-headed; I stopped the session and phoned you at 11:45.");
  await page.getByRole("textbox", { name: "Your report" }).fill(revised);
  await expect(page.locator(".save-status")).toHaveText(/Draft saved at/);
  await page.getByLabel(/This is my own work and my final version/).check();
  await page.getByRole("button", { name: "Submit my report" }).click();
  await expect(page.getByText("Your report (version 2) has been submitted.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Version 1" })).toBeVisible();
  await expectAccessible(page);

  // The first assessor passes version 2; it is sampled for moderation (100% of passes).
  await marker.goto("/marking");
  await marker.locator("#queue-mark ~ div tr", { hasText: "Jordan Writer" }).getByRole("link").click();
  await expect(marker.getByRole("heading", { name: "Report from Jordan Writer, version 2" })).toBeVisible();
  await expect(marker.getByRole("link", { name: "Version 1" })).toBeVisible();
  await marker.getByRole("button", { name: "Start marking" }).click();
  await fillRubric(marker, "all-met");
  await marker.getByLabel("Pass", { exact: true }).check();
  await marker.getByLabel("Overall feedback for the trainer").fill("Clear, factual and within scope.");
  await marker.getByRole("button", { name: "Save the mark" }).click();
  await expect(marker.getByText("Status: Marked: waiting for moderation")).toBeVisible();
  await expect(marker).toHaveURL(/\/marking\/\d+$/);
  const version2Url = marker.url();

  await moderator.goto(version2Url);
  await moderator.getByRole("button", { name: "Start moderating" }).click();
  await moderator.getByRole("button", { name: "Agree with the marker and release" }).click();
  await expect(moderator.getByText("Status: Released")).toBeVisible();
  await expectAccessible(moderator);

  // The trainer's dashboard shows the task passed and the module complete.
  await page.goto("/dashboard");
  await expect(page.locator('[data-step="report-task"]')).toContainText("Passed on");
  await expect(page.locator('.module-status[data-module="report-writing"]')).toContainText("Assessment passed");
  await expectAccessible(page);
  await page.goto("/report-task");
  await expect(page.getByText("You passed the report-writing task.")).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Your report" })).toHaveCount(0);
  await expectAccessible(page);

  // Every step is in the audit trail.
  await admin.goto("/admin/audit");
  for (const action of ["report.submitted", "report.marking_started", "report.marked", "report.moderated", "report.released"]) {
    await expect(admin.locator("td", { hasText: action }).first()).toBeVisible();
  }
  await admin.goto("/marking");
  await expectAccessible(admin);
});
