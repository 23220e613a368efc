import { expect, test } from "@playwright/test";
import { expectAccessible, setServerClockOffset, signIn, signUp, uniqueEmail } from "./support/helpers";
import { answerAllQuestions, readAnswerBank, readCatalog } from "./support/content";

const bank = readAnswerBank();
const catalog = readCatalog();

test.afterEach(async ({ page }) => {
  await setServerClockOffset(page, 0);
});

test("a trainer studies a module, fails the assessment, waits out the cooldown, retakes and passes", async ({ page }) => {
  const module = catalog.modules.find((m) => m.order === 1)!;
  const email = uniqueEmail();
  await signUp(page, { name: "Morgan Lee", email, password: "morgan password 1" });

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Modules" }).click();
  await expect(page.getByRole("heading", { name: "Training modules" })).toBeVisible();
  await expect(page.getByText("Overall: 0 of 4 module assessments passed")).toBeVisible();
  await expectAccessible(page);

  await page.getByRole("link", { name: `1. ${module.title}` }).click();
  await expect(page.getByRole("heading", { level: 1, name: module.title })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("link", { name: "Start the module" }).click();

  // Read section by section until a knowledge check appears; answer it rightly.
  let checked = false;
  for (let i = 0; i < module.sections.length && !checked; i += 1) {
    await expect(page.getByRole("heading", { level: 1, name: module.sections[i]!.title })).toBeVisible();
    if (i === 0) await expectAccessible(page);
    const check = page.locator(".knowledge-check").first();
    if ((await check.count()) > 0) {
      const questionId = await check.locator('input[name="questionId"]').inputValue();
      const key = bank.questions[questionId]!;
      for (const option of key.options.filter((o) => o.correct)) await check.locator("label").getByText(option.text, { exact: true }).click();
      await check.getByRole("button", { name: "Check my answer" }).click();
      await expect(check.getByText("Correct.")).toBeVisible();
      await expect(check.getByText(key.explanation[0]!)).toBeVisible();
      await expectAccessible(page);
      checked = true;
    }
    await page.getByRole("button", { name: /^Mark complete/ }).click();
  }
  expect(checked).toBe(true);

  // Resume: the module page sends the trainer back where they left off.
  await page.goto(`/modules/${module.slug}`);
  await expect(page.getByRole("link", { name: "Continue where you left off" })).toBeVisible();

  // First attempt: every answer wrong.
  await page.goto(`/modules/${module.slug}/assessment`);
  await expectAccessible(page);
  await page.getByRole("button", { name: "Start the assessment" }).click();
  await expect(page).toHaveURL(/\/attempts\/[a-z2-7]+$/);
  const total = await answerAllQuestions(page, "wrong");
  expect(total).toBe(module.questionsPerAttempt);
  await expectAccessible(page);

  // A reload loses nothing.
  await page.reload();
  const checkedAfterReload = await page.locator("li.attempt-question input:checked").count();
  expect(checkedAfterReload).toBe(total);

  await page.getByRole("link", { name: "Review my answers" }).click();
  await expect(page.getByText(`${total} of ${total} questions answered`)).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Submit my answers" }).click();
  await expect(page.getByRole("heading", { name: "You did not pass this time" })).toBeVisible();
  await expect(page.getByText(`0 of ${total} correct (0.0%)`)).toBeVisible();
  await expect(page.locator(".explanation").first()).toBeVisible();
  await expectAccessible(page);

  // Held back by the cooldown.
  await page.goto(`/modules/${module.slug}/assessment`);
  await expect(page.getByRole("status")).toContainText("You can retake this assessment from");
  await expect(page.getByRole("button", { name: /Retake|Start/ })).toHaveCount(0);
  const refused = await page.request.post(`/modules/${module.slug}/assessment`, { form: {} });
  expect(refused.status()).toBe(409);

  // 25 hours later (the idle session has expired, so they sign in again) the trainer may retake, and passes.
  await setServerClockOffset(page, 25 * 3_600_000);
  await signIn(page, email, "morgan password 1");
  await page.goto(`/modules/${module.slug}/assessment`);
  await page.getByRole("button", { name: "Retake the assessment" }).click();
  await expect(page).toHaveURL(/\/attempts\/[a-z2-7]+$/);
  await answerAllQuestions(page, "right");
  await page.getByRole("link", { name: "Review my answers" }).click();
  await page.getByRole("button", { name: "Submit my answers" }).click();
  await expect(page.getByRole("heading", { name: "You passed the assessment" })).toBeVisible();
  await expect(page.getByText(`${total} of ${total} correct (100.0%)`)).toBeVisible();

  // The dashboard shows the pass with the module version.
  await page.goto("/dashboard");
  const row = page.locator(`.module-status[data-module="${module.slug}"]`);
  await expect(row).toContainText("Assessment passed");
  await expect(row).toContainText(`module version ${module.versionLabel}`);
  await expectAccessible(page);

  // A pass ends the retakes until the annual refresher opens, in the warning window before a year is up.
  await page.goto(`/modules/${module.slug}/assessment`);
  await expect(page.getByRole("status")).toContainText("The annual refresher opens on");
  await setServerClockOffset(page, (25 + 24 * 340) * 3_600_000);
  await signIn(page, email, "morgan password 1");
  await page.goto(`/modules/${module.slug}/assessment`);
  await expect(page.getByRole("button", { name: "Take the annual refresher" })).toBeVisible();
  await page.goto("/dashboard");
  await expect(page.locator(`.module-status[data-module="${module.slug}"]`)).toContainText("The annual refresher is open");
});
