import { expect, test, type Page } from "@playwright/test";
import { E2E_ADMIN } from "./support/accounts";
import { passModuleAssessment } from "./support/content";
import { expectAccessible, setServerClockOffset, signIn, signUp, uniqueEmail } from "./support/helpers";

/**
 * Issue 16.14: one date and time rule. A trainer passes an assessment at 23:30 UTC on 30 June,
 * which is 00:30 on 1 July in the UK (summer time). Every page that shows that moment, as a day
 * or as a moment, says 1 July, in the one style per kind; none says 30 June or shows an ISO date.
 */
const MOMENT = Date.parse("2027-06-30T23:30:00Z");
const UK_DAY = "1 July 2027";
const UTC_DAY = /30 June 2027|2027-06-30|30 Jun 2027|30\/06\/2027/;

test.afterEach(async ({ page }) => {
  await setServerClockOffset(page, 0);
});

async function expectUkDay(page: Page, path: string, moment: boolean) {
  await page.goto(path);
  const main = page.locator("main");
  await expect(main).toContainText(moment ? new RegExp(`${UK_DAY}, 00:3\\d`) : UK_DAY);
  await expect(main).not.toContainText(UTC_DAY);
  await expect(main).not.toContainText(/\b\d{4}-\d{2}-\d{2}\b/);
}

test("a moment just after midnight in UK summer time shows the same day on every page", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await setServerClockOffset(page, MOMENT - Date.now());
  const email = uniqueEmail("dates");
  await signUp(page, { name: "Dana Dates", email, password: "dana dates password" });
  await passModuleAssessment(page, "safeguarding");
  const resultUrl = new URL(page.url()).pathname;

  await expectUkDay(page, resultUrl, true);
  await expectAccessible(page);
  await expectUkDay(page, "/modules/safeguarding/assessment", true);
  await expectUkDay(page, "/modules", false);
  await expectUkDay(page, "/dashboard", false);

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signIn(admin, E2E_ADMIN.email, E2E_ADMIN.password);
  await admin.goto(`/trainers?q=${encodeURIComponent("Dana Dates")}`);
  await admin.getByRole("link", { name: "Dana Dates" }).first().click();
  await expect(admin).toHaveURL(/\/trainers\/\d+$/);
  const trainerPath = new URL(admin.url()).pathname;
  await expectUkDay(admin, trainerPath, false);
  await expect(admin.locator("main")).toContainText(new RegExp(`${UK_DAY}, 00:3\\d`));
  await expectAccessible(admin);
  await adminContext.close();
});
