/**
 * The report-writing task's pure rules (app/marking/rules.ts), each stated at its boundary:
 * word limits, mark consistency, moderation sampling, waiting times.
 */
import { describe, expect, it } from "vitest";
import type { RubricCriterion } from "~/content/types";
import { checkMark, countWords, formatWaiting, MAX_COMMENT_CHARS, MAX_REPORT_WORDS, MIN_REPORT_WORDS, moderationDraw, needsModeration, reportBodyProblem, type CriterionJudgement } from "~/marking/rules";

const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(" ");

describe("report word limits", () => {
  it("counts words separated by any whitespace, and none in blank text", () => {
    expect(countWords("")).toBe(0);
    expect(countWords(" \n\t ")).toBe(0);
    expect(countWords("one")).toBe(1);
    expect(countWords("  one two\n\nthree\tfour  ")).toBe(4);
  });

  it("accepts exactly 20,000 words and refuses 20,001, saying how many and what to do", () => {
    expect(MAX_REPORT_WORDS).toBe(20_000);
    expect(reportBodyProblem(words(20_000), "submit")).toBeNull();
    expect(reportBodyProblem(words(20_000), "draft")).toBeNull();
    expect(reportBodyProblem(words(20_001), "submit")).toBe("Your report has 20,001 words; the limit is 20,000. Shorten it before you submit.");
    expect(reportBodyProblem(words(20_001), "draft")).toBe("Your report has 20,001 words; the limit is 20,000. Shorten it to save it.");
  });

  it("submits exactly 50 words, refuses 49; a draft may be shorter, even empty", () => {
    expect(MIN_REPORT_WORDS).toBe(50);
    expect(reportBodyProblem(words(50), "submit")).toBeNull();
    expect(reportBodyProblem(words(49), "submit")).toBe("Your report has 49 words. Write at least 50 words before you submit.");
    expect(reportBodyProblem(words(49), "draft")).toBeNull();
    expect(reportBodyProblem("", "draft")).toBeNull();
  });

  it("refuses control characters (in a draft too) but keeps tabs and line breaks", () => {
    const message = "Your report contains invisible control characters (perhaps pasted from another program). Remove them, or retype the affected lines, and try again.";
    expect(reportBodyProblem(`${words(60)}\u0007`, "submit")).toBe(message);
    expect(reportBodyProblem("draft\u0000", "draft")).toBe(message);
    expect(reportBodyProblem(`${words(30)}\n\n\t${words(30)}\r\n`, "submit")).toBeNull();
  });
});

const level = (id: string, met: boolean) => ({ id, label: id, descriptor: id, met });
const rubric: RubricCriterion[] = [
  { id: "accuracy", title: "Accuracy", mustMeet: true, levels: [level("accuracy-met", true), level("accuracy-not", false)] },
  { id: "scope", title: "Scope", mustMeet: true, levels: [level("scope-met", true), level("scope-not", false)] },
  { id: "style", title: "Style", mustMeet: false, levels: [level("style-met", true), level("style-not", false)] },
];
const judge = (criterionId: string, met: boolean, comment = met ? "" : `Why ${criterionId} is not met.`): CriterionJudgement => ({ criterionId, levelId: `${criterionId}-${met ? "met" : "not"}`, comment });

