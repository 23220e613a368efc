import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { expect, test, type Page, type Response } from "@playwright/test";
import { expectAccessible, signUp, uniqueEmail } from "./support/helpers";
import { readAnswerBank, readCatalog } from "./support/content";

/**
 * Issue 14 item 1 (ADR 0041): lessons are HTML rendered by the content build, with each knowledge
 * check an interactive island. No page's CSP allows 'unsafe-eval', no built browser asset holds
 * compiled lesson code or `new Function`, and a knowledge check works without JavaScript.
 */

const catalog = readCatalog();
const bank = readAnswerBank();
const module = catalog.modules.find((m) => m.order === 1)!;
const withCheck = module.sections.findIndex((s) => s.parts.some((p) => "check" in p));
const section = module.sections[withCheck]!;
const next = module.sections[withCheck + 1]!;
const questionId = section.parts.flatMap((p) => ("check" in p ? [p.check] : []))[0]!;
const key = bank.questions[questionId]!;
const lessonUrl = `/modules/${module.slug}/${section.id}`;

/** The first sentence-sized piece of a section's own text, as the browser shows it. */
function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, " ")
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 60)
    .trim();
}
const firstText = (s: (typeof module.sections)[number]) => textOf(s.parts.find((p): p is { html: string } => "html" in p)!.html);

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? listFiles(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
}

function cspOf(response: Response | null, where: string): string {
  expect(response, where).not.toBeNull();
  const csp = response!.headers()["content-security-policy"] ?? "";
  expect(csp, `CSP of ${where}`).toContain("script-src 'self' 'nonce-");
  return csp;
}

/** Every CSP violation Chromium reports on the page (an evaluation refused would be one). */
function watchCspViolations(page: Page): string[] {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|unsafe-eval|EvalError/i.test(message.text())) violations.push(message.text());
  });
  page.on("pageerror", (error) => violations.push(String(error)));
  return violations;
}

test("no built browser asset holds compiled lesson code, lesson text or new Function", () => {
  const assets = [...listFiles("public/build"), ...listFiles("public/islands")].filter((f) => f.endsWith(".js"));
  expect(assets.some((f) => f.startsWith("public/islands/lesson-")), "the lesson island is built and checked too").toBe(true);
  expect(assets.length).toBeGreaterThan(5);
  const lessonTexts = catalog.modules.flatMap((m) => m.sections.map(firstText)).filter((t) => t.length >= 40);
  expect(lessonTexts.length).toBeGreaterThan(20);
  for (const file of assets) {
    const body = fs.readFileSync(file, "utf8");
    expect(body, file).not.toMatch(/new Function|_createMdxContent|getMDXComponent|mdx-bundler|MDXContent/);
    for (const text of lessonTexts) expect(body.includes(text), `lesson text "${text}" in ${file}`).toBe(false);
  }
});

