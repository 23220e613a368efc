import fs from "node:fs";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { E2E_DATABASE } from "../../playwright.config";
import { E2E_ADMIN, E2E_ASSESSOR } from "./support/accounts";
import { withDatabaseOf } from "./support/database";
import { PASSWORD, randomDbsNumber, recordDbs } from "./support/entry";
import { signIn, signUp, uniqueEmail } from "./support/helpers";

/**
 * Nothing private may be kept by a browser or a shared cache (issue 16.25): every route's page and
 * its `.data` response (what client-side navigation fetches) says `private, no-store`, for every
 * role, including the admin DBS page's data, which carries a certificate number.
 */

/** Every route of app/routes as a path (Remix flat routes): `admin.dbs.$id.tsx` → `/admin/dbs/:id`. */
function routePaths(): string[] {
  return fs
    .readdirSync("app/routes")
    .filter((file) => /\.tsx?$/.test(file))
    .map((file) => {
      const segments = file
        .replace(/\.tsx?$/, "")
        .split(".")
        .filter((s) => s !== "_index")
        .map((s) => (s === "$" ? "anything" : s.startsWith("$") ? `:${s.slice(1)}` : s));
      return `/${segments.join("/")}`;
    });
}

function withParams(path: string, values: Record<string, string>): string {
  return path.replace(/:(\w+)/g, (_m, name: string) => values[name] ?? "1");
}

function dataUrl(path: string): string {
  return path === "/" ? "/_root.data" : `${path.replace(/\/$/, "")}.data`;
}

async function expectPrivate(request: APIRequestContext, url: string) {
  const response = await request.get(url, { maxRedirects: 0 });
  const cacheControl = response.headers()["cache-control"] ?? "";
  expect(response.status(), url).toBeLessThan(500);
  expect(cacheControl, `${url} (${response.status()})`).toContain("no-store");
  expect(cacheControl, `${url} (${response.status()})`).toContain("private");
  return response;
}

async function walk(page: Page, values: Record<string, string>) {
  const paths = routePaths();
  expect(paths.length).toBeGreaterThan(30);
  for (const path of paths) {
    const concrete = withParams(path, values);
    await expectPrivate(page.request, dataUrl(concrete));
    await expectPrivate(page.request, concrete);
  }
}

test("every route's page and data response is private, no-store, for every role and for nobody", async ({ page, browser }) => {
  test.setTimeout(180_000);
  // A trainer with a DBS record, so the admin DBS page has a certificate number to carry.
  const email = uniqueEmail("cache");
  await signUp(page, { name: "Casey Cache", email, password: PASSWORD });
  const dbsNumber = randomDbsNumber();
  await recordDbs(page, dbsNumber);
  await page.getByRole("button", { name: "Record my DBS details" }).click();
  await expect(page.getByRole("status")).toContainText("Your DBS details have been recorded");
  const { dbsId, userId } = await withDatabaseOf(E2E_DATABASE, async (db) => {
    const user = await db.selectFrom("user").select("id").where("email", "=", email).executeTakeFirstOrThrow();
    const dbs = await db.selectFrom("dbs_check").select("id").where("user_id", "=", user.id).executeTakeFirstOrThrow();
    return { dbsId: String(dbs.id), userId: String(user.id) };
  });
  const values = { id: dbsId, userId, slug: "safeguarding", kind: "dbs" };
  await walk(page, values);

  const admin = await browser.newPage();
  await signIn(admin, E2E_ADMIN.email, E2E_ADMIN.password);
  const dbsData = await expectPrivate(admin.request, `/admin/dbs/${dbsId}.data`);
  expect(dbsData.status()).toBe(200);
  expect(await dbsData.text()).toContain(dbsNumber);
  await walk(admin, values);
  await admin.close();

  const assessor = await browser.newPage();
  await signIn(assessor, E2E_ASSESSOR.email, E2E_ASSESSOR.password);
  await walk(assessor, values);
  await assessor.close();

  const anonymous = await browser.newPage();
  await walk(anonymous, values);
  await anonymous.close();
});
