import { expect, test, type Browser, type Page } from "@playwright/test";
import { E2E_ADMIN, E2E_ASSESSOR } from "./support/accounts";
import { passModuleAssessment, readCatalog } from "./support/content";
import { expectAccessible, signIn, signUp, uniqueEmail } from "./support/helpers";

/**
 * Notifications (issue 12 item 3, ADR 0028): a trainer sees the bell's count once an assessor
 * releases their report's outcome, opens the list, marks it read; another person cannot mark it;
 * the email choice is saved on the account page. axe on the new page and the changed account page.
 */
const task = readCatalog().modules.find((m) => m.slug === "report-writing")!.reportTask!;

async function staffPage(browser: Browser, account: { email: string; password: string }): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, account.email, account.password);
  return page;
}

const bell = (page: Page) => page.getByRole("banner").getByRole("link", { name: /^Notifications/ });

test("a trainer sees the bell count after an assessor releases their report outcome, opens the list and marks it read", async ({ page, browser }) => {
  // A long story (module assessment, report, marking): a larger safety net than the default on a busy machine.
  test.setTimeout(420_000);
  // Passes are released at once (no moderation sample), so the marker's pass reaches the trainer.
  const admin = await staffPage(browser, E2E_ADMIN);
  await admin.goto("/admin/report-marking");
  await admin.getByLabel("Percentage of passes to moderate").fill("0");
  await admin.getByRole("button", { name: "Save settings" }).click();
  await expect(admin.getByText("Settings saved.")).toBeVisible();

  await signUp(page, { name: "Nia Notified", email: uniqueEmail("notified"), password: "nia password 12" });
  await page.goto("/dashboard");
  await expect(bell(page)).toHaveAccessibleName("Notifications, none unread");

  await passModuleAssessment(page, "report-writing");
  await page.goto("/report-task");
  await page.getByRole("textbox", { name: "Your report" }).fill(
    [
      "# Progress report: sessions 1 to 12",
      "",
      "To: Priya Shah, case manager. From: the personal trainer. Covers 22 April to 29 May.",
      "",
      "## Progress against the goals",
      "",
      "- Walking: 450 metres without stopping in 9 minutes on 29 May; the baseline was 150 metres.",
      "- Sit to stand: 13 seconds without using arms on 27 May; the baseline was 22 seconds.",
      "",
      "## Next steps",
      "",
      "Continue two sessions a week and review the goals with the case manager at session 18.",
    ].join("\n"),
  );
  await expect(page.locator(".save-status")).toHaveText(/Draft saved at/);
  await page.getByLabel(/This is my own work and my final version/).check();
  await page.getByRole("button", { name: "Submit my report" }).click();
  await expect(page.getByText("Your report (version 1) has been submitted.")).toBeVisible();
  await page.getByRole("link", { name: "Version 1" }).click();
  // Read the id once the submission page is there, not while the click is still navigating.
  await page.waitForURL(/\/report-task\/submissions\/\d+$/);
  const submissionId = Number(new URL(page.url()).pathname.split("/").pop());

  // The assessor's bell counts the report waiting to be marked.
  const marker = await staffPage(browser, E2E_ASSESSOR);
  await expect(bell(marker)).toHaveAccessibleName(/^Notifications, \d+ unread$/);
  await marker.goto(`/marking/${submissionId}`);
  await marker.getByRole("button", { name: "Start marking" }).click();
  for (const criterion of task.rubric) {
    const level = criterion.levels.find((l) => l.met)!;
    await marker.locator(`[data-criterion="${criterion.id}"]`).getByLabel(new RegExp(`^${level.label}:`)).check();
  }
  await marker.getByLabel("Pass", { exact: true }).check();
  await marker.getByLabel("Overall feedback for the trainer").fill("Clear, dated and within scope.");
  await marker.getByRole("button", { name: "Save the mark" }).click();
  await expect(marker.getByText("Status: Released")).toBeVisible();

  // The trainer's bell now says one unread, with a text label and the count in its name.
  await page.goto("/dashboard");
  await expect(bell(page)).toHaveAccessibleName("Notifications, 1 unread");
  await expectAccessible(page);
  await bell(page).click();
  await expect(page).toHaveURL(/\/notifications$/);
  await expect(page.getByRole("heading", { name: "Notifications", level: 1 })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "You have 1 unread notification." })).toBeVisible();
  const item = page.getByRole("listitem").filter({ hasText: "Your report has passed" });
  await expect(item).toContainText("Report outcomes");
  await expect(item.getByRole("link", { name: "Your report has passed" })).toHaveAttribute("href", `/report-task/submissions/${submissionId}`);
  await expectAccessible(page);

  // Someone else cannot mark it read (it is not theirs: not found), and it stays unread.
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  await signUp(other, { name: "Olu Other", email: uniqueEmail("other"), password: "olu password 123" });
  const id = await item.locator('input[name="id"]').getAttribute("value");
  const refused = await other.request.post("/notifications", { form: { intent: "read", id: id! } });
  expect(refused.status()).toBe(404);
  await other.goto("/notifications");
  await expect(other.getByText("Your report has passed")).toHaveCount(0);
  await otherContext.close();
  await page.reload();
  await expect(bell(page)).toHaveAccessibleName("Notifications, 1 unread");

  await item.getByRole("button", { name: "Mark as read: Your report has passed" }).click();
  await expect(page.getByRole("status").filter({ hasText: "You have no unread notifications." })).toBeVisible();
  await expect(bell(page)).toHaveAccessibleName("Notifications, none unread");
  await expect(page.getByRole("button", { name: /Mark as read/ })).toHaveCount(0);
  await expectAccessible(page);
});

test("each person chooses digest or immediate email on the account page; a made-up choice is refused and changes nothing", async ({ page }) => {
  await signUp(page, { name: "Pat Preference", email: uniqueEmail("pref"), password: "pat password 123" });
  await page.goto("/account");
  const group = page.getByRole("group", { name: "For everything else" });
  await expect(group.getByLabel("Email me about each one as it happens")).toBeChecked();
  await expectAccessible(page);
  await group.getByLabel(/One email a day/).check();
  await page.getByRole("button", { name: "Save email choice" }).click();
  await expect(page.getByText("Your email choice has been saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("group", { name: "For everything else" }).getByLabel(/One email a day/)).toBeChecked();
  await expectAccessible(page);

  const refused = await page.request.post("/account", { form: { intent: "notifications", emailMode: "weekly" } });
  expect(refused.status()).toBe(400);
  await page.goto("/account");
  await expect(page.getByRole("group", { name: "For everything else" }).getByLabel(/One email a day/)).toBeChecked();
});

test("signed out, the notifications page asks you to sign in", async ({ page }) => {
  await page.goto("/notifications");
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole("banner").getByRole("link", { name: /^Notifications/ })).toHaveCount(0);
});
