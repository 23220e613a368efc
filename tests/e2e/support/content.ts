import fs from "node:fs";
import { expect, type Page } from "@playwright/test";
import type { AnswerBank, PublicCatalog } from "../../../app/content/types";

/** The build's output, read by tests to know the right answers (as an examiner would). */
export function readCatalog(): PublicCatalog {
  return JSON.parse(fs.readFileSync("content/.generated/modules.json", "utf8")) as PublicCatalog;
}

export function readAnswerBank(): AnswerBank {
  return JSON.parse(fs.readFileSync("content/.generated/answer-bank.server.json", "utf8")) as AnswerBank;
}

/**
 * Answers every question on the open attempt page, rightly or wrongly (reading the answer bank
 * as an examiner would), and waits for each answer to be saved. Returns the number of questions.
 */
export async function answerAllQuestions(page: Page, mode: "right" | "wrong"): Promise<number> {
  const bank = readAnswerBank();
  const forms = page.locator("li.attempt-question form");
  // Wait for the real state, never for time: the page says how many questions the attempt has
  // ("Question 1 of N"); all N must be on the page before counting (a slow first render once
  // counted none and submitted an empty attempt), and the page must be hydrated, since a choice
  // made before its script runs is never saved.
  await expect(page.locator("html[data-hydrated]")).toHaveCount(1);
  const legend = (await page.locator("li.attempt-question .question__number").first().textContent()) ?? "";
  const count = Number(/Question 1 of (\d+)/i.exec(legend)?.[1]);
  expect(count).toBeGreaterThan(0);
  await expect(forms).toHaveCount(count);
  for (let i = 0; i < count; i += 1) {
    const form = forms.nth(i);
    const questionId = await form.locator('input[name="questionId"]').inputValue();
    const key = bank.questions[questionId]!;
    const chosen = mode === "right" ? key.options.filter((o) => o.correct) : [key.options.find((o) => !o.correct)!];
    // Option ids are random per attempt: choose by the option's text, as a person would.
    for (const option of chosen) await form.locator("label").getByText(option.text, { exact: true }).click();
    await expect(form.locator(".save-status")).toHaveText("Answer saved");
  }
  return count;
}

/** Starts a module's assessment, answers everything rightly, reviews and submits: a pass. */
export async function passModuleAssessment(page: Page, slug: string): Promise<void> {
  await page.goto(`/modules/${slug}/assessment`);
  await page.getByRole("button", { name: "Start the assessment" }).click();
  await expect(page).toHaveURL(/\/attempts\/[a-z2-7]+$/);
  await answerAllQuestions(page, "right");
  await page.getByRole("link", { name: "Review my answers" }).click();
  await page.getByRole("button", { name: "Submit my answers" }).click();
  await expect(page.getByRole("heading", { name: "You passed the assessment" })).toBeVisible();
}

/**
 * As a signed-in assessor: opens the trainer's submission from the marking queue, judges every
 * rubric criterion at its "met" level, passes it with the given feedback and sees it released.
 */
export async function markReportAsPass(assessor: Page, trainerName: string, feedback: string): Promise<void> {
  const task = readCatalog().modules.find((m) => m.slug === "report-writing")!.reportTask!;
  await assessor.goto("/marking");
  await assessor.getByRole("row").filter({ hasText: trainerName }).getByRole("link", { name: trainerName }).click();
  await assessor.getByRole("button", { name: "Start marking" }).click();
  for (const criterion of task.rubric) {
    const level = criterion.levels.find((l) => l.met)!;
    await assessor.locator(`[data-criterion="${criterion.id}"]`).getByLabel(new RegExp(`^${level.label}:`)).check();
  }
  await assessor.getByLabel("Pass", { exact: true }).check();
  await assessor.getByLabel("Overall feedback for the trainer").fill(feedback);
  await assessor.getByRole("button", { name: "Save the mark" }).click();
  await expect(assessor.getByText("Status: Released")).toBeVisible();
}
