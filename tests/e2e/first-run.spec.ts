import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { expectAccessible } from "./support/helpers";

const PORT = Number(process.env.E2E_PORT ?? 3210) + 80;
const DATABASE = `tests/.tmp/first-run-${PORT}.sqlite`;
let server: ChildProcess | undefined;
let output = "";

test.beforeAll(async () => {
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${DATABASE}${suffix}`, { force: true });
  // Its own process group, so the whole tree (tsx and node) stops with it.
  server = spawn("node_modules/.bin/tsx", ["scripts/start.ts"], {
    detached: true,
    env: { ...process.env, PORT: String(PORT), HOST: "127.0.0.1", DATABASE_PATH: DATABASE, PUBLIC_BASE_URL: `http://127.0.0.1:${PORT}` },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  server.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await expect.poll(() => output, { timeout: 60_000 }).toContain("is listening on");
});

test.afterAll(() => {
  if (server?.pid) process.kill(-server.pid, "SIGTERM");
});

test("on an empty database the server prints a one-time link that creates the first admin once", async ({ browser }) => {
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
