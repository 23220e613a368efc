import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { expectAccessible } from "./support/helpers";
import { startOwnServer } from "./support/own-server";

/**
 * A new version of the agreement is published while a trainer is certified on the previous one
 * (issue 9). Server 1 serves the previous agreement (tests/fixtures/agreement-previous, the
 * compiled 2026.1) and seeds a trainer certified on it; server 2 serves the current build on the
 * same database, as a deployment would. Its own servers, since it moves the clock.
 */
const PREVIOUS_SCOPE = "Lift or transfer a client's full body weight unless trained and authorised in that client's plan.";
const NEW_SCOPE = "Manually lift a client or take their full body weight, in any circumstances.";
const DAY = 24 * 60 * 60 * 1000;

let servers: Awaited<ReturnType<typeof startOwnServer>>[] = [];
test.afterAll(() => servers.forEach((s) => s.stop()));
function stop(server: Awaited<ReturnType<typeof startOwnServer>>) {
  servers = servers.filter((s) => s !== server);
  server.stop();
}

async function signIn(page: Page, baseUrl: string) {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("Email address").fill("zoe.credential@e2e.test");
  await page.getByLabel("Password").fill("zoe credential password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

async function verifyJson(page: Page, baseUrl: string, id: string) {
  const response = await page.request.get(`${baseUrl}/verify/${id}.json`);
  expect(response.status()).toBe(200);
  return (await response.json()) as { status: string; reason: string | null; scope: { mayNot: string[] } };
}

test("a certified trainer is told of a new agreement, stays valid inside the window, reads suspended after it, and valid with the new scope after accepting", async ({ page }) => {
  test.setTimeout(240_000);
  const port = Number(process.env.E2E_PORT ?? 3210) + 47;
  const previous = `tests/.tmp/content-previous-agreement-${port}`;
  fs.rmSync(previous, { recursive: true, force: true });
  fs.cpSync("content/.generated", previous, { recursive: true });
  fs.copyFileSync("tests/fixtures/agreement-previous/agreement.json", `${previous}/agreement.json`);
  const evidence = `tests/.tmp/evidence-agreement-${port}`;

  // Before: certified on the previous version.
  const before = await startOwnServer("agreement", 47, { WEB_CONCURRENCY: "1", EVIDENCE_DIR: evidence, CONTENT_BUILD_DIR: previous }, { script: "tests/e2e/support/credential-server.ts" });
  servers.push(before);
  const certificateId = /CERTIFIED ([a-z2-7]{32})/.exec(before.output())![1]!;
  expect((await verifyJson(page, before.baseUrl, certificateId)).scope.mayNot).toContain(PREVIOUS_SCOPE);
  stop(before);
  await expect.poll(async () => (await fetch(`${before.baseUrl}/`).then(() => "up", () => "down")), { timeout: 20_000 }).toBe("down");

  // The new version is deployed: the same database, the current content, the test clock.
  const after = await startOwnServer("agreement", 47, { WEB_CONCURRENCY: "1", EVIDENCE_DIR: evidence, ATA_TEST_CLOCK: "1" }, { database: before.database });
  servers.push(after);
  const base = after.baseUrl;
  // Told by email (printed to the log without SMTP) when the version is first served.
  await expect.poll(() => after.output(), { timeout: 20_000 }).toContain("A new version of the scope of practice agreement");

  // Inside the window: the dashboard banner, and the public page still Valid with the accepted scope.
  await signIn(page, base);
  await page.goto(`${base}/dashboard`);
  const banner = page.getByRole("region", { name: "A new version of the agreement to accept" });
  await expect(banner).toContainText("Until then your certificate stays valid");
  await expectAccessible(page);
  await page.goto(`${base}/verify/${certificateId}`);
  await expect(page.locator(".verify-status__value")).toHaveText(/Valid/);
  await expect(page.getByText(PREVIOUS_SCOPE)).toBeVisible();
  await expect(page.getByText(NEW_SCOPE)).toHaveCount(0);
  await expect(page.getByText("From the scope of practice and communication agreement, version 2026.1.")).toBeVisible();
  await expectAccessible(page);
  expect(await verifyJson(page, base, certificateId)).toMatchObject({ status: "valid", scope: { agreementVersion: "2026.1" } });

  // After the window (30 days by default): Suspended — agreement not accepted.
  const moved = await page.request.post(`${base}/test-support/clock`, { form: { offsetMs: String(31 * DAY) } });
  expect(moved.ok()).toBe(true);
  await page.goto(`${base}/verify/${certificateId}`);
  await expect(page.locator(".verify-status__value")).toHaveText(/Suspended — agreement not accepted/);
  await expectAccessible(page);
  expect(await verifyJson(page, base, certificateId)).toMatchObject({ status: "suspended", reason: "agreement not accepted" });
  // A month on, the session has lapsed: sign in again.
  await signIn(page, base);
  await page.goto(`${base}/dashboard`);
  await expect(page.getByRole("region", { name: "Your certificate is suspended: agreement not accepted" })).toBeVisible();
  await expect(page.locator(".certificate-card__status")).toContainText("agreement not accepted");
  await expectAccessible(page);

  // Accepting restores it: a new certificate with the new scope; the old link points to it.
  await page.getByRole("link", { name: "Read and accept the new agreement" }).click();
  await expect(page.getByRole("heading", { name: "Scope of practice and communication agreement", level: 1 })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("I have read this agreement and I will work to it.").check();
  await page.getByLabel("Type your full name as your signature").fill("Zoë Ó Briain");
  await page.getByRole("button", { name: "Accept the agreement" }).click();
  await expect(page).toHaveURL(/\/dashboard/);
  await expect(page.getByRole("region", { name: /agreement/ })).toHaveCount(0);
  await expect(page.locator(".certificate-card__status")).toContainText("Valid");
  const old = await verifyJson(page, base, certificateId);
  expect(old.status).toBe("superseded");
  const renewedId = ((await page.request.get(`${base}/verify/${certificateId}.json`).then((r) => r.json())) as { supersededBy: string }).supersededBy;
  await page.goto(`${base}/verify/${renewedId}`);
  await expect(page.locator(".verify-status__value")).toHaveText(/Valid/);
  await expect(page.getByText(NEW_SCOPE)).toBeVisible();
  await expect(page.getByText(PREVIOUS_SCOPE)).toHaveCount(0);
  await expect(page.getByText("From the scope of practice and communication agreement, version 2026.2.")).toBeVisible();
  await expectAccessible(page);
  expect(await verifyJson(page, base, renewedId)).toMatchObject({ status: "valid", scope: { mayNot: expect.arrayContaining([NEW_SCOPE]) } });
});
