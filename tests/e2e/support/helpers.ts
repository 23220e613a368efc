import AxeBuilder from "@axe-core/playwright";
import { expect, type Browser, type Page } from "@playwright/test";
import type { DatabaseConfig } from "~db/connection";
import { E2E_DATABASE } from "../../../playwright.config";
import { withDatabaseOf } from "./database";

/** Fails on any serious or critical WCAG 2.x A/AA violation on the current page. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const summary = serious.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.map((n) => n.target.join(" ")).join("\n  ")}`);
  expect(summary, `axe violations on ${page.url()}`).toEqual([]);
}

let sequence = 0;

export function uniqueEmail(prefix = "trainer"): string {
  sequence += 1;
  return `${prefix}.${Date.now().toString(36)}.${sequence}@e2e.test`;
}

/**
 * Signs a trainer up through the form, then (unless `confirmEmail: false`) confirms the address
 * with the link the outbox holds for it, as the trainer would from their inbox, and comes back to
 * the page sign-up landed on. `database` is the server's (the shared e2e server's by default).
 */
export async function signUp(
  page: Page,
  input: { name: string; email: string; password: string },
  options: { confirmEmail?: boolean; database?: DatabaseConfig } = {},
): Promise<void> {
  await page.goto("/signup");
  await page.getByLabel("Full name").fill(input.name);
  await page.getByLabel("Email address").fill(input.email);
  await page.getByLabel("Password", { exact: true }).fill(input.password);
  await page.getByLabel("Confirm password").fill(input.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard/);
  if (options.confirmEmail === false) return;
  const landed = new URL(page.url());
  await confirmEmailFromOutbox(page, input.email, options.database);
  await page.goto(`${landed.pathname}${landed.search}`);
}

/** The path of the newest link to `pathPrefix` emailed to `email` (read from the server's outbox). */
export async function linkFromOutbox(email: string, pathPrefix: string, database: DatabaseConfig = E2E_DATABASE): Promise<string> {
  const pattern = new RegExp(`https?://[^/\\s]+(${pathPrefix}[a-z2-7]+\\.[a-z2-7]+)`);
  let found: string | undefined;
  await expect
    .poll(async () => {
      const rows = await withDatabaseOf(database, (db) => db.selectFrom("email_outbox").select("body_text").where("to_address", "=", email).orderBy("id", "desc").execute());
      found = rows.map((r) => pattern.exec(r.body_text)?.[1]).find(Boolean);
      return found;
    })
    .toBeTruthy();
  return found!;
}

/** Opens the confirmation link emailed to `email` and confirms the address. */
export async function confirmEmailFromOutbox(page: Page, email: string, database?: DatabaseConfig): Promise<void> {
  await page.goto(await linkFromOutbox(email, "/confirm-email/", database));
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Email address confirmed" })).toBeVisible();
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
}

/** Moves the server's clock (only works against the e2e server, started with ATA_TEST_CLOCK=1). */
export async function setServerClockOffset(page: Page, offsetMs: number): Promise<void> {
  const response = await page.request.post("/test-support/clock", { form: { offsetMs: String(offsetMs) } });
  expect(response.ok()).toBe(true);
}

/** Runs `run` in a fresh browser context signed in as `account`, then closes it. */
export async function asStaff(browser: Browser, account: { email: string; password: string }, run: (page: Page) => Promise<void>): Promise<void> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, account.email, account.password);
  await run(page);
  await context.close();
}
