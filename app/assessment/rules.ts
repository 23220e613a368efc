/**
 * Pure rules of the assessments: drawing and shuffling questions, grading, and whether a
 * trainer may start an attempt. No I/O; time is passed in.
 */
import { createHash } from "node:crypto";
import type { QuestionType } from "~/content/types";
import { selectByBlueprint, type BlueprintRules, type Drawable } from "./blueprint";

/** A deterministic pseudo-random generator (mulberry32) seeded from a string. */
export function seededRandom(seed: string): () => number {
  let state = createHash("sha256").update(seed).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates with the given generator; returns a new array. */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const result = [...items];
  // Stryker disable next-line EqualityOperator: with i >= 0 the extra step at i = 0 draws j = 0 and swaps the first item with itself (equivalent). i <= 0 starts on this line too and is disabled with it: it never ends for a list of one item (seen by hand: the tests hang), so it cannot pass unnoticed.
  for (let i = result.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [result[i], result[j]] = [result[j]!, result[i]!];
  }
  return result;
}

/**
 * Draws `count` questions from the bank in a shuffled order, and shuffles each one's options.
 * With a blueprint, the draw takes exactly the blueprint's number from each section and meets
 * every tag minimum (`selectByBlueprint` over the same seeded shuffle). The same seed (the
 * attempt id) always gives the same paper.
 */
export function drawPaper<Q extends { id: string; options: { id: string }[] } & Drawable>(bank: readonly Q[], count: number, seed: string, blueprint?: BlueprintRules) {
  const order = shuffle(bank, seededRandom(`${seed}:questions`));
  const chosen = blueprint ? selectByBlueprint(order, blueprint) : order.slice(0, Math.min(count, bank.length));
  // The content build proved the blueprint satisfiable against this very bank.
  if (!chosen) throw new Error("The question bank cannot satisfy the module's blueprint; rebuild the content.");
  return chosen.map((question) => ({
    question,
    optionOrder: shuffle(
      question.options.map((o) => o.id),
      seededRandom(`${seed}:options:${question.id}`),
    ),
  }));
}

/**
 * One drawn question as an attempt stores it: every option gets a fresh random id (from
 * `newId`), so the ids the browser sees differ per attempt and say nothing about the order the
 * author wrote. The snapshot keeps the built id as `sourceId` (server-only).
 */
export function withAttemptOptionIds<Q extends { options: { id: string }[] }>(question: Q, optionOrder: readonly string[], newId: () => string) {
  const ids = new Map<string, string>();
  for (const option of question.options) {
    let id = newId();
    while ([...ids.values()].includes(id)) id = newId();
    ids.set(option.id, id);
  }
  return {
    question: { ...question, options: question.options.map((o) => ({ ...o, id: ids.get(o.id)!, sourceId: o.id })) },
    optionOrder: optionOrder.map((id) => ids.get(id)!),
  };
}

/**
 * A question is answered correctly when exactly the correct options are selected. For
 * "select all that apply", a partial selection (missing one correct option, or adding a wrong
 * one) scores nothing: a trainer who half-knows when to escalate has not met the standard.
 */
export function isAnswerCorrect(type: QuestionType, correctOptionIds: readonly string[], selected: readonly string[]): boolean {
  const chosen = new Set(selected);
  if (chosen.size !== selected.length) return false;
  if ((type === "single" || type === "true-false") && chosen.size !== 1) return false;
  return chosen.size === correctOptionIds.length && correctOptionIds.every((id) => chosen.has(id));
}

export function scorePercent(correct: number, total: number): number {
  return total === 0 ? 0 : Math.floor((correct * 100) / total);
}

/**
 * The score as people read it, to one decimal place ("91.7", for 11 of 12), never rounded up
 * past the whole percent that decided the pass: 79.96 reads "79.9", not "80.0" (the pass rule
 * compares the whole percent, `scorePercent`, with the pass mark).
 */
export function percentShown(correct: number, total: number): string {
  if (total === 0) return "0.0";
  const tenths = Math.round((correct * 1000) / total);
  const whole = scorePercent(correct, total);
  return (Math.min(tenths, whole * 10 + 9) / 10).toFixed(1);
}

export function hasPassed(percent: number, passMark: number): boolean {
  return percent >= passMark;
}

/** Is the selection well-formed for this question (before it is saved)? */
export function validateSelection(type: QuestionType, optionIds: readonly string[], selected: readonly string[]): string | null {
  if (new Set(selected).size !== selected.length) return "The same option was selected twice.";
  if (selected.some((id) => !optionIds.includes(id))) return "That option is not part of this question.";
  if ((type === "single" || type === "true-false") && selected.length > 1) return "Choose only one answer for this question.";
  return null;
}

export interface AttemptHistoryItem {
  submittedAt: Date;
  passed: boolean;
}

export interface RetakePolicy {
  cooldownHours: number;
  failsBeforeLock: number;
  /**
   * How long a pass stays current (the certificate validity period), and how many days before it
   * runs out the annual refresher opens. Without them a pass is final.
   */
  passValidDays?: number;
  refresherWindowDays?: number;
}

export type RetakeDecision =
  | { canStart: true; refresher: boolean }
  | { canStart: false; reason: "passed"; passedAt: Date; refresherOpensAt: Date | null }
  | { canStart: false; reason: "cooldown"; until: Date }
  | { canStart: false; reason: "locked"; consecutiveFails: number };

const DAY_MS = 86_400_000;

/**
 * After a fail the trainer waits `cooldownHours`; after `failsBeforeLock` fails in a row (since
 * the last pass or the last assessor unlock) an assessor must unlock the assessment. A pass
 * ends the retakes until the annual refresher opens, shortly before the pass stops being current.
 */
export function retakeDecision(history: readonly AttemptHistoryItem[], unlocks: readonly Date[], policy: RetakePolicy, now: Date): RetakeDecision {
  const sorted = [...history].sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime());
  const lastPass = [...sorted].reverse().find((a) => a.passed);
  if (lastPass) {
    const refresherOpensAt =
      policy.passValidDays === undefined ? null : new Date(lastPass.submittedAt.getTime() + (policy.passValidDays - (policy.refresherWindowDays ?? 0)) * DAY_MS);
    if (!refresherOpensAt || now < refresherOpensAt) return { canStart: false, reason: "passed", passedAt: lastPass.submittedAt, refresherOpensAt };
  }
  // Stryker disable next-line EqualityOperator: d >= latest is equivalent (on a tie either Date holds the same instant, and only the instant is read). d <= latest starts on this line too and is disabled with it; "counts fails from the latest unlock, whatever order the unlocks are given in" fails on it (checked by hand).
  const lastUnlock = unlocks.reduce<Date | null>((latest, d) => (!latest || d > latest ? d : latest), null);
  const since = Math.max(lastUnlock?.getTime() ?? 0, lastPass?.submittedAt.getTime() ?? 0);
  const failsSince = sorted.filter((a) => !a.passed && a.submittedAt.getTime() > since);
  if (failsSince.length >= policy.failsBeforeLock) return { canStart: false, reason: "locked", consecutiveFails: failsSince.length };
  const last = sorted.at(-1);
  if (last && !last.passed && !(lastUnlock && lastUnlock > last.submittedAt)) {
    const until = new Date(last.submittedAt.getTime() + policy.cooldownHours * 3_600_000);
    if (now < until) return { canStart: false, reason: "cooldown", until };
  }
  return { canStart: true, refresher: lastPass !== undefined };
}