test("lesson, agreement and content pages: no 'unsafe-eval'; a knowledge check with JavaScript, then without it", async ({ browser }) => {
  test.setTimeout(180_000);
  const context = await browser.newContext();
  const page = await context.newPage();
  const violations = watchCspViolations(page);
  await signUp(page, { name: "Island Reader", email: uniqueEmail(), password: "island reader password" });

  // Every page that once evaluated compiled MDX, and a few others: none allows evaluation.
  for (const url of [lessonUrl, `/modules/${module.slug}/${module.sections[0]!.id}`, "/agreement", "/privacy", "/terms", "/contact", "/accessibility", "/dashboard", `/modules/${module.slug}`]) {
    const response = await page.goto(url);
    expect(response?.status(), url).toBe(200);
    expect(cspOf(response, url)).not.toContain("unsafe-eval");
  }
  for (const s of catalog.modules.flatMap((m) => m.sections.map((x) => `/modules/${m.slug}/${x.id}`))) {
    const response = await page.request.get(s);
    expect(response.status(), s).toBe(200);
    expect(response.headers()["content-security-policy"], s).not.toContain("unsafe-eval");
  }

  // The document carries the section's HTML once: in the page, not again in the Remix context
  // script (its data names the parts instead; ADR 0046). A plain run of its words, counted.
  const document = await (await page.request.get(lessonUrl)).text();
  const words = section.parts
    .flatMap((p) => ("html" in p ? [p.html.replace(/<[^>]+>/g, "\n")] : []))
    .join("\n")
    .match(/[A-Za-z][A-Za-z ,]{30,}/g)!;
  expect(words.length).toBeGreaterThan(2);
  for (const run of words.slice(0, 5)) expect(document.split(run).length - 1, `"${run}" in the lesson document`).toBe(1);
  expect(document).toContain('data-part="');

  // With JavaScript: the check answers in place (no new document, a JSON reply from the lesson's
  // `check` route), the rest of the text untouched.
  await page.goto(lessonUrl);
  await expect(page.locator("html[data-hydrated]")).toHaveCount(1);
  await expect(page.getByText(firstText(section), { exact: false })).toBeVisible();
  await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
  const check = page.locator(".knowledge-check").first();
  await expect(check.locator('input[name="questionId"]')).toHaveValue(questionId);
  for (const option of key.options.filter((o) => o.correct)) await check.locator("label").getByText(option.text, { exact: true }).click();
  const reply = page.waitForResponse((r) => r.url().endsWith(`${lessonUrl}/check`) && r.request().method() === "POST");
  await check.getByRole("button", { name: "Check my answer" }).click();
  expect((await reply).headers()["content-type"]).toMatch(/^application\/json/);
  await expect(check.getByText("Correct.")).toBeVisible();
  await expect(check.getByText(key.explanation[0]!)).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
  await expectAccessible(page);

  // The lesson document loads one script, its island (ADR 0047): no Remix runtime, no context
  // script with the page's data, no module preloads; at most 80 KB gzip (issue 14).
  const loaded = await page.evaluate(() => ({
    remix: "__remixContext" in window || "__remixRouter" in window,
    scripts: Array.from(window.document.querySelectorAll("script")).map((s) => s.src || "(inline)"),
    preloads: window.document.querySelectorAll('link[rel="modulepreload"]').length,
  }));
  expect(loaded.remix).toBe(false);
  expect(loaded.preloads).toBe(0);
  expect(loaded.scripts).toHaveLength(1);
  expect(loaded.scripts[0]).toMatch(/\/islands\/lesson-[A-Z0-9]+\.js$/);
  const islandResponse = await page.request.get(loaded.scripts[0]!);
  expect(islandResponse.status()).toBe(200);
  // A fingerprinted name: cached for a year, never revalidated, like the Remix build's assets.
  expect(islandResponse.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
  const island = Buffer.from(await islandResponse.body());
  expect(zlib.gzipSync(island).length, "the lesson page's JavaScript, gzip").toBeLessThanOrEqual(80 * 1024);
  expect(island.toString("utf8")).not.toContain(key.explanation[0]!);

  // The next section is a plain link: a new document, with its own text and island.
  await page.getByRole("navigation", { name: "Section" }).getByRole("link", { name: `${next.title} →` }).click();
  await expect(page.getByRole("heading", { level: 1, name: next.title })).toBeVisible();
  await expect(page.getByText(firstText(next), { exact: false })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole("heading", { level: 1, name: section.title })).toBeVisible();
  await expect(page.locator("html[data-hydrated]")).toHaveCount(1);

  // On a narrow screen the header's Menu button folds the navigation, as on pages with the Remix app.
  await page.setViewportSize({ width: 400, height: 800 });
  const menu = page.getByRole("button", { name: "Menu" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeHidden();
  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await page.setViewportSize({ width: 1280, height: 720 });

  // Inside the Remix app (a client-side navigation into a lesson from another page), the same
  // lesson renders from its data (the HTML in the loader data) and the check answers in place.
  await page.goto(`/modules/${module.slug}`);
  await expect(page.locator("html[data-hydrated]")).toHaveCount(1);
  await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
  await page.evaluate((url) => (window as unknown as { __remixRouter: { navigate(to: string): Promise<void> } }).__remixRouter.navigate(url), lessonUrl);
  await expect(page.getByRole("heading", { level: 1, name: section.title })).toBeVisible();
  await expect(page.getByText(firstText(section), { exact: false })).toBeVisible();
  const inApp = page.locator(".knowledge-check").first();
  await expect(inApp.locator('input[name="questionId"]')).toHaveValue(questionId);
  await inApp.locator("label").getByText(key.options.find((o) => !o.correct)!.text, { exact: true }).click();
  await inApp.getByRole("button", { name: "Check my answer" }).click();
  await expect(inApp.getByText("Not quite.")).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
  expect(violations).toEqual([]);

  // Signed out meanwhile: the island's post is answered by the sign-in page, so the form is posted
  // plainly and the browser shows it (nothing is checked, nothing is lost silently).
  await page.goto(lessonUrl);
  await expect(page.locator("html[data-hydrated]")).toHaveCount(1);
  const signedIn = await context.storageState();
  await context.clearCookies();
  const lateCheck = page.locator(".knowledge-check").first();
  await lateCheck.locator("label").getByText(key.options.find((o) => o.correct)!.text, { exact: true }).click();
  await lateCheck.getByRole("button", { name: "Check my answer" }).click();
  await expect(page).toHaveURL(/\/login/);

  // Without JavaScript: a plain form post, answered with the page and this check's feedback.
  const noScript = await browser.newContext({ javaScriptEnabled: false, storageState: signedIn });
  const plain = await noScript.newPage();
  await plain.goto(lessonUrl);
  const plainCheck = () => plain.locator(".knowledge-check").first();
  const wrong = key.options.find((o) => !o.correct)!;
  await plainCheck().getByLabel(wrong.text, { exact: false }).check();
  await plainCheck().getByRole("button", { name: "Check my answer" }).click();
  await expect(plainCheck().getByText("Not quite.")).toBeVisible();
  await expect(plainCheck().getByText(key.explanation[0]!)).toBeVisible();
  await expect(plainCheck().getByLabel(wrong.text, { exact: false })).toBeChecked();
  expect(new URL(plain.url()).pathname).toBe(lessonUrl);
  await plain.goto(lessonUrl);
  for (const option of key.options.filter((o) => o.correct)) await plainCheck().getByLabel(option.text, { exact: false }).check();
  await plainCheck().getByRole("button", { name: "Check my answer" }).click();
  await expect(plainCheck().getByText("Correct.")).toBeVisible();
  // Choosing nothing is refused with a message, not an error page.
  await plain.goto(lessonUrl);
  await plainCheck().getByRole("button", { name: "Check my answer" }).click();
  await expect(plainCheck().getByText("Choose an answer first.")).toBeVisible();
  await noScript.close();
  await context.close();
});
