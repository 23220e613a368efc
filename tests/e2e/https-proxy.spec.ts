import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { withDatabaseOf } from "./support/database";
import { PROXY_SOURCE_ADDRESS, startNginx } from "./support/nginx";
import { startOwnServer } from "./support/own-server";

/**
 * The deployment of docs/deployment.md, run end to end (issue 18): nginx terminates TLS with a
 * self-signed certificate and passes Host, X-Forwarded-For and X-Forwarded-Proto to the compiled
 * server (TRUST_PROXY=1, PUBLIC_BASE_URL https://). A trainer signs in over https and a relying
 * party verifies the certificate there: the cookies are `__Host-` and Secure, HSTS is sent, the
 * app counts a failed sign-in against the client's real address (not one the client forged, nor
 * the proxy's), and the credential carries the https address.
 */
const APP_OFFSET = 70;
const PROXY_PORT = Number(process.env.E2E_PORT ?? 3210) + 71;
const FORGED_ADDRESS = "203.0.113.7";

let app: Awaited<ReturnType<typeof startOwnServer>>;
let proxy: Awaited<ReturnType<typeof startNginx>>;
let certificateId: string;

test.beforeAll(async () => {
  const appPort = Number(process.env.E2E_PORT ?? 3210) + APP_OFFSET;
  const publicBaseUrl = `https://localhost:${PROXY_PORT}`;
  app = await startOwnServer(
    "https-proxy",
    APP_OFFSET,
    { WEB_CONCURRENCY: "1", TRUST_PROXY: "1", PUBLIC_BASE_URL: publicBaseUrl, EVIDENCE_DIR: `tests/.tmp/evidence-https-proxy-${appPort}` },
    { script: "tests/e2e/support/credential-server.ts" },
  );
  certificateId = /CERTIFIED ([a-z2-7]{32})/.exec(app.output())![1]!;
  proxy = await startNginx({ name: "https-proxy", port: PROXY_PORT, upstreamPort: appPort });
  expect(proxy.baseUrl).toBe(publicBaseUrl);
});

test.afterAll(async () => {
  await proxy?.stop();
  app?.stop();
});

test("over https behind nginx: secure cookies, HSTS, the client's real address, https links in the credential", async ({ browser }) => {
  test.setTimeout(120_000);
  // The self-signed certificate is accepted for this context only. The browser also claims an
  // address of its own choosing in X-Forwarded-For, as an attacker dodging the per-address limits would.
  const context = await browser.newContext({ ignoreHTTPSErrors: true, extraHTTPHeaders: { "X-Forwarded-For": FORGED_ADDRESS } });
  const page = await context.newPage();

  const login = await page.goto(`${proxy.baseUrl}/login`);
  expect(login!.headers()["strict-transport-security"]).toMatch(/max-age=\d+/);

  // A wrong password is counted against the client's address: the one nginx saw (127.0.0.1),
  // not the forged one, nor the address nginx connects to the app from.
  await page.getByLabel("Email address").fill("zoe.credential@e2e.test");
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("The email address or password is not right");
  const throttled = await withDatabaseOf(app.database, (db) => db.selectFrom("login_throttle").select("key").where("key", "like", "ip:%").execute());
  expect(throttled.map((row) => row.key)).toEqual(["ip:127.0.0.1"]);
  expect(app.output()).not.toContain(FORGED_ADDRESS);
  expect(app.output()).not.toContain(PROXY_SOURCE_ADDRESS);

  // Sign in: the session cookie is __Host- prefixed, Secure and HttpOnly.
  await page.getByLabel("Password").fill("zoe credential password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  const cookies = await context.cookies(proxy.baseUrl);
  expect(cookies.length).toBeGreaterThan(0);
  for (const cookie of cookies) {
    expect(cookie.name, cookie.name).toMatch(/^__Host-/);
    expect(cookie.secure, cookie.name).toBe(true);
    expect(cookie.path, cookie.name).toBe("/");
  }
  expect(cookies.find((c) => c.httpOnly)).toBeTruthy();

  // A relying party (no account) verifies the certificate over https and downloads the credential.
  const verifier = await browser.newContext({ ignoreHTTPSErrors: true });
  const verifyPage = await verifier.newPage();
  const verified = await verifyPage.goto(`${proxy.baseUrl}/verify/${certificateId}`);
  expect(verified!.headers()["strict-transport-security"]).toMatch(/max-age=\d+/);
  await expect(verifyPage.getByRole("heading", { name: "Zoë Ó Briain" })).toBeVisible();
  await expect(verifyPage.getByRole("status").first()).toContainText("Valid");
  const downloading = verifyPage.waitForEvent("download");
  await verifyPage.getByRole("link", { name: "Signed credential (Open Badges 3.0, JSON)" }).click();
  const credential = JSON.parse(fs.readFileSync((await (await downloading).path())!, "utf8")) as { id: string; credentialStatus: { statusListCredential: string } };
  expect(credential.id.startsWith(`${proxy.baseUrl}/`), credential.id).toBe(true);
  expect(credential.credentialStatus.statusListCredential.startsWith(`${proxy.baseUrl}/`), credential.credentialStatus.statusListCredential).toBe(true);
  // The status list is served at that https address, through the proxy.
  const statusList = await verifyPage.request.get(credential.credentialStatus.statusListCredential);
  expect(statusList.status()).toBe(200);

  // nginx passed the Host header on: the app never had to fall back (security.server.ts warns when it does).
  expect(app.output()).not.toContain("does not pass the Host header on");
  await verifier.close();
  await context.close();
});
