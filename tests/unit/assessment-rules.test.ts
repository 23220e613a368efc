import { describe, expect, it } from "vitest";
import { drawPaper, hasPassed, isAnswerCorrect, percentShown, retakeDecision, scorePercent, seededRandom, shuffle, validateSelection, withAttemptOptionIds } from "~/assessment/rules";

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

  it("shows the score to one decimal place, never rounded up past the whole percent that decided (issue 13.16)", () => {
    expect(percentShown(11, 12)).toBe("91.7");
    expect(percentShown(10, 12)).toBe("83.3");
    expect(percentShown(9, 12)).toBe("75.0");
    expect(percentShown(12, 12)).toBe("100.0");
    expect(percentShown(0, 12)).toBe("0.0");
    expect(percentShown(0, 0)).toBe("0.0");
    expect(percentShown(1, 3)).toBe("33.3");
    expect(percentShown(2, 3)).toBe("66.7");
    // 79.96%: the pass rule reads 79 (not passed at 80); the page must not say "80.0".
    expect(scorePercent(1999, 2500)).toBe(79);
    expect(percentShown(1999, 2500)).toBe("79.9");
    expect(percentShown(1998, 2500)).toBe("79.9");
    expect(percentShown(2000, 2500)).toBe("80.0");
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

describe("grading: the combinations a count cannot catch", () => {
  it("select all that apply: a wrong combination with the right number of answers scores nothing", () => {
    expect(isAnswerCorrect("multiple", ["a", "c", "d"], ["a", "b", "c"])).toBe(false);
    expect(isAnswerCorrect("multiple", ["a", "c"], ["b", "d"])).toBe(false);
    expect(isAnswerCorrect("multiple", ["a", "c"], ["c", "a"])).toBe(true);
  });

  it("an answer repeated is not a second answer, even when the distinct answers are the right ones", () => {
    expect(isAnswerCorrect("multiple", ["a", "c"], ["a", "c", "c"])).toBe(false);
    expect(isAnswerCorrect("single", ["a"], ["a", "a"])).toBe(false);
  });

  it("a single-choice or true/false question takes exactly one answer, even if its key lists two", () => {
    expect(isAnswerCorrect("single", ["a", "b"], ["a", "b"])).toBe(false);
    expect(isAnswerCorrect("true-false", ["t", "f"], ["t", "f"])).toBe(false);
    expect(isAnswerCorrect("multiple", ["a", "b"], ["a", "b"])).toBe(true);
  });

  it("scores 100% for all correct and rounds down, never up", () => {
    expect(scorePercent(12, 12)).toBe(100);
    expect(scorePercent(1, 3)).toBe(33);
    expect(scorePercent(2, 3)).toBe(66);
    expect(scorePercent(0, 12)).toBe(0);
    expect(hasPassed(100, 80)).toBe(true);
    expect(hasPassed(81, 80)).toBe(true);
  });

  it("says exactly what is wrong with a malformed selection", () => {
    expect(validateSelection("multiple", ["a", "b"], ["a", "a"])).toBe("The same option was selected twice.");
    expect(validateSelection("multiple", ["a", "b"], ["c"])).toBe("That option is not part of this question.");
    expect(validateSelection("single", ["a", "b"], ["a", "b"])).toBe("Choose only one answer for this question.");
    expect(validateSelection("true-false", ["t", "f"], ["f"])).toBeNull();
    expect(validateSelection("multiple", ["a", "b", "c"], ["a", "b", "c"])).toBeNull();
  });
});

describe("the seeded draw", () => {
  it("is mulberry32 seeded from the attempt id: the same attempt id gives the same numbers in every release", () => {
    const random = seededRandom("attempt-42");
    expect(Array.from({ length: 5 }, () => random())).toEqual([0.8485969672910869, 0.32588080735877156, 0.4126292164437473, 0.48852467630058527, 0.7980776480399072]);
    expect(shuffle([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], seededRandom("golden"))).toEqual([7, 5, 9, 3, 4, 8, 0, 6, 2, 1]);
    const bank = Array.from({ length: 6 }, (_, i) => ({ id: `q${i}`, options: [{ id: `q${i}-a` }, { id: `q${i}-b` }, { id: `q${i}-c` }] }));
    expect(drawPaper(bank, 3, "attempt-42").map((p) => [p.question.id, p.optionOrder])).toEqual([
      ["q0", ["q0-c", "q0-a", "q0-b"]],
      ["q4", ["q4-b", "q4-a", "q4-c"]],
      ["q3", ["q3-c", "q3-a", "q3-b"]],
    ]);
  });

  it("gives numbers in [0, 1), spread evenly", () => {
    const random = seededRandom("spread");
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 20_000; i += 1) {
      const x = random();
      expect(x >= 0 && x < 1).toBe(true);
      buckets[Math.floor(x * 10)]! += 1;
    }
    for (const n of buckets) expect(Math.abs(n - 2_000)).toBeLessThan(200);
  });

  it("puts every item in every position about equally often (an unbiased shuffle)", () => {
    const counts = Array.from({ length: 4 }, () => new Array<number>(4).fill(0));
    for (let i = 0; i < 8_000; i += 1) shuffle([0, 1, 2, 3], seededRandom(`bias-${i}`)).forEach((item, position) => (counts[item]![position]! += 1));
    for (const row of counts) for (const n of row) expect(Math.abs(n - 2_000)).toBeLessThan(200);
  });

  it("draws the whole bank when it holds fewer questions than the paper asks for, and refuses a blueprint the bank cannot meet", () => {
    const bank = Array.from({ length: 3 }, (_, i) => ({ id: `q${i}`, section: "core", options: [{ id: `q${i}-a` }] }));
    expect(drawPaper(bank, 12, "small").map((p) => p.question.id).sort()).toEqual(["q0", "q1", "q2"]);
    expect(() => drawPaper(bank, 4, "seed", { sections: { core: 4 }, tags: {} })).toThrow("The question bank cannot satisfy the module's blueprint; rebuild the content.");
    expect(drawPaper(bank, 2, "seed", { sections: { core: 2 }, tags: {} })).toHaveLength(2);
  });
});

describe("attempt option ids", () => {
  const question = { id: "q1", prompt: "Which?", options: [{ id: "a", text: "A" }, { id: "b", text: "B" }, { id: "c", text: "C" }] };

  it("gives each option a fresh id, keeps the built id as sourceId, and maps the drawn order onto the new ids", () => {
    const ids = ["x1", "x2", "x3"];
    const result = withAttemptOptionIds(question, ["c", "a", "b"], () => ids.shift()!);
    expect(result).toEqual({
      question: { id: "q1", prompt: "Which?", options: [{ id: "x1", text: "A", sourceId: "a" }, { id: "x2", text: "B", sourceId: "b" }, { id: "x3", text: "C", sourceId: "c" }] },
      optionOrder: ["x3", "x1", "x2"],
    });
  });

  it("draws again when a new id repeats one already given, so no two options share an id", () => {
    const ids = ["x1", "x1", "x1", "x2", "x2", "x3"];
    const result = withAttemptOptionIds(question, ["a", "b", "c"], () => ids.shift()!);
    expect(result.question.options.map((o) => o.id)).toEqual(["x1", "x2", "x3"]);
    expect(ids).toEqual([]);
  });
});

describe("retakes: order and timing", () => {
  const policy = { cooldownHours: 24, failsBeforeLock: 3 };
  const t = (h: number) => new Date(Date.UTC(2026, 5, 1, 9) + h * 3_600_000);
  const fail = (h: number) => ({ submittedAt: t(h), passed: false });
  const pass = (h: number) => ({ submittedAt: t(h), passed: true });

  it("reads the history in time order, whatever order it is given in", () => {
    expect(retakeDecision([fail(30), fail(0)], [], policy, t(40))).toEqual({ canStart: false, reason: "cooldown", until: t(54) });
    expect(retakeDecision([pass(50), fail(0)], [], policy, t(60))).toEqual({ canStart: false, reason: "passed", passedAt: t(50), refresherOpensAt: null });
    expect(retakeDecision([fail(60), pass(0), pass(50)], [], { ...policy, passValidDays: 10, refresherWindowDays: 1 }, t(100))).toEqual({
      canStart: false,
      reason: "passed",
      passedAt: t(50),
      refresherOpensAt: t(50 + 9 * 24),
    });
  });

  it("counts fails from the latest unlock, whatever order the unlocks are given in", () => {
    const history = [fail(0), fail(30), fail(60), fail(100), fail(130), fail(160)];
    expect(retakeDecision(history, [t(161), t(61)], policy, t(170))).toEqual({ canStart: true, refresher: false });
    expect(retakeDecision(history, [t(61), t(161)], policy, t(170))).toEqual({ canStart: true, refresher: false });
    expect(retakeDecision(history, [t(61)], policy, t(170))).toEqual({ canStart: false, reason: "locked", consecutiveFails: 3 });
  });

  it("counts fails from the later of the last unlock and the last pass", () => {
    const yearly = { ...policy, passValidDays: 30, refresherWindowDays: 5 };
    const history = [fail(10), fail(20), pass(30), fail(30 + 26 * 24)];
    expect(retakeDecision(history, [t(0)], yearly, t(30 + 26 * 24 + 1))).toEqual({ canStart: false, reason: "cooldown", until: t(30 + 27 * 24) });
  });

  it("with a validity period but no refresher window, the refresher opens when the pass stops being current", () => {
    const noWindow = { ...policy, passValidDays: 2 };
    expect(retakeDecision([pass(0)], [], noWindow, t(47))).toEqual({ canStart: false, reason: "passed", passedAt: t(0), refresherOpensAt: t(48) });
    expect(retakeDecision([pass(0)], [], noWindow, t(48))).toEqual({ canStart: true, refresher: true });
  });

  it("an unlock at the moment of the last fail does not lift its cooldown; one after it does", () => {
    expect(retakeDecision([fail(0)], [t(0)], policy, t(1))).toEqual({ canStart: false, reason: "cooldown", until: t(24) });
    expect(retakeDecision([fail(0)], [t(0.5)], policy, t(1))).toEqual({ canStart: true, refresher: false });
  });

  it("a fail at the moment of an unlock is not counted towards the lock", () => {
    expect(retakeDecision([fail(0), fail(30), fail(60)], [t(0)], policy, t(100))).toEqual({ canStart: true, refresher: false });
  });
});
