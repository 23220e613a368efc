import fs from "node:fs";
import { expect, test, type APIRequestContext, type Browser } from "@playwright/test";
import { E2E_ADMIN, E2E_ASSESSOR } from "./support/accounts";
import { readCatalog } from "./support/content";
import { expectAccessible, signIn, signUp, uniqueEmail } from "./support/helpers";

/**
 * Every form action, enumerated from app/routes (every module that exports an `action`): a body
 * that is not a web form gets 415 (uploads: 400 with the form's message), an oversized one 413,
 * never a 500; and text is decoded strictly, with control characters refused next to the field.
 */
const ROUTES_DIR = "app/routes";
const actionRoutes = fs
  .readdirSync(ROUTES_DIR)
  .filter((file) => /^export (async )?function action\b/m.test(fs.readFileSync(`${ROUTES_DIR}/${file}`, "utf8")))
  .map((file) => file.replace(/\.tsx?$/, ""));

const UPLOADS = new Set(["requirements.insurance.new", "requirements.qualifications.new"]);
/** The catch-all route answers every request with 404 without reading it. */
const NO_BODY = new Set(["$"]);

function urlOf(route: string): string {
  const catalog = readCatalog();
  const mod = catalog.modules[0]!;
  const values: Record<string, string> = { $slug: mod.slug, $section: mod.sections[0]!.id, $kind: "insurance", $: "no-such-page" };
  // Remix flat routes: a trailing "_" ("account_.erasure") only opts out of the parent's layout; it is not in the URL.
  const segments = route
    .split(".")
    .filter((s) => s !== "_index")
    .map((s) => s.replace(/_$/, ""))
    .map((s) => values[s] ?? (s.startsWith("$") ? "1" : s));
  return `/${segments.join("/")}${route.endsWith("_index") ? "?index" : ""}`;
}

type Who = { name: string; request: APIRequestContext };

async function signedInContexts(browser: Browser): Promise<Who[]> {
  const who: Who[] = [];
  const anonymous = await browser.newContext();
  who.push({ name: "anonymous", request: anonymous.request });
  for (const [name, signInAs] of [
    ["trainer", async (p: import("@playwright/test").Page) => signUp(p, { name: "Body Tester", email: uniqueEmail("bodies"), password: "a long trainer password" })],
    ["assessor", async (p: import("@playwright/test").Page) => signIn(p, E2E_ASSESSOR.email, E2E_ASSESSOR.password)],
    ["admin", async (p: import("@playwright/test").Page) => signIn(p, E2E_ADMIN.email, E2E_ADMIN.password)],
  ] as const) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAs(page);
    who.push({ name, request: context.request });
  }
  return who;
}

test("every form action answers a text/plain or JSON body with 415 (or 400), never a 500", async ({ browser }) => {
  test.setTimeout(180_000);
  expect(actionRoutes.length).toBeGreaterThanOrEqual(25);
  const who = await signedInContexts(browser);
  const bodies = [
    { headers: { "content-type": "text/plain" }, data: "email=a@b.c&password=whatever" },
    { headers: { "content-type": "application/json" }, data: JSON.stringify({ email: "a@b.c", intent: "claim" }) },
  ];
  const seen: Record<string, number[]> = {};
  for (const route of actionRoutes) {
    const statuses: number[] = [];
    for (const { request } of who) {
      for (const body of bodies) {
        const response = await request.post(urlOf(route), { ...body, maxRedirects: 0 });
        statuses.push(response.status());
        if (response.status() === 415) expect(await response.text()).toMatch(/not sent by one of our forms|accepts only the site’s own forms/);
      }
    }
    seen[route] = statuses;
  }
  const failures = Object.entries(seen).filter(([, statuses]) => statuses.some((s) => s >= 500));
  expect(failures, "no action answers a wrong body type with a 5xx").toEqual([]);
  for (const [route, statuses] of Object.entries(seen)) {
    if (NO_BODY.has(route)) continue;
    const expected = UPLOADS.has(route) ? 400 : 415;
    expect(statuses, `${route} (${urlOf(route)}) refuses the body itself for the role it serves`).toContain(expected);
  }
});

test("non-upload forms refuse a body over their limit (64 KB; marking and the report task more) with 413 before parsing it", async ({ browser }) => {
  test.setTimeout(180_000);
  const who = await signedInContexts(browser);
  const limits: Record<string, number> = { "marking.$id": 256 * 1024, "report-task._index": 400_000, "report-task.draft": 400_000 };
  for (const route of actionRoutes) {
    if (UPLOADS.has(route) || NO_BODY.has(route)) continue;
    const big = `email=a%40b.c&password=${"x".repeat((limits[route] ?? 64 * 1024) + 1024)}`;
    const statuses: number[] = [];
    for (const { name, request } of who) {
      const response = await request.post(urlOf(route), { headers: { "content-type": "application/x-www-form-urlencoded" }, data: big, maxRedirects: 0 }).catch((error: Error) => {
        throw new Error(`${route} as ${name}: ${error.message}`);
      });
      statuses.push(response.status());
    }
    expect(statuses.every((s) => s < 500), `${route}: ${statuses.join(", ")}`).toBe(true);
    expect(statuses, `${route} refuses its limit + 1 KB with 413`).toContain(413);
  }
  // An 11 MB body to the anonymous forms is refused from its declared length.
  const anonymous = who[0]!.request;
  for (const path of ["/login", "/signup", "/verify?index", "/forgot-password"]) {
    const response = await anonymous.post(path, { headers: { "content-type": "application/x-www-form-urlencoded" }, data: `email=${"y".repeat(11 * 1024 * 1024)}` });
    expect(response.status(), path).toBe(413);
  }
});

test("an oversized sign-in form shows a clear 413 page", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email address").fill(`${"a".repeat(70 * 1024)}@example.test`);
  await page.getByLabel("Password").fill("whatever password");
  const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.getByRole("button", { name: "Sign in" }).click()]);
  expect(response.status()).toBe(413);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("That was more than the form accepts");
  await expect(page.getByText("larger than the site accepts (64 KB)")).toBeVisible();
  await expectAccessible(page);
});

test("text is decoded strictly: invalid UTF-8 is refused, control characters get a field message, names are stored in NFC", async ({ page }) => {
  const form = { "content-type": "application/x-www-form-urlencoded" };
  const email = uniqueEmail("text");
  const fields = (name: string) => `name=${name}&email=${encodeURIComponent(email)}&password=a+long+password&confirmPassword=a+long+password`;

  const badBytes = await page.request.post("/signup", { headers: form, data: fields("Ann%C3%28Lee"), maxRedirects: 0 });
  expect(badBytes.status()).toBe(400);
  expect(await badBytes.text()).toContain("not valid UTF-8");

  await page.goto("/signup");
  await page.getByLabel("Full name").fill("Ann\u0000Lee");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password", { exact: true }).fill("a long password");
  await page.getByLabel("Confirm password").fill("a long password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.locator("#field-name-error")).toContainText("Remove the invisible control characters");
  await expectAccessible(page);

  // Nothing was stored: the address is still free, and the decomposed name is stored composed.
  const created = await page.request.post("/signup", { headers: form, data: fields("Zoe%CC%88+Ren%C3%A9e"), maxRedirects: 0 });
  expect(created.status()).toBe(302);
  await page.goto("/account");
  await expect(page.locator("dd").first()).toHaveText("Zo\u00eb Ren\u00e9e");
});
