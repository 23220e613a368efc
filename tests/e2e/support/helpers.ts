import AxeBuilder from "@axe-core/playwright";
import { expect, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import type { DatabaseConfig } from "~db/connection";
import { E2E_DATABASE } from "../../../playwright.config";
import { withDatabaseOf } from "./database";
import { E2E_ADMIN, E2E_ASSESSOR, E2E_ASSESSOR_2 } from "./accounts";
import { knownTotpSecret, rememberTotpSecret, totpCode } from "./totp";

for (const account of [E2E_ADMIN, E2E_ASSESSOR, E2E_ASSESSOR_2]) rememberTotpSecret(account.email, account.totpSecret!);

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

/**
 * Signs in through the form. When the second step appears (staff, ADR 0032), enters the code an
 * authenticator app would show now, computed from the account's known key (seeded staff, or staff
 * who enrolled earlier in the test through enrolSecondFactor).
 */
export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  const secondStep = page.getByRole("heading", { level: 1, name: "Enter your sign-in code" });
  await expect(page.getByRole("button", { name: "Sign out" }).or(secondStep)).toBeVisible();
  if (await secondStep.isVisible()) await enterSignInCode(page, email);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

/**
 * For the test clock's own requests, which are safe to send twice (one reads the clock, the other
 * sets an absolute offset): retry when the connection is reset. Playwright's request context keeps
 * its connections alive with no idle timeout of its own (it ignores the server's `Keep-Alive:
 * timeout=5` hint), and node's server closes an idle connection about 6 s after its last response;
 * a request sent on that connection just then, while the test's event loop has not yet read the
 * close, meets a closed socket: "socket hang up (ECONNRESET)". Reproduced with two node processes
 * (a keep-alive agent, 6 s idle, a busy client loop); a browser retries such a request by itself.
 */
const RETRY_ON_RESET = { maxRetries: 2 } as const;

/** The server's time: e2e tests may move its clock (setServerClockOffset); a server without the test clock uses ours. */
export async function serverNow(page: Page | APIRequestContext, origin = new URL((page as Page).url()).origin): Promise<Date> {
  const response = await ("request" in page ? page.request : page).get(`${origin}/test-support/clock`, RETRY_ON_RESET);
  return response.ok() ? new Date(((await response.json()) as { now: string }).now) : new Date();
}

/**
 * Signs `api` (a request context on `origin`) in as a seeded staff account: the password, then
 * the second step with a computed code (the next step's when this one's was used already).
 */
export async function signInByRequest(api: APIRequestContext, origin: string, account: { email: string; password: string }): Promise<void> {
  const password = await api.post(`${origin}/login`, { form: { email: account.email, password: account.password, redirectTo: "" }, maxRedirects: 0 });
  expect(password.status()).toBe(302);
  if (!(password.headers()["location"] ?? "").startsWith("/login/two-factor")) return;
  const secret = knownTotpSecret(account.email)!;
  for (const offset of [0, 1, -1]) {
    const code = await api.post(`${origin}/login/two-factor`, { form: { code: totpCode(secret, await serverNow(api, origin), offset), redirectTo: "" }, maxRedirects: 0 });
    if (code.status() === 302) return;
  }
  throw new Error(`Could not complete the second step for ${account.email}`);
}

/**
 * Enters a code on the second-step page. Each code works once (replay), and an account may sign
 * in twice within one 30-second step, so when the code has been used the next step's code (the
 * server accepts one step either side) is tried, and after that the test waits for a new step
 * (at most two refused tries a round, well inside the second step's throttle of five).
 */
export async function enterSignInCode(page: Page, email: string): Promise<void> {
  const secret = knownTotpSecret(email);
  if (!secret) throw new Error(`No TOTP key is known for ${email}: seed it (totpSecret) or enrol it with enrolSecondFactor first.`);
  let attempt = 0;
  for (let round = 0; round < 3; round++) {
    for (const offset of [0, 1]) {
      // A fresh page for each new try, so the message looked for below is this try's, not the last one's.
      if (attempt++ > 0) await page.goto(page.url());
      await page.getByLabel("Sign-in code", { exact: true }).fill(totpCode(secret, await serverNow(page), offset));
      await page.getByRole("button", { name: "Continue" }).click();
      const used = page.getByText("That code has been used already");
      await expect(page.getByRole("button", { name: "Sign out" }).or(used)).toBeVisible();
      if (!(await used.isVisible())) return;
    }
    await page.waitForTimeout(30_000 - (Date.now() % 30_000) + 500);
  }
  throw new Error(`Could not sign ${email} in: every code was used already.`);
}

/**
 * On the two-factor page, sets up a second factor as a person would with an app: reads the key
 * shown as text, enters the current code, and keeps the key so signIn can compute codes later.
 * Returns the recovery codes shown once.
 */
export async function enrolSecondFactor(page: Page, email: string): Promise<string[]> {
  await expect(page.getByRole("heading", { level: 1, name: "Two-factor sign-in" })).toBeVisible();
  await page.getByRole("button", { name: "Set up two-factor sign-in" }).click();
  const secret = (await page.locator("#two-factor-secret").textContent()) ?? "";
  expect(secret.replace(/\s+/g, "")).toMatch(/^[A-Z2-7]{32}$/);
  await page.getByLabel("Code from your app").fill(totpCode(secret, await serverNow(page)));
  await page.getByRole("button", { name: "Turn on two-factor sign-in" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Your recovery codes" })).toBeVisible();
  rememberTotpSecret(email, secret);
  return page.locator(".recovery-codes code").allTextContents();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("banner").getByRole("link", { name: "Sign in" })).toBeVisible();
}

/** Moves the server's clock (only works against the e2e server, started with ATA_TEST_CLOCK=1). */
export async function setServerClockOffset(page: Page, offsetMs: number): Promise<void> {
  const response = await page.request.post("/test-support/clock", { form: { offsetMs: String(offsetMs) }, ...RETRY_ON_RESET });
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
