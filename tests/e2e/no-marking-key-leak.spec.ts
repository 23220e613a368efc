import fs from "node:fs";
import path from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { E2E_ASSESSOR, E2E_ASSESSOR_2 } from "./support/accounts";
import { passModuleAssessment, readAnswerBank, readCatalog } from "./support/content";
import { expectAccessible, signIn, signUp, uniqueEmail } from "./support/helpers";

/**
 * The written task's marking key is for assessors and moderators (issue 9): it is on the marking
 * page beside the rubric, and no text of it reaches a trainer, in any page's HTML or data or in
 * the built client assets, before or after the outcome is released.
 */
const markingKey = readAnswerBank().markingKeys?.["report-writing"] ?? "";
/** Everything trainers are meant to see of the content (lessons, task, rubric), flattened. */
const publicText = JSON.stringify(readCatalog());

/**
 * The key's wording in runs between punctuation that pages escape differently (quotes, ampersands,
 * apostrophes), at least 30 characters long, leaving out any run that the public task or lessons
 * also contain (the key quotes the scenario in places).
 */
const needles = [
  ...new Set(
    markingKey
      .split("\n")
      .map((line) => line.replace(/^\s*(#+|-|\*|\d+\.)\s+/, "").replace(/\*\*?/g, ""))
      .flatMap((line) => line.split(/["'“”‘’&<>\\()]/))
      .map((run) => run.trim())
      .filter((run) => run.length >= 30 && !publicText.includes(run)),
  ),
];
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const needlePattern = new RegExp(needles.map(escape).join("|"), "g");

function expectNoKey(where: string, body: string) {
  expect(body.match(needlePattern) ?? [], `marking-key text in ${where}`).toEqual([]);
}

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? listFiles(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
}

/** Every page a trainer can open about the task and the module, as HTML and as route data. */
async function expectTrainerSeesNoKey(page: Page, submissionId: number) {
  const slugs = readCatalog().modules.find((m) => m.slug === "report-writing")!.sections.map((s) => `/modules/report-writing/${s.id}`);
  for (const url of ["/dashboard", "/report-task", `/report-task/submissions/${submissionId}`, "/modules/report-writing", ...slugs]) {
    const html = await page.request.get(url);
    expect(html.status(), url).toBe(200);
    expectNoKey(url, await html.text());
    const data = await page.request.get(`${url}.data`);
    expect(data.status(), `${url}.data`).toBe(200);
    expectNoKey(`${url}.data`, await data.text());
  }
}

async function staffPage(browser: Browser, account: { email: string; password: string }) {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, account.email, account.password);
  return page;
}

test("the marking key is shown to assessors and moderators, never to the trainer", async ({ page, browser }) => {
  test.setTimeout(240_000);
  expect(needles.length).toBeGreaterThan(20);

  // 1. The built client assets.
  const assets = listFiles("public/build");
  expect(assets.length).toBeGreaterThan(5);
  for (const file of assets) expectNoKey(file, fs.readFileSync(file, "utf8"));

  // 2. A trainer writes and submits the task: nothing of the key before marking.
  await signUp(page, { name: "Morgan Keyless", email: uniqueEmail(), password: "morgan keyless password" });
  await passModuleAssessment(page, "report-writing");
  await page.goto("/report-task");
  expectNoKey("/report-task (rendered)", await page.content());
  const report = [
    "# Progress report: sessions 1 to 12",
    "",
    "To the case manager. Covers 22 April to 29 May. Eleven of the twelve planned sessions took place.",
    "",
    "- Walking: 450 metres without stopping in 9 minutes on 27 May; baseline 150 metres with one crutch.",
    "- Sit to stand: 13 seconds without using her arms on 27 May; baseline 22 seconds using her arms.",
    "- Stairs: 14 stairs at the leisure centre on 22 May, one hand on the rail; not yet tried at home.",
  ].join("\n");
  await page.getByRole("textbox", { name: "Your report" }).fill(report);
  await expect(page.locator(".save-status")).toHaveText(/Draft saved at/);
  await page.getByLabel(/This is my own work and my final version/).check();
  await page.getByRole("button", { name: "Submit my report" }).click();
  await expect(page.getByText("Your report (version 1) has been submitted.")).toBeVisible();
  await page.getByRole("link", { name: "Version 1" }).click();
  await expect(page).toHaveURL(/\/report-task\/submissions\/\d+$/);
  const submissionId = Number(new URL(page.url()).pathname.split("/").pop());
  await expectTrainerSeesNoKey(page, submissionId);

  // 3. The assessor sees the key beside the rubric, before and while marking.
  const marker = await staffPage(browser, E2E_ASSESSOR);
  await marker.goto(`/marking/${submissionId}`);
  const key = marker.getByRole("region", { name: "Marking key (assessors and moderators only)" });
  await expect(key.getByRole("heading", { name: "Attendance" })).toBeVisible();
  await expect(key).toContainText("Session 8 (15 May) was postponed by the case manager");
  // The needles find the key where it is meant to be: a page that leaked it would fail.
  expect((await marker.content()).match(needlePattern)?.length ?? 0).toBeGreaterThan(10);
  await expectAccessible(marker);
  await marker.getByRole("button", { name: "Start marking" }).click();
  await expect(key).toContainText("Session 8 (15 May) was postponed by the case manager");
  const task = readCatalog().modules.find((m) => m.slug === "report-writing")!.reportTask!;
  for (const criterion of task.rubric) {
    const level = criterion.levels.find((l) => l.met)!;
    await marker.locator(`[data-criterion="${criterion.id}"]`).getByLabel(new RegExp(`^${level.label}:`)).check();
  }
  await marker.getByLabel("Pass", { exact: true }).check();
  await marker.getByLabel("Overall feedback for the trainer").fill("Clear and factual.");
  await marker.getByRole("button", { name: "Save the mark" }).click();
  await expect(marker.getByText(/Status: (Released|Marked: waiting for moderation)/)).toBeVisible();
  expectNoKey("trainer view while marked", await (await page.request.get(`/report-task/submissions/${submissionId}.data`)).text());

  // 4. A moderator (when the pass is sampled) sees the key too, and releases the outcome.
  if (await marker.getByText("Status: Marked: waiting for moderation").isVisible()) {
    const moderator = await staffPage(browser, E2E_ASSESSOR_2);
    await moderator.goto(`/marking/${submissionId}`);
    await expect(moderator.getByRole("region", { name: "Marking key (assessors and moderators only)" })).toContainText("Session 8 (15 May) was postponed by the case manager");
    await moderator.getByRole("button", { name: "Start moderating" }).click();
    await expectAccessible(moderator);
    await moderator.getByRole("button", { name: "Agree with the marker and release" }).click();
    await expect(moderator.getByText("Status: Released")).toBeVisible();
  }

  // 5. After release: the trainer sees the outcome and feedback, still nothing of the key.
  await page.goto(`/report-task/submissions/${submissionId}`);
  await expect(page.getByRole("heading", { name: /Outcome: Pass/ })).toBeVisible();
  await expectAccessible(page);
  expectNoKey("released submission (rendered)", await page.content());
  await expectTrainerSeesNoKey(page, submissionId);
});