describe("checking a mark", () => {
  it("accepts a pass with every criterion met, returning each judgement with whether it is met", () => {
    const result = checkMark(rubric, [judge("accuracy", true, "  Clear.  "), judge("scope", true), judge("style", true)], "pass");
    expect(result).toEqual({
      ok: true,
      outcome: "pass",
      criteria: [
        { criterionId: "accuracy", levelId: "accuracy-met", comment: "Clear.", met: true },
        { criterionId: "scope", levelId: "scope-met", comment: "", met: true },
        { criterionId: "style", levelId: "style-met", comment: "", met: true },
      ],
    });
  });

  it("refuses a pass when one must-meet criterion (not the first) is unmet and the others are met, naming it", () => {
    const result = checkMark(rubric, [judge("accuracy", true), judge("scope", false), judge("style", true)], "pass");
    expect(result).toEqual({
      ok: false,
      fieldErrors: { outcome: 'A report cannot pass while a must-meet criterion is not met: "Scope". Choose Refer, or change the level if you misjudged it.' },
    });
  });

  it("refuses a pass naming every unmet must-meet criterion, judged in any order", () => {
    const result = checkMark(rubric, [judge("style", true), judge("scope", false), judge("accuracy", false)], "pass");
    expect(result).toEqual({
      ok: false,
      fieldErrors: { outcome: 'A report cannot pass while a must-meet criterion is not met: "Accuracy", "Scope". Choose Refer, or change the level if you misjudged it.' },
    });
  });

  it("lets a pass through with an unmet criterion that is not must-meet, and a referral with unmet must-meet criteria", () => {
    expect(checkMark(rubric, [judge("accuracy", true), judge("scope", true), judge("style", false)], "pass")).toMatchObject({ ok: true });
    const referral = checkMark(rubric, [judge("accuracy", false), judge("scope", true), judge("style", true)], "refer");
    expect(referral.ok && referral.criteria.map((c) => c.met)).toEqual([false, true, true]);
  });

  it("reports every missing field at once: no outcome chosen is one more error beside each missing level and comment (issue 13.11)", () => {
    expect(checkMark(rubric, [], null)).toEqual({
      ok: false,
      fieldErrors: {
        "level.accuracy": 'Choose a level for "Accuracy".',
        "level.scope": 'Choose a level for "Scope".',
        "level.style": 'Choose a level for "Style".',
        outcome: "Choose Pass or Refer.",
      },
    });
    expect(checkMark(rubric, [judge("accuracy", false, ""), judge("scope", true)], null)).toEqual({
      ok: false,
      fieldErrors: { "comment.accuracy": 'Say why "Accuracy" is not met, so the trainer knows what to change.', "level.style": 'Choose a level for "Style".', outcome: "Choose Pass or Refer." },
    });
    // A complete rubric with no outcome is still refused, on the outcome alone.
    expect(checkMark(rubric, [judge("accuracy", true), judge("scope", true), judge("style", true)], null)).toEqual({ ok: false, fieldErrors: { outcome: "Choose Pass or Refer." } });
    expect(checkMark(rubric, [judge("accuracy", true), judge("scope", true), judge("style", true)], "refer")).toMatchObject({ ok: true, outcome: "refer" });
  });

  it("needs a level from the criterion's own levels for every criterion", () => {
    expect(checkMark(rubric, [judge("accuracy", true), judge("style", true)], "refer")).toEqual({ ok: false, fieldErrors: { "level.scope": 'Choose a level for "Scope".' } });
    const wrongLevel = checkMark(rubric, [judge("accuracy", true), { criterionId: "scope", levelId: "accuracy-met", comment: "" }, judge("style", true)], "refer");
    expect(wrongLevel).toEqual({ ok: false, fieldErrors: { "level.scope": 'Choose a level for "Scope".' } });
  });

  it("needs a comment on each unmet criterion (blank or spaces are not a comment), not on met ones", () => {
    const result = checkMark(rubric, [judge("accuracy", false, ""), judge("scope", true), judge("style", false, "   ")], "refer");
    expect(result).toEqual({
      ok: false,
      fieldErrors: {
        "comment.accuracy": 'Say why "Accuracy" is not met, so the trainer knows what to change.',
        "comment.style": 'Say why "Style" is not met, so the trainer knows what to change.',
      },
    });
  });

  it("accepts a comment of exactly 2,000 characters and refuses 2,001", () => {
    expect(MAX_COMMENT_CHARS).toBe(2_000);
    expect(checkMark(rubric, [judge("accuracy", false, "x".repeat(2_000)), judge("scope", true), judge("style", true)], "refer")).toMatchObject({ ok: true });
    expect(checkMark(rubric, [judge("accuracy", true, "x".repeat(2_001)), judge("scope", true), judge("style", true)], "pass")).toEqual({
      ok: false,
      fieldErrors: { "comment.accuracy": "Keep the comment to 2,000 characters or fewer (it has 2,001)." },
    });
  });
});

describe("moderation sampling", () => {
  it("draws a number in [0, 100) in hundredths, spread evenly over submissions", () => {
    const draws = Array.from({ length: 10_000 }, (_, i) => moderationDraw(i + 1));
    expect(draws.every((d) => d >= 0 && d < 100 && Number.isInteger(Math.round(d * 100)) && Math.abs(d * 100 - Math.round(d * 100)) < 1e-6)).toBe(true);
    for (let decile = 0; decile < 10; decile += 1) {
      const inDecile = draws.filter((d) => d >= decile * 10 && d < (decile + 1) * 10).length;
      expect(inDecile).toBeGreaterThan(850);
      expect(inDecile).toBeLessThan(1150);
    }
    expect(new Set(draws).size).toBeGreaterThan(6_000);
  });

  it("moderates a submission when its draw is below the outcome's percentage, not at it", () => {
    for (const id of [1, 2, 3, 500, 9_999]) {
      const draw = moderationDraw(id);
      expect(needsModeration(id, "pass", { referralPercent: 0, passPercent: draw })).toBe(false);
      expect(needsModeration(id, "pass", { referralPercent: 0, passPercent: draw + 0.01 })).toBe(true);
      expect(needsModeration(id, "refer", { referralPercent: draw, passPercent: 100 })).toBe(false);
      expect(needsModeration(id, "refer", { referralPercent: draw + 0.01, passPercent: 0 })).toBe(true);
    }
  });
});

describe("waiting time", () => {
  const since = new Date("2026-06-01T09:00:00Z");
  const after = (minutes: number) => new Date(since.getTime() + minutes * 60_000);

  it("reads in minutes under an hour, hours under two days, then days", () => {
    expect(formatWaiting(since, since)).toBe("0 minutes");
    expect(formatWaiting(since, after(1))).toBe("1 minute");
    expect(formatWaiting(since, after(59))).toBe("59 minutes");
    expect(formatWaiting(since, after(60))).toBe("1 hour");
    expect(formatWaiting(since, after(119))).toBe("1 hour");
    expect(formatWaiting(since, after(120))).toBe("2 hours");
    expect(formatWaiting(since, after(48 * 60 - 1))).toBe("47 hours");
    expect(formatWaiting(since, after(48 * 60))).toBe("2 days");
    expect(formatWaiting(since, after(24 * 60 * 9 + 23 * 60))).toBe("9 days");
  });

  it("never reads negative when the clock is behind the start", () => {
    expect(formatWaiting(since, after(-5))).toBe("0 minutes");
  });
});
