import { describe, expect, it } from "vitest";
import { drawPaper, hasPassed, isAnswerCorrect, retakeDecision, scorePercent, seededRandom, shuffle, validateSelection } from "~/assessment/rules";

describe("grading", () => {
  it("single choice: only the one correct option", () => {
    expect(isAnswerCorrect("single", ["a"], ["a"])).toBe(true);
    expect(isAnswerCorrect("single", ["a"], ["b"])).toBe(false);
    expect(isAnswerCorrect("single", ["a"], [])).toBe(false);
    expect(isAnswerCorrect("single", ["a"], ["a", "b"])).toBe(false);
  });

  it("true/false: exactly one answer, the right one", () => {
    expect(isAnswerCorrect("true-false", ["t"], ["t"])).toBe(true);
    expect(isAnswerCorrect("true-false", ["t"], ["f"])).toBe(false);
    expect(isAnswerCorrect("true-false", ["t"], ["t", "f"])).toBe(false);
  });

  it("select all that apply: every correct option and no wrong one; partial selections score nothing", () => {
    const correct = ["a", "c", "d"];
    expect(isAnswerCorrect("multiple", correct, ["d", "a", "c"])).toBe(true);
    expect(isAnswerCorrect("multiple", correct, ["a", "c"])).toBe(false); // one missing
    expect(isAnswerCorrect("multiple", correct, ["a"])).toBe(false);
    expect(isAnswerCorrect("multiple", correct, ["a", "b", "c", "d"])).toBe(false); // one wrong added
    expect(isAnswerCorrect("multiple", correct, ["a", "c", "c"])).toBe(false); // duplicates are not a third answer
    expect(isAnswerCorrect("multiple", correct, [])).toBe(false);
  });

  it("scores as a whole percentage rounded down and passes at or above the mark", () => {
    expect(scorePercent(10, 12)).toBe(83);
    expect(scorePercent(9, 12)).toBe(75);
    expect(scorePercent(0, 0)).toBe(0);
    expect(hasPassed(80, 80)).toBe(true);
    expect(hasPassed(79, 80)).toBe(false);
  });

  it("refuses malformed selections before they are saved", () => {
    expect(validateSelection("single", ["a", "b"], ["a"])).toBeNull();
    expect(validateSelection("single", ["a", "b"], [])).toBeNull();
    expect(validateSelection("single", ["a", "b"], ["a", "b"])).toMatch(/only one/);
    expect(validateSelection("true-false", ["t", "f"], ["t", "f"])).toMatch(/only one/);
    expect(validateSelection("multiple", ["a", "b", "c"], ["a", "z"])).toMatch(/not part of this question/);
    expect(validateSelection("multiple", ["a", "b", "c"], ["a", "a"])).toMatch(/twice/);
  });
});

describe("drawing a paper", () => {
  const bank = Array.from({ length: 25 }, (_, i) => ({ id: `q${i}`, options: [{ id: `q${i}-a` }, { id: `q${i}-b` }, { id: `q${i}-c` }, { id: `q${i}-d` }] }));

  it("is deterministic per attempt seed and differs between attempts", () => {
    const a1 = drawPaper(bank, 12, "attempt-one");
    const a2 = drawPaper(bank, 12, "attempt-one");
    const b = drawPaper(bank, 12, "attempt-two");
    expect(a1.map((p) => [p.question.id, p.optionOrder])).toEqual(a2.map((p) => [p.question.id, p.optionOrder]));
    expect(b.map((p) => p.question.id)).not.toEqual(a1.map((p) => p.question.id));
  });

  it("draws the configured number of distinct questions, each with all of its options", () => {
    const paper = drawPaper(bank, 12, "seed");
    expect(paper).toHaveLength(12);
    expect(new Set(paper.map((p) => p.question.id)).size).toBe(12);
    for (const item of paper) expect([...item.optionOrder].sort()).toEqual(item.question.options.map((o) => o.id).sort());
  });

  it("actually shuffles: over many seeds every question appears first and option orders vary", () => {
    const firsts = new Set<string>();
    const orders = new Set<string>();
    for (let i = 0; i < 400; i += 1) {
      const paper = drawPaper(bank, 12, `s${i}`);
      firsts.add(paper[0]!.question.id);
      orders.add(paper[0]!.optionOrder.map((id) => id.slice(-1)).join(""));
    }
    expect(firsts.size).toBe(25);
    expect(orders.size).toBe(24); // all 4! orders of four options
  });

  it("a seeded shuffle never loses or duplicates items", () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = shuffle(items, seededRandom("x"));
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
    expect(shuffled).not.toEqual(items);
  });
});

