/**
 * Staff lists at more than one page (issue 19; issue 13 items 9 and 13): an admin searches
 * trainers by name, pages forward and back, filters certificates expiring within 30 days, sorts
 * the certificates table, and sees every queue's count and oldest age on the dashboard. The
 * academy is grown with the project's own seeding, written into the server's database.
 */
import { expect, test, type Page } from "@playwright/test";
import { openDatabase } from "~db/connection";
import { E2E_DATABASE } from "../../playwright.config";
import { growAcademy, seedContext } from "../../scripts/lib/seed-scale";
import { E2E_ADMIN } from "./support/accounts";
import { expectAccessible, signIn } from "./support/helpers";

const FIRST = 900_000;

test.beforeAll(async () => {
  const { db } = openDatabase(E2E_DATABASE);
  // Once per server: a retried worker finds them there.
  if (await db.selectFrom("user").select("id").where("email", "=", `trainer${FIRST}@scale.academy.invalid`).executeTakeFirst()) return void (await db.destroy());
  const staff = await db.selectFrom("user").select("id").where("role", "in", ["admin", "assessor"]).execute();
  const ctx = await seedContext(db, new Date(), staff.map((s) => s.id), { pdf: null, credential: null });
  await growAcademy(db, { from: FIRST, to: FIRST + 130 }, ctx);
  await db.destroy();
});

const pager = (page: Page) => page.getByRole("navigation", { name: /^Pages of / }).first();
const LONG_DATE = /^(\d{1,2}) (January|February|March|April|May|June|July|August|September|October|November|December) (\d{4})$/;
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const toIso = (text: string) => {
  const m = LONG_DATE.exec(text.trim());
  if (!m) throw new Error(`Not a date: ${text}`);
  return `${m[3]}-${String(MONTHS.indexOf(m[2]!) + 1).padStart(2, "0")}-${m[1]!.padStart(2, "0")}`;
};

test("an admin finds trainers by name and pages through the list", async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto("/trainers");
  await expect(pager(page)).toContainText(/Showing 1–50 of \d+ trainers/);
  await expect(pager(page).getByRole("link", { name: "First page" })).toHaveAttribute("aria-current", "page");
  await expectAccessible(page);

  // Search by name: only matching trainers, and the search is in the address.
  await page.getByLabel("Search by name or email").fill("Hughes");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/q=Hughes/);
  // The address changes before React has put the found rows in the table: read them until they are the search's.
  await expect(async () => {
    const names = await page.locator("tbody tr td:first-child a").allTextContents();
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).toContain("Hughes");
  }).toPass({ timeout: 10_000 });
  await expectAccessible(page);

  // Forward and back, 50 at a time.
  await page.goto("/trainers");
  const firstPage = await page.locator("tbody tr td:first-child a").allTextContents();
  expect(firstPage).toHaveLength(50);
  await pager(page).getByRole("link", { name: "Next page" }).click();
  await expect(page).toHaveURL(/after=/);
  await expect(pager(page)).toContainText(/Showing 51–100 of/);
  const secondPage = await page.locator("tbody tr td:first-child a").allTextContents();
  expect(secondPage).toHaveLength(50);
  expect(secondPage.filter((n) => firstPage.includes(n))).toEqual([]);
  await expect(pager(page).getByRole("link", { name: "First page" })).not.toHaveAttribute("aria-current", "page");
  await expectAccessible(page);
  await pager(page).getByRole("link", { name: "Previous page" }).click();
  await expect(pager(page)).toContainText(/Showing 1–50 of/);
  expect(await page.locator("tbody tr td:first-child a").allTextContents()).toEqual(firstPage);

  // A mangled address falls back to the first page, never an error.
  for (const url of ["/trainers?after=garbage&limit=100000", "/admin/users?before=%25%25&sort=nonsense", "/admin/certificates?after=WyJ4Il0&status=maybe&expiring=12", "/admin/audit?after=-1&action=nope"]) {
    const response = await page.goto(url);
    expect(response?.status(), url).toBe(200);
    expect(await page.locator("tbody tr").count()).toBeLessThanOrEqual(100);
  }
});

test("an admin filters certificates expiring within 30 days and sorts the table", async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto("/admin/certificates");
  await page.getByLabel("Search by trainer name or certificate ID").fill("");
  await page.getByLabel("Expiring").selectOption("30");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/expiring=30/);
  // The address changes before React has put the filtered rows in the table; the caption names the filters of the rows shown.
  await expect(page.locator(".cert-table caption")).toHaveText("Certificates, expiring in the next 30 days; select a column heading to sort by it");
  const rows = page.locator("tbody tr[data-certificate]");
  expect(await rows.count()).toBeGreaterThan(0);
  const today = new Date().toISOString().slice(0, 10);
  const limit = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  for (const row of await rows.all()) {
    await expect(row.locator("td").nth(1)).toContainText("Valid");
    const expires = toIso(await row.locator("td").nth(3).innerText());
    expect(expires > today && expires <= limit, expires).toBe(true);
  }
  await expectAccessible(page);

  // Sort by expiry, then reverse it.
  await page.goto("/admin/certificates");
  await page.getByRole("columnheader", { name: /Expires/ }).getByRole("link").click();
  await expect(page.getByRole("columnheader", { name: /Expires/ })).toHaveAttribute("aria-sort", "ascending");
  const ascending = (await page.locator("tbody tr[data-certificate] td:nth-child(4)").allInnerTexts()).map(toIso);
  expect(ascending.length).toBeGreaterThan(1);
  expect([...ascending].sort()).toEqual(ascending);
  await page.getByRole("columnheader", { name: /Expires/ }).getByRole("link").click();
  await expect(page.getByRole("columnheader", { name: /Expires/ })).toHaveAttribute("aria-sort", "descending");
  const descending = (await page.locator("tbody tr[data-certificate] td:nth-child(4)").allInnerTexts()).map(toIso);
  expect([...descending].sort().reverse()).toEqual(descending);
  await page.getByRole("columnheader", { name: /Trainer/ }).getByRole("link").click();
  await expect(page.getByRole("columnheader", { name: /Trainer/ })).toHaveAttribute("aria-sort", "ascending");
  await expectAccessible(page);
});

test("the admin dashboard shows each queue's count and its oldest item's age", async ({ page }) => {
  await signIn(page, E2E_ADMIN.email, E2E_ADMIN.password);
  await page.goto("/dashboard");
  const queues = page.getByRole("list", { name: "Queues" });
  await expect(queues.locator('[data-queue="dbs"]')).toContainText(/\d+ awaiting a decision, the oldest for \d+ (minutes?|hours?|days)\./);
  await expect(queues.locator('[data-queue="evidence"]')).toContainText(/\d+ waiting, the oldest for \d+ (minutes?|hours?|days)\./);
  await expect(queues.locator('[data-queue="marking"]')).toContainText(/To mark: \d+ waiting, the oldest for/);
  await expect(queues.locator('[data-queue="certificates"]')).toContainText(/valid certificates? expires? in the next 30 days/);
  await expectAccessible(page);
  await queues.locator('[data-queue="dbs"]').getByRole("link", { name: "DBS checks" }).click();
  await expect(pager(page)).toContainText(/of \d+ DBS records/);
  await expectAccessible(page);
  await page.goto("/marking");
  await expect(page.getByRole("navigation", { name: "Marking queues" }).getByRole("link", { name: /Waiting to be marked \(\d+\)/ })).toHaveAttribute("aria-current", "page");
  await expectAccessible(page);
});
