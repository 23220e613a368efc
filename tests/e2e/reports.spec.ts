/**
 * Governance reporting (issue 15): an admin opens the programme dashboard, filters it by cohort,
 * downloads each CSV export (parsed here, strictly), and opens the item analysis for a module;
 * axe passes on every page. A trainer and an assessor are refused the admin reports.
 */
import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { openDatabase } from "~db/connection";
import { E2E_DATABASE } from "../../playwright.config";
import { growAcademy, seedContext } from "../../scripts/lib/seed-scale";
import { decodeKeepingBom, parseCsv } from "../helpers/csv-parse";
import { E2E_ADMIN, E2E_ASSESSOR } from "./support/accounts";
import { expectAccessible, signIn, signUp, uniqueEmail } from "./support/helpers";

const FIRST = 950_000;

test.beforeAll(async () => {
  const { db } = openDatabase(E2E_DATABASE);
  if (!(await db.selectFrom("user").select("id").where("email", "=", `trainer${FIRST}@scale.academy.invalid`).executeTakeFirst())) {
    const staff = await db.selectFrom("user").select("id").where("role", "in", ["admin", "assessor"]).execute();
    const ctx = await seedContext(db, new Date(), staff.map((s) => s.id), { pdf: null, credential: null });
    await growAcademy(db, { from: FIRST, to: FIRST + 60 }, ctx);
  }
  await db.destroy();
});

async function downloadCsv(page: Page, kind: string, range: { from?: string; to?: string } = {}): Promise<string[][]> {
  await page.goto("/reports/exports");
  await page.getByRole("radio", { name: new RegExp(`^${kind}`) }).check();
  await page.getByLabel("From").fill(range.from ?? "");
  await page.getByLabel("To").fill(range.to ?? "");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^academy-[a-z]+-.+\.csv$/);
  return parseCsv(decodeKeepingBom(fs.readFileSync((await download.path())!)));
}

test("an admin reads the programme and filters it by cohort", async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.getByRole("link", { name: "Reports", exact: true }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Programme reports" })).toBeVisible();
  const funnel = page.getByRole("region", { name: "Funnel conversion" });
  const signedUp = Number((await funnel.getByRole("row", { name: /^Signed up/ }).getByRole("cell").first().textContent())!.replace(/,/g, ""));
  expect(signedUp).toBeGreaterThanOrEqual(60);
  await expect(page.getByRole("img", { name: /signed up; \d+ certified/ })).toBeVisible();
  await expectAccessible(page);

  // Cohort: the month the seeded trainers signed up in holds some of them, never more than all.
  const cohorts = await page.getByLabel("Cohort (sign-up month)").locator("option").evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
  expect(cohorts.length).toBeGreaterThan(0);
  await page.getByLabel("Cohort (sign-up month)").selectOption(cohorts[0]!);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(new RegExp(`cohort=${cohorts[0]}`));
  // The address changes before React has rendered the cohort's figures; the funnel's introduction names the cohort once it has.
  await expect(page.getByText(/^Trainers who signed up in \w+ \d{4}: how many have reached each/)).toBeVisible();
  const inCohort = Number((await funnel.getByRole("row", { name: /^Signed up/ }).getByRole("cell").first().textContent())!.replace(/,/g, ""));
  expect(inCohort).toBeGreaterThan(0);
  expect(inCohort).toBeLessThanOrEqual(signedUp);
  await expectAccessible(page);

  // A filter that cannot be used is explained next to its field, and nothing breaks.
  await page.goto("/reports?cohort=2026-13");
  await expect(page.locator("#report-cohort-error")).toHaveText("Choose a sign-up month from the list.");
  await expectAccessible(page);
});

test("an admin downloads each CSV export", async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  const trainerCount = await (async () => {
    const { db } = openDatabase(E2E_DATABASE);
    const row = await db.selectFrom("user").select((eb) => eb.fn.countAll().as("n")).where("role", "=", "trainer").executeTakeFirstOrThrow();
    await db.destroy();
    return Number(row.n);
  })();
  // Each export downloads and parses; the audit trail needs a range and says so next to the field.
  const trainers = await downloadCsv(page, "Trainers");
  expect(trainers[0]).toContain("Certificate status");
  expect(trainers.length - 1).toBe(trainerCount);
  const certificates = await downloadCsv(page, "Certificates");
  expect(certificates[0]!.slice(0, 3)).toEqual(["Certificate ID", "Trainer ID", "Trainer name"]);
  expect(certificates.length).toBeGreaterThan(1);
  const marking = await downloadCsv(page, "Report marking");
  expect(marking[0]).toContain("Outcome");
  await page.goto("/reports/exports");
  await page.getByRole("radio", { name: /^Audit trail/ }).check();
  await page.getByRole("button", { name: "Download CSV" }).click();
  await expect(page.locator("#field-from-error")).toContainText("Enter the first day of the audit trail to export.");
  await expectAccessible(page);
  const today = new Date().toISOString().slice(0, 10);
  const audit = await downloadCsv(page, "Audit trail", { from: new Date(Date.now() - 300 * 86_400_000).toISOString().slice(0, 10), to: today });
  expect(audit.slice(1).some((row) => row[6] === "report.exported")).toBe(true);
});

test("an admin opens the item analysis of a module", async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto("/reports/items");
  await expectAccessible(page);
  await page.getByLabel("Module", { exact: true }).selectOption({ index: 1 });
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.getByRole("heading", { level: 2, name: /^Version / })).toBeVisible();
  const rows = page.getByRole("region", { name: "Question statistics" }).locator("tbody tr");
  expect(await rows.count()).toBeGreaterThan(3);
  await expect(page.getByRole("img", { name: /^Scores of \d+ attempts/ })).toBeVisible();
  await expectAccessible(page);
});

test("trainers and assessors cannot open the admin reports", async ({ page, browser }) => {
  await signUp(page, { name: "Rita Reports", email: uniqueEmail("reports"), password: "a long trainer password" });
  for (const path of ["/reports", "/reports/exports", "/reports/export?kind=trainers", "/reports/items"]) {
    expect((await page.request.get(path, { maxRedirects: 0 })).status(), path).toBe(403);
  }
  const context = await browser.newContext();
  const assessor = await context.newPage();
  await signIn(assessor, E2E_ASSESSOR.email, E2E_ASSESSOR.password);
  for (const path of ["/reports/exports", "/reports/export?kind=audit&from=2026-01-01&to=2026-01-02"]) {
    expect((await assessor.request.get(path, { maxRedirects: 0 })).status(), path).toBe(403);
  }
  // An assessor's reports page is their own queues, and the item analysis is open to them.
  await assessor.goto("/reports");
  await expect(assessor.getByRole("heading", { level: 1, name: "Your queues" })).toBeVisible();
  await expectAccessible(assessor);
  expect((await assessor.request.get("/reports/items")).status()).toBe(200);
  await context.close();
});
