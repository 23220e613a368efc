import { expect, test } from "@playwright/test";
import { expectAccessible } from "./support/helpers";
import { startOwnServer } from "./support/own-server";

test("the verification form and unknown or malformed ids get the same neutral page", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("contentinfo").getByRole("link", { name: "Verify a certificate" }).click();
  await expect(page.getByRole("heading", { name: "Verify a certificate" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Check the certificate" }).click();
  await expect(page.locator("#field-id-error")).toContainText("Enter the certificate ID");
  await page.getByLabel("Certificate ID").fill("not an id!");
  await page.getByRole("button", { name: "Check the certificate" }).click();
  await expect(page.locator("#field-id-error")).toContainText("letters a–z and digits 2–7");

  await page.getByLabel("Certificate ID").fill("abcdefghijklmnopqrstuvwxyz234567");
  await page.getByRole("button", { name: "Check the certificate" }).click();
  await expect(page).toHaveURL(/\/verify\/abcdefghijklmnopqrstuvwxyz234567$/);
  await expect(page.getByRole("heading", { name: "No certificate found" })).toBeVisible();
  await expectAccessible(page);

  const unknown = await page.request.get("/verify/abcdefghijklmnopqrstuvwxyz234567");
  const malformed = await page.request.get("/verify/..%2F..%2Fetc%2Fpasswd");
  const short = await page.request.get("/verify/x");
  for (const response of [unknown, malformed, short]) {
    expect(response.status()).toBe(404);
    expect(response.headers()["x-robots-tag"]).toContain("noindex");
    expect(response.headers()["content-security-policy"]).toContain("default-src 'none'");
  }
  const bodies = await Promise.all([unknown, malformed, short].map(async (r) => (await r.text()).replace(/Page generated [^<]*/, "")));
  expect(new Set(bodies).size).toBe(1);
  const json = await page.request.get("/verify/abcdefghijklmnopqrstuvwxyz234567.json");
  expect(json.status()).toBe(404);
  expect(await json.json()).toEqual({ error: "No certificate found." });
});

test("certificate lookups are rate-limited per address with a clear 429 page", async ({ page }) => {
  // One process, so the limit is exact (with several, each allows its share: see the README).
  const server = await startOwnServer("verify-limit", 90, { VERIFY_RATE_LIMIT_PER_MINUTE: "5", WEB_CONCURRENCY: "1" });
  try {
    for (let i = 0; i < 5; i += 1) expect((await page.request.get(`${server.baseUrl}/verify/abcdefghijklmnopqrstuvwxyz23456${i % 8}`)).status()).toBe(404);
    const limited = await page.request.get(`${server.baseUrl}/verify/abcdefghijklmnopqrstuvwxyz234567`);
    expect(limited.status()).toBe(429);
    expect(Number(limited.headers()["retry-after"])).toBeGreaterThan(0);
    await page.goto(`${server.baseUrl}/verify/abcdefghijklmnopqrstuvwxyz234567`);
    await expect(page.getByRole("heading", { name: "Too many lookups" })).toBeVisible();
    await expectAccessible(page);
    expect((await page.request.get(`${server.baseUrl}/verify/abcdefghijklmnopqrstuvwxyz234567.json`)).status()).toBe(429);
  } finally {
    server.stop();
  }
});
