import { describe, expect, it } from "vitest";
import type { AnswerKey } from "~/content/types";
import { keyIsStrictlyLongest, keyPositionWarning, longestKeyError } from "../../scripts/lib/content/option-balance";

function single(id: string, texts: string[], keyAt: number, type: AnswerKey["type"] = "single"): AnswerKey {
  return {
    id,
    moduleSlug: "m",
    kind: "summative",
    type,
    prompt: ["?"],
    options: texts.map((text, i) => ({ id: `${id}-${i}`, text, correct: i === keyAt })),
    explanation: ["."],
    caseStudy: null,
    section: null,
    tags: [],
    source: "m.mdx:1",
  };
}

describe("the option-length check", () => {
  it("counts the key as longest only when it is strictly longer than every other option", () => {
    expect(keyIsStrictlyLongest(single("a", ["aaaa", "bb", "cc"], 0))).toBe(true);
    expect(keyIsStrictlyLongest(single("a", ["aaaa", "bbbb", "cc"], 0))).toBe(false);
    expect(keyIsStrictlyLongest(single("a", ["aa", "bbbb", "cc"], 0))).toBe(false);
  });

  it("fails above 35% of single-answer questions, naming the module, the line and the questions; true/false and multiple are not counted", () => {
    const longest = (n: number) => Array.from({ length: n }, (_, i) => single(`l${i}`, ["the long keyed option", "short", "brief"], 0));
    const balanced = (n: number) => Array.from({ length: n }, (_, i) => single(`b${i}`, ["key", "a longer distractor", "another one"], 0));
    const others = [single("tf", ["False", "True"], 0, "true-false"), single("mu", ["the long keyed option", "x", "y", "z"], 0, "multiple")];
    expect(longestKeyError('module "m"', "m.mdx:40:1", [...longest(7), ...balanced(13), ...others])).toBeNull(); // 35%: allowed
    const error = longestKeyError('module "m"', "m.mdx:40:1", [...longest(8), ...balanced(12), ...others]);
    expect(error).toBe('m.mdx:40:1: module "m": the keyed option is the strictly longest option in 8 of 20 single-answer questions (40%; at most 35% allowed). Balance option lengths in: l0, l1, l2, l3, l4, l5, l6, l7');
  });
});

describe("the keyed-position warning", () => {
  const at = (positions: number[]) => positions.map((p, i) => single(`q${i}`, ["a", "b", "c", "d"], p));

  it("stays quiet for an even spread", () => {
    expect(keyPositionWarning("m", "m.mdx:1:1", at([0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3]))).toBeNull();
  });

  it("warns when one position holds more than 45% of the keys", () => {
    // 7 of 16 (44%) at one position, the rest spread: quiet.
    expect(keyPositionWarning("m", "m.mdx:1:1", at([2, 2, 2, 2, 2, 2, 2, 0, 1, 3, 0, 1, 3, 0, 1, 3]))).toBeNull();
    expect(keyPositionWarning("m", "m.mdx:1:1", at([2, 2, 2, 2, 2, 2, 2, 2, 0, 1, 3, 0, 1, 3, 0, 1]))).toMatch(/position 3 holds 50% of the keys; keys per position 1: 3, 2: 3, 3: 8, 4: 2/);
  });

  it("warns on a chi-square above the p < 0.01 critical value even when no position passes 45%", () => {
    // 40 questions: 18 keys at position 1, 18 at position 2, 4 at position 3, none at 4: chi-square 26.4 > 11.345.
    const positions = [...Array(18).fill(0), ...Array(18).fill(1), ...Array(4).fill(2)] as number[];
    expect(keyPositionWarning("m", "m.mdx:1:1", at(positions))).toMatch(/chi-square 26\.4 > 11\.345 \(p < 0\.01\)/);
  });
});
