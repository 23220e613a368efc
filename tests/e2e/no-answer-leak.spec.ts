import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page, type Request } from "@playwright/test";
import { signUp, uniqueEmail } from "./support/helpers";
import { readAnswerBank, readCatalog } from "./support/content";

const bank = readAnswerBank();
const catalog = readCatalog();
const keys = Object.values(bank.questions);
const summative = keys.filter((q) => q.kind === "summative");

/** Every explanation paragraph: none may appear anywhere before grading. */
const explanations = keys.flatMap((q) => q.explanation).filter((p) => p.length >= 20);

/** The teaching text of each module: its MDX with the assessment and knowledge checks removed. */
function teachingText(slug: string): string {
  const source = fs.readFileSync(path.join("content/modules", slug, "index.mdx"), "utf8");
  return source.replace(/<Assessment>[\s\S]*<\/Assessment>/, "").replace(/<KnowledgeCheck>[\s\S]*?<\/KnowledgeCheck>/g, "");
}

/**
 * Correct-answer texts of summative questions that the lesson does not itself teach word for
 * word (an option such as "Proportionality" is also a heading in the teaching text).
 */
const correctAnswersNotInTeaching = summative.flatMap((q) => {
  const teaching = teachingText(q.moduleSlug);
  return q.options.filter((o) => o.correct && o.text.length >= 20 && !teaching.includes(o.text)).map((o) => o.text);
});

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? listFiles(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** One pattern for many needles: a single scan of each body instead of thousands of searches. */
const anyOf = (texts: string[]) => new RegExp(texts.map(escape).join("|"), "g");
const explanationPattern = anyOf(explanations);
const correctAnswerPattern = anyOf(correctAnswersNotInTeaching);

/**
 * `data`: the body is data sent to the browser (HTML, loader data), not code that merely names
 * props. `optionsShown`: an attempt page, which must show every option of its questions (the
 * right ones among them) but nothing that says which is right.
 */
function expectNoLeak(where: string, body: string, { data = true, optionsShown = false } = {}) {
  expect(body.match(explanationPattern) ?? [], `explanations leaked in ${where}`).toEqual([]);
  if (!optionsShown) expect(body.match(correctAnswerPattern) ?? [], `correct answers leaked in ${where}`).toEqual([]);
  if (data) expect(body, `answer-key field in ${where}`).not.toMatch(/correctOptionIds|"explanation"|"correct"|answer-bank/);
}

/**
 * The bodies of the POST responses to `pattern` while `action` runs, read as they pass through to
 * the page unchanged (a response the page navigates away from can no longer be read afterwards).
 */
async function postBodiesDuring(page: Page, pattern: string, action: () => Promise<void>): Promise<string[]> {
  const bodies: string[] = [];
  await page.route(pattern, async (route) => {
    if (route.request().method() !== "POST") return route.fallback();
    const response = await route.fetch({ maxRedirects: 0 });
    bodies.push(await response.text());
    await route.fulfill({ response });
  });
  await action();
  await page.unroute(pattern);
  return bodies;
}

test("no summative answer or explanation reaches the browser before grading", async ({ page }) => {
  test.setTimeout(180_000);
  expect(explanations.length).toBeGreaterThan(100);
  expect(correctAnswersNotInTeaching.length).toBeGreaterThan(20);

  // 1. The built client assets.
  const assets = listFiles("public/build");
  expect(assets.length).toBeGreaterThan(5);
  const optionPattern = anyOf(summative.flatMap((q) => q.options.map((o) => o.text)).filter((t) => t.length >= 20));
  for (const file of assets) {
    const body = fs.readFileSync(file, "utf8");
    expectNoLeak(file, body, { data: false });
    expect(body.match(optionPattern) ?? [], `assessment option text in ${file}`).toEqual([]);
  }

  // 2. Every lesson page's HTML and loader data, as a signed-in trainer.
  await signUp(page, { name: "Leak Checker", email: uniqueEmail(), password: "leak checker password" });
  for (const module of catalog.modules) {
    for (const section of module.sections) {
      const url = `/modules/${module.slug}/${section.id}`;
      const html = await page.request.get(url);
      expect(html.status()).toBe(200);
      expectNoLeak(url, await html.text());
      const loaderData = await page.request.get(`${url}.data`);
      expect(loaderData.status()).toBe(200);
      expectNoLeak(`${url}.data`, await loaderData.text());
    }
  }

  // 3. An attempt page and its review page, HTML and loader data, for every module.
  for (const module of catalog.modules) {
    await page.goto(`/modules/${module.slug}/assessment`);
    // The start's response is read as it passes through (the page then loads the attempt as a
    // new document, and a response navigated away from can no longer be read).
    const started = await postBodiesDuring(page, `**/modules/${module.slug}/assessment*`, async () => {
      await page.getByRole("button", { name: "Start the assessment" }).click();
      await expect(page).toHaveURL(/\/attempts\/[a-z2-7]+$/);
    });
    expect(started).toHaveLength(1);
    expectNoLeak("start attempt response", started[0]!);
    const attemptUrl = new URL(page.url()).pathname;
    expectNoLeak(attemptUrl, await page.content(), { optionsShown: true });
    for (const url of [attemptUrl, `${attemptUrl}/review`]) {
      expectNoLeak(url, await (await page.request.get(url)).text(), { optionsShown: true });
      expectNoLeak(`${url}.data`, await (await page.request.get(`${url}.data`)).text(), { optionsShown: true });
    }
    // Saving an answer returns only the count of answers saved (a choice saves itself once the
    // page is hydrated; before that a click would submit the form as a new document).
    await expect(page.locator("html[data-hydrated]")).toHaveCount(1);
    const form = page.locator("li.attempt-question form").first();
    const questionId = await form.locator('input[name="questionId"]').inputValue();
    // The page saves through its autosave endpoint (ADR 0050), the request the bench and the
    // durability test send.
    const posted: string[] = [];
    const onRequest = (request: Request) => void (request.method() === "POST" && posted.push(new URL(request.url()).pathname));
    page.on("request", onRequest);
    const saves = await postBodiesDuring(page, "**/attempts/**", async () => {
      await form.locator("label").first().click();
      await expect(form.locator(".save-status")).toHaveText("Answer saved");
    });
    page.off("request", onRequest);
    expect(posted).toEqual([`${attemptUrl}/answers`]);
    expect(saves).toHaveLength(1);
    expectNoLeak("save answer response", saves[0]!);
    expect(JSON.parse(saves[0]!)).toEqual({ ok: true, error: null, answered: 1 });
    expect(bank.questions[questionId]).toBeTruthy();
  }

  // 4. Signed out meanwhile (the session ended): the next choice on the last attempt's page takes
  // the trainer to sign in, with the attempt as the page to return to.
  const attemptUrl = new URL(page.url()).pathname;
  await page.context().clearCookies();
  await page.locator("li.attempt-question form").first().locator("label").nth(1).click();
  await expect(page).toHaveURL(new RegExp(`/login\\?redirectTo=${encodeURIComponent(attemptUrl)}$`));
});
