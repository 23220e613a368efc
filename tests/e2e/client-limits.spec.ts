import { expect, test, type APIRequestContext } from "@playwright/test";
import { expectAccessible } from "./support/helpers";
import { startOwnServer } from "./support/own-server";

/**
 * The per-address limits behind a reverse proxy (TRUST_PROXY=1), on a server of their own with
 * low limits. The proxy appends the address it saw to X-Forwarded-For; whatever a client wrote
 * there itself stays on the left, so these tests send "forged, real" as a proxy would pass it on.
 */
let server: Awaited<ReturnType<typeof startOwnServer>>;
const PUBLIC = "https://academy.example";

test.beforeAll(async () => {
  server = await startOwnServer("client-limits", 61, {
    TRUST_PROXY: "1",
    PUBLIC_BASE_URL: PUBLIC,
    VERIFY_RATE_LIMIT_PER_MINUTE: "3",
    ACCOUNT_RATE_LIMIT_PER_HOUR: "3",
    WEB_CONCURRENCY: "1",
  });
});
test.afterAll(() => server?.stop());

const form = { "content-type": "application/x-www-form-urlencoded" };
let forged = 0;
/** What the proxy passes on for a client at `real` that forged a new address each time. */
const viaProxy = (real: string) => ({ "x-forwarded-for": `10.${++forged % 250}.${forged % 7}.1, ${real}` });

async function signInFails(request: APIRequestContext, real: string, i: number) {
  return request.post(`${server.baseUrl}/login`, { headers: { ...form, ...viaProxy(real) }, data: `email=spray${i}%40example.test&password=not+the+password` });
}

test("a forged X-Forwarded-For does not escape the sign-in throttle, and a throttled sign-in says when to retry", async ({ request }) => {
  test.setTimeout(120_000);
  for (let i = 0; i < 30; i += 1) expect((await signInFails(request, "203.0.113.7", i)).status()).toBe(400);
  const throttled = await signInFails(request, "203.0.113.7", 99);
  expect(throttled.status()).toBe(429);
  expect(Number(throttled.headers()["retry-after"])).toBeGreaterThan(0);
  expect(Number(throttled.headers()["retry-after"])).toBeLessThanOrEqual(15 * 60);
  expect(await throttled.text()).toContain("Too many unsuccessful sign-in attempts");
  // The data request the page sends with JavaScript carries it too.
  const data = await request.post(`${server.baseUrl}/login.data`, { headers: { ...form, ...viaProxy("203.0.113.7") }, data: "email=x%40example.test&password=whatever1" });
  expect(data.status()).toBe(429);
  expect(Number(data.headers()["retry-after"])).toBeGreaterThan(0);
  // Another client behind the same proxy is not affected.
  expect((await signInFails(request, "203.0.113.8", 100)).status()).toBe(400);
});

test("a forged X-Forwarded-For does not escape the verification lookup limit", async ({ request }) => {
  const lookup = (real: string) => request.get(`${server.baseUrl}/verify/abcdefghijklmnopqrstuvwxyz234567`, { headers: viaProxy(real) });
  for (let i = 0; i < 3; i += 1) expect((await lookup("198.51.100.20")).status()).toBe(404);
  const limited = await lookup("198.51.100.20");
  expect(limited.status()).toBe(429);
  expect(Number(limited.headers()["retry-after"])).toBeGreaterThan(0);
  expect((await lookup("198.51.100.21")).status()).toBe(404);
});

test("sign-up, reset email, reset link and set-up link are limited per address and per account, with 429 and Retry-After", async ({ request, page }) => {
  const post = (path: string, real: string, data: string) => request.post(`${server.baseUrl}${path}`, { headers: { ...form, ...viaProxy(real) }, data, maxRedirects: 0 });
  const endpoints = [
    { path: "/signup", data: (i: number) => `name=Someone&email=new${i}%40example.test&password=a+long+password&confirmPassword=different+one`, message: "too many attempts to create an account" },
    { path: "/forgot-password", data: (i: number) => `email=who${i}%40example.test`, message: "too many attempts to reset a password" },
    { path: "/reset-password/abcdefghijklmnop.qrstuvwxyz234567", data: () => "password=a+long+password&confirmPassword=a+long+password", message: "too many attempts to use this password-reset link" },
    { path: "/setup/abcdefghijklmnop.qrstuvwxyz234567", data: () => "name=Ada&email=ada%40example.test&password=a+long+password&confirmPassword=a+long+password", message: "too many attempts to use this set-up link" },
  ];
  for (const [n, endpoint] of endpoints.entries()) {
    const client = `192.0.2.${10 + n}`;
    for (let i = 0; i < 3; i += 1) expect((await post(endpoint.path, client, endpoint.data(i))).status(), endpoint.path).toBeLessThan(429);
    const limited = await post(endpoint.path, client, endpoint.data(9));
    expect(limited.status(), endpoint.path).toBe(429);
    expect(Number(limited.headers()["retry-after"]), endpoint.path).toBeGreaterThan(0);
    expect(await limited.text()).toContain(`There have been ${endpoint.message}`);
    expect((await post(endpoint.path, `192.0.2.${50 + n}`, endpoint.data(10))).status(), `${endpoint.path} from another address`).toBeLessThan(429);
  }
  // Per account: reset emails for one address, asked for from many addresses.
  for (let i = 0; i < 3; i += 1) expect((await post("/forgot-password", `198.18.0.${i}`, "email=victim%40example.test")).status()).toBe(200);
  expect((await post("/forgot-password", "198.18.0.99", "email=Victim%40Example.test")).status()).toBe(429);

  // What a person sees (this browser connects directly: the proxy's own address, 127.0.0.1).
  await page.goto(`${server.baseUrl}/forgot-password`);
  for (let i = 0; i < 4; i += 1) {
    await page.getByLabel("Email address").fill(`browser${i}@example.test`);
    await page.getByRole("button", { name: "Send the link" }).click();
    if (i < 3) {
      await expect(page.getByRole("status")).toContainText("If an account exists");
      await page.goto(`${server.baseUrl}/forgot-password`);
    }
  }
  await expect(page.getByRole("alert")).toContainText("There have been too many attempts to reset a password");
  await expectAccessible(page);
});

test("behind a proxy that does not pass Host on, form posts still work and the log says so once", async ({ request }) => {
  const post = () => request.post(`${server.baseUrl}/login`, { headers: { ...form, origin: PUBLIC, "sec-fetch-site": "same-origin" }, data: "email=nobody%40example.test&password=whatever1" });
  for (let i = 0; i < 2; i += 1) {
    const response = await post();
    expect(response.status()).toBe(400);
    expect(await response.text()).toContain("The email address or password is not right");
  }
  const lines = server.logMessages().filter((line) => line.includes("the reverse proxy does not pass the Host header on"));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain('arrive with Host "127.0.0.1:');
  expect(lines[0]).toContain("proxy_set_header Host $host");
  // A foreign origin is still refused.
  const foreign = await request.post(`${server.baseUrl}/login`, { headers: { ...form, origin: "https://evil.example" }, data: "email=a%40b.c&password=whatever1" });
  expect(foreign.status()).toBe(403);
  const foreignReferer = await request.post(`${server.baseUrl}/login`, { headers: { ...form, referer: "https://evil.example/page" }, data: "email=a%40b.c&password=whatever1" });
  expect(foreignReferer.status()).toBe(403);
});
