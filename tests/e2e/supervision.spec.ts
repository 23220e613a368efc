/**
 * Story (a) of issue 12 (ADR 0026): an admin assigns a supervisor; the supervisor records a
 * session; the trainer reads and confirms it; the next due date shows on both dashboards. The
 * test clock moves past the due date plus the grace period: trainer, supervisor and admin are
 * flagged, the certificate stays valid while the policy switch is off, and with it on the
 * verification page reads "Suspended — supervision overdue", showing nothing of the record.
 * Another trainer and an assessor who does not supervise get no access. axe on every new page.
 */
import { expect, test, type Page } from "@playwright/test";
import { E2E_DATABASE } from "../../playwright.config";
import { E2E_ADMIN, E2E_ASSESSOR, E2E_ASSESSOR_2 } from "./support/accounts";
import { seedCertifiedInE2e } from "./support/certified";
import { withDatabaseOf } from "./support/database";
import { expectAccessible, setServerClockOffset, signIn, signOut } from "./support/helpers";

const DAY = 24 * 60 * 60 * 1000;
const SUMMARY = "Discussed pacing with a client recovering from a knee replacement; debrief after a fall in the gym.";
const ACTION = "Review the falls guidance before the next session";

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
const longDate = (date: string) => new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${date}T00:00:00Z`));

async function setSuspensionSwitch(page: Page, on: boolean) {
  await page.goto("/admin/policy");
  const box = page.getByLabel("Overdue supervision suspends the certificate");
  if (on) await box.check();
  else await box.uncheck();
  await page.getByRole("button", { name: "Save policy" }).click();
  await expect(page.getByRole("status")).toContainText(/saved|Nothing changed/);
}

test.afterAll(async ({ browser }) => {
  // Leave the shared server as other specs expect it: real time, the switch off.
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const page = await context.newPage();
  await setServerClockOffset(page, 0);
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await setSuspensionSwitch(page, false);
  await context.close();
});

test("a supervisor records a session, the trainer confirms it; overdue is flagged to all three and, with the switch on, suspends the certificate", async ({ page, browser, baseURL }) => {
  test.setTimeout(240_000);
  const trainer = await seedCertifiedInE2e("Tess Supervised", baseURL!);
  const trainerId = await withDatabaseOf(E2E_DATABASE, async (db) => (await db.selectFrom("user").select("id").where("email", "=", trainer.email).executeTakeFirstOrThrow()).id);

  // 1. The admin assigns Sam Assessor as supervisor.
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto(`/trainers/${trainerId}`);
  await page.getByRole("link", { name: "Supervision record" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Supervision: Tess Supervised");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Assign the supervisor" }).click();
  await expect(page.getByText("Choose a supervisor.").first()).toBeVisible();
  await page.getByLabel("Supervisor (an assessor)").selectOption({ label: E2E_ASSESSOR.name });
  await page.getByRole("button", { name: "Assign the supervisor" }).click();
  await expect(page.getByRole("status")).toContainText("Supervisor assigned.");
  await signOut(page);

  // 2. Another assessor and another trainer cannot open the record.
  const stranger = await seedCertifiedInE2e("Other Trainee", baseURL!);
  await signIn(page, stranger.email, stranger.password);
  expect((await page.goto(`/supervision/${trainerId}`))?.status()).toBe(403);
  await signOut(page);
  await signIn(page, E2E_ASSESSOR_2.email, E2E_ASSESSOR_2.password);
  expect((await page.goto(`/supervision/${trainerId}`))?.status()).toBe(403);
  await signOut(page);

  // 3. The supervisor records a session from their dashboard; bad input gets field messages.
  await signIn(page, E2E_ASSESSOR.email, E2E_ASSESSOR.password);
  await page.goto("/dashboard");
  await page.getByRole("region", { name: "Trainers you supervise" }).getByRole("link", { name: "Tess Supervised" }).click();
  await expectAccessible(page);
  const today = await page.getByLabel("Date of the session").inputValue();
  const nextDue = addDays(today, 7);
  await page.getByLabel("Summary").fill("Rang her on 07700 900123.");
  await page.getByRole("button", { name: "Record the session" }).click();
  await expect(page.getByText("Choose how the session was held.")).toBeVisible();
  await expect(page.getByText("Choose at least one topic discussed.")).toBeVisible();
  await expect(page.getByText("Remove a telephone number: supervision records hold no client-identifying details.")).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Video call").check();
  await page.getByLabel("Cases discussed (without client-identifying details)").check();
  await page.getByLabel("Wellbeing and debrief after distressing events").check();
  await page.getByLabel("Summary").fill(SUMMARY);
  await page.getByLabel("Action 1", { exact: true }).fill(ACTION);
  await page.getByLabel("Action 1 due by").fill(addDays(today, 5));
  await page.getByLabel("Next session due by").fill(nextDue);
  await page.getByRole("button", { name: "Record the session" }).click();
  await expect(page.getByRole("status")).toContainText("Session recorded.");
  await expect(page.getByText(SUMMARY)).toBeVisible();
  await signOut(page);

  // 4. The trainer reads and confirms it; the next due date is on their dashboard.
  await signIn(page, trainer.email, trainer.password);
  await page.goto("/dashboard");
  const own = page.getByRole("region", { name: "Supervision", exact: true });
  await expect(own).toContainText(`Next session due by ${longDate(nextDue)}`);
  await expect(own).toContainText("1 session is waiting for you to confirm.");
  await expectAccessible(page);
  await own.getByRole("link", { name: "Your supervision record" }).click();
  await expect(page.getByText(SUMMARY)).toBeVisible();
  await expect(page.getByText(ACTION)).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Confirm this record" }).click();
  await expect(page.getByRole("status")).toContainText("the session is confirmed");
  await expect(page.getByRole("button", { name: "Confirm this record" })).toHaveCount(0);
  await signOut(page);

  // …and on the supervisor's.
  await signIn(page, E2E_ASSESSOR.email, E2E_ASSESSOR.password);
  await page.goto("/dashboard");
  const row = page.getByRole("region", { name: "Trainers you supervise" }).getByRole("row", { name: /Tess Supervised/ });
  await expect(row).toContainText(longDate(nextDue));
  await expect(row).toContainText("Scheduled");
  await expectAccessible(page);
  await signOut(page);

  // 5. Past the due date plus the 14 days' grace: flagged to trainer, supervisor and admins.
  await setServerClockOffset(page, 23 * DAY);
  await signIn(page, trainer.email, trainer.password);
  await page.goto("/dashboard");
  await expect(page.getByRole("region", { name: "Your supervision is overdue" })).toContainText("Arrange a session with your supervisor");
  await expectAccessible(page);
  await signOut(page);
  await signIn(page, E2E_ASSESSOR.email, E2E_ASSESSOR.password);
  await page.goto("/dashboard");
  await expect(page.getByRole("region", { name: "Trainers you supervise" }).getByRole("row", { name: /Tess Supervised/ })).toContainText("Overdue");
  await signOut(page);
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto("/dashboard");
  const adminPanel = page.getByRole("region", { name: "Supervision", exact: true });
  await expect(adminPanel.getByRole("row", { name: /Tess Supervised/ })).toContainText("Overdue");
  await expectAccessible(page);

  // 6. The switch is off by default: the certificate stays valid. With it on: suspended.
  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  await visitor.goto(`/verify/${trainer.certificateId}`);
  await expect(visitor.locator(".verify-status__value")).toHaveText(/Valid/);
  await setSuspensionSwitch(page, true);
  await expectAccessible(page);
  await visitor.goto(`/verify/${trainer.certificateId}`);
  await expect(visitor.locator(".verify-status__value")).toHaveText(/Suspended — supervision overdue/);
  await expectAccessible(visitor);
  const json = (await (await visitor.request.get(`/verify/${trainer.certificateId}.json`)).json()) as { status: string; reason: string };
  expect(json).toMatchObject({ status: "suspended", reason: "supervision overdue" });

  // Nothing of the record is public: not the summary, the action, the supervisor or an email address.
  for (const path of [`/verify/${trainer.certificateId}`, `/verify/${trainer.certificateId}.json`, "/register"]) {
    const body = await (await visitor.request.get(path)).text();
    for (const secret of [SUMMARY, ACTION, E2E_ASSESSOR.name, E2E_ASSESSOR.email, trainer.email]) expect(body, `${path} holds ${secret}`).not.toContain(secret);
  }
  await visitorContext.close();
  await setSuspensionSwitch(page, false);
  await signOut(page);
});