describe("retakes", () => {
  const policy = { cooldownHours: 24, failsBeforeLock: 3 };
  const t = (h: number) => new Date(Date.UTC(2026, 5, 1, 9) + h * 3_600_000);
  const fail = (h: number) => ({ submittedAt: t(h), passed: false });

  it("anyone may start a first attempt", () => {
    expect(retakeDecision([], [], policy, t(0))).toEqual({ canStart: true, refresher: false });
  });

  it("after a fail, waits 24 hours", () => {
    expect(retakeDecision([fail(0)], [], policy, t(23.9))).toEqual({ canStart: false, reason: "cooldown", until: t(24) });
    expect(retakeDecision([fail(0)], [], policy, t(24))).toEqual({ canStart: true, refresher: false });
  });

  it("locks after three fails in a row until an assessor unlocks, and the unlock lifts the cooldown", () => {
    const history = [fail(0), fail(30), fail(60)];
    expect(retakeDecision(history, [], policy, t(200))).toEqual({ canStart: false, reason: "locked", consecutiveFails: 3 });
    expect(retakeDecision(history, [t(61)], policy, t(61.5))).toEqual({ canStart: true, refresher: false });
    // Fails after the unlock count afresh.
    expect(retakeDecision([...history, fail(70)], [t(61)], policy, t(80))).toEqual({ canStart: false, reason: "cooldown", until: t(94) });
    expect(retakeDecision([...history, fail(70), fail(100), fail(130)], [t(61)], policy, t(500))).toMatchObject({ reason: "locked" });
  });

  it("a pass ends the retakes", () => {
    expect(retakeDecision([fail(0), { submittedAt: t(30), passed: true }], [], policy, t(31))).toEqual({ canStart: false, reason: "passed", passedAt: t(30), refresherOpensAt: null });
  });

  it("the annual refresher opens in the warning window before a pass stops being current, and follows the same rules", () => {
    const yearly = { ...policy, passValidDays: 365, refresherWindowDays: 30 };
    const pass = { submittedAt: t(0), passed: true };
    const opens = t(335 * 24);
    expect(retakeDecision([pass], [], yearly, t(334 * 24))).toEqual({ canStart: false, reason: "passed", passedAt: t(0), refresherOpensAt: opens });
    expect(retakeDecision([pass], [], yearly, opens)).toEqual({ canStart: true, refresher: true });
    // A failed refresher has the usual cooldown, and fails count from the last pass.
    const failedRefresher = { submittedAt: t(336 * 24), passed: false };
    expect(retakeDecision([fail(-100), fail(-50), pass, failedRefresher], [], yearly, t(336 * 24 + 1))).toEqual({ canStart: false, reason: "cooldown", until: t(336 * 24 + 24) });
    // Passing the refresher starts the next year.
    const refreshed = { submittedAt: t(340 * 24), passed: true };
    expect(retakeDecision([pass, failedRefresher, refreshed], [], yearly, t(341 * 24))).toMatchObject({ canStart: false, reason: "passed", passedAt: t(340 * 24) });
  });

  it("follows the admin's policy", () => {
    expect(retakeDecision([fail(0)], [], { cooldownHours: 0, failsBeforeLock: 1 }, t(1))).toMatchObject({ reason: "locked" });
    expect(retakeDecision([fail(0)], [], { cooldownHours: 2, failsBeforeLock: 5 }, t(2))).toEqual({ canStart: true, refresher: false });
  });
});
