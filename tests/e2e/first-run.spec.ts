import { expect, test } from "@playwright/test";
import { enrolSecondFactor, expectAccessible } from "./support/helpers";
import { startOwnServer } from "./support/own-server";

let server: Awaited<ReturnType<typeof startOwnServer>>;

test.beforeAll(async () => {
  server = await startOwnServer("first-run", 80);
});

test.afterAll(() => server?.stop());

test("on an empty database the server prints a one-time link that creates the first admin once", async ({ browser }) => {
  const output = server.output();
  const link = /http:\/\/127\.0\.0\.1:\d+\/setup\/[a-z2-7]+\.[a-z2-7]+/.exec(output)?.[0];
  expect(link, output).toBeTruthy();

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(link!);
  await expect(page.getByRole("heading", { name: "Create the first administrator" })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Full name").fill("Founding Admin");
  await page.getByLabel("Email address").fill("founder@e2e.test");
  await page.getByLabel("Password", { exact: true }).fill("founder password 1");
  await page.getByLabel("Confirm password").fill("founder password 1");
  await page.getByRole("button", { name: "Create administrator" }).click();
  // Staff must use two-factor sign-in (ADR 0032): the first admin sets it up before any staff page.
  await enrolSecondFactor(page, "founder@e2e.test");
  await page.getByRole("link", { name: "I have kept my recovery codes: continue" }).click();
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
  await expect(page.locator(".account")).toContainText("Admin");
  await context.close();

  const second = await browser.newContext();
  const again = await second.newPage();
  await again.goto(link!);
  await expect(again.getByRole("heading", { name: "This set-up link is not valid" })).toBeVisible();
  const replay = await again.request.post(link!, {
    form: { name: "Intruder", email: "intruder@e2e.test", password: "intruder password", confirmPassword: "intruder password" },
  });
  expect(replay.status()).toBe(400);
  await second.close();
});
