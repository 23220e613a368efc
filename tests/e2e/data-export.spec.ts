/**
 * "Download my data" (issue 17 item 3, ADR 0033): a trainer asks from the account page; the test
 * runs the export job and opens the link from the outbox; the ZIP downloads and, opened here with
 * the same library that wrote it, carries a manifest naming the trainer. Another trainer opening
 * the link gets 403 and a page saying why; signed out, the link asks for sign-in first; after
 * 7 days it has expired (410). An admin produces one for a subject access request from the
 * trainer's staff page. axe on every new page.
 */
import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { unzipSync } from "fflate";
import { E2E_DATABASE } from "../../playwright.config";
import { E2E_ADMIN } from "./support/accounts";
import { withDatabaseOf } from "./support/database";
import { asStaff, expectAccessible, linkFromOutbox, setServerClockOffset, signIn, signUp, uniqueEmail } from "./support/helpers";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Runs the data-export job on the server, as the hourly jobs would. */
async function runExportJob(page: Page): Promise<void> {
  const response = await page.request.post("/test-support/data-exports");
  expect(response.ok()).toBe(true);
}

test("a trainer downloads their data; another person gets 403; the link expires after 7 days", async ({ browser }) => {
  const email = uniqueEmail("export");
  const password = "a long trainer password";
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await signUp(page, { name: "Dara Download", email, password });

  await page.goto("/account");
  await expect(page.getByRole("heading", { name: "Your data", exact: true })).toBeVisible();
  await page.getByRole("button", { name: "Ask for a copy of my data" }).click();
  await expect(page.getByRole("status")).toContainText("We are preparing a copy of your data");
  await expect(page).toHaveURL(/\/account\/data-export\?requested=1/);
  await expectAccessible(page);

  await runExportJob(page);
  const link = await linkFromOutbox(email, "/account/data-export/");
  await page.goto(link);
  await expect(page.getByRole("heading", { level: 1, name: "Your data is ready" })).toBeVisible();
  await expectAccessible(page);
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download the ZIP file" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^academy-data-\d{4}-\d{2}-\d{2}\.zip$/);
  const files = unzipSync(new Uint8Array(fs.readFileSync((await download.path())!)));
  const manifest = JSON.parse(new TextDecoder().decode(files["manifest.json"]!)) as { subject: { name: string; email: string }; parts: { path: string }[] };
  expect(manifest.subject).toMatchObject({ name: "Dara Download", email });
  expect(manifest.parts.map((p) => p.path)).toEqual(expect.arrayContaining(["profile.json", "entry-requirements/qualifications.json", "modules/attempts.json", "certificates/certificates.json", "audit.json"]));
  expect(Object.keys(files)).toEqual(expect.arrayContaining(manifest.parts.map((p) => p.path)));
  const profile = JSON.parse(new TextDecoder().decode(files["profile.json"]!)) as { account: { email: string } };
  expect(profile.account.email).toBe(email);

  // The request page now shows it ready.
  await page.goto("/account/data-export");
  await expect(page.getByRole("cell", { name: /Ready: the link was emailed/ })).toBeVisible();

  // Another trainer with the link: 403, a page that says why, and no file.
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  await signUp(other, { name: "Olly Other", email: uniqueEmail("export-other"), password });
  const refused = await other.goto(link);
  expect(refused?.status()).toBe(403);
  await expect(other.getByRole("heading", { level: 1, name: "This download is for someone else" })).toBeVisible();
  await expectAccessible(other);
  const zipRefused = await other.goto(`${link}/zip`);
  expect(zipRefused?.status()).toBe(403);
  await expect(other.getByRole("heading", { level: 1, name: "This download is for someone else" })).toBeVisible();

  // Signed out: sign in first, and come back to the link.
  const anonymousContext = await browser.newContext();
  const anonymous = await anonymousContext.newPage();
  await anonymous.goto(link);
  await expect(anonymous).toHaveURL(/\/login\?redirectTo=%2Faccount%2Fdata-export%2F/);

  // Seven days on, the link has expired.
  try {
    await setServerClockOffset(page, 7 * DAY_MS + 60_000);
    // A week on, the session has ended too: sign in again first.
    await signIn(page, email, password);
    const expired = await page.goto(link);
    expect(expired?.status()).toBe(410);
    await expect(page.getByRole("heading", { level: 1, name: "This link has expired" })).toBeVisible();
    await expectAccessible(page);
  } finally {
    await setServerClockOffset(page, 0);
  }
  await Promise.all([context.close(), otherContext.close(), anonymousContext.close()]);
});

test("an admin produces a trainer's data for a subject access request, with a reason", async ({ browser }) => {
  const email = uniqueEmail("export-sar");
  const context = await browser.newContext();
  const trainerPage = await context.newPage();
  await signUp(trainerPage, { name: "Sol Subject", email, password: "a long trainer password" });
  await context.close();

  await asStaff(browser, E2E_ADMIN, async (page) => {
    const trainer = await withDatabaseOf(E2E_DATABASE, (db) => db.selectFrom("user").select("id").where("email", "=", email).executeTakeFirstOrThrow());
    await page.goto(`/trainers/${trainer.id}`);
    await page.getByRole("link", { name: "Data export for a subject access request" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Data export for Sol Subject" })).toBeVisible();
    await expectAccessible(page);
    // No reason: refused next to the field, nothing made.
    await page.getByRole("button", { name: "Produce the data export" }).click();
    await expect(page.getByText(/Give the reason/).first()).toBeVisible();
    await expect(page.getByText("No requests yet.")).toBeVisible();
    await page.getByLabel("Reason").fill("Subject access request received by email on 2 December");
    await page.getByRole("button", { name: "Produce the data export" }).click();
    await expect(page.getByRole("status")).toContainText("The export is being prepared");
    await expectAccessible(page);
    await runExportJob(page);
    await page.goto(await linkFromOutbox(E2E_ADMIN.email, "/account/data-export/"));
    await expect(page.getByRole("heading", { level: 1, name: "Your data is ready" })).toBeVisible();
    await expect(page.getByText("Everything the academy holds about Sol Subject")).toBeVisible();
  });
});
