import { describe, expect, it } from "vitest";
import { satisfiesBlueprint, selectByBlueprint, type BlueprintRules } from "~/assessment/blueprint";
import { drawPaper } from "~/assessment/rules";
import { getQuestionBank, listModules } from "~/content/catalog.server";

const DRAWS = 10_000;

describe("drawing papers from the real modules' blueprints", () => {
  for (const module of listModules()) {
    it.skipIf(!module.blueprint)(`${module.slug}: ${DRAWS.toLocaleString("en-GB")} seeded draws all satisfy the blueprint`, () => {
      const bank = getQuestionBank(module.slug);
      const blueprint = module.blueprint!;
      const seen = new Set<string>();
      for (let i = 0; i < DRAWS; i += 1) {
        const paper = drawPaper(bank, module.questionsPerAttempt, `draw-${module.slug}-${i}`, blueprint);
        const problem = satisfiesBlueprint(
          paper.map((p) => p.question),
          blueprint,
        );
        expect(problem, `seed draw-${module.slug}-${i}`).toBeNull();
        expect(paper).toHaveLength(module.questionsPerAttempt);
        expect(new Set(paper.map((p) => p.question.id)).size).toBe(module.questionsPerAttempt);
        for (const p of paper) seen.add(p.question.id);
      }
      // Every question the blueprint can draw is drawn by some seed.
      const drawable = bank.filter((q) => (blueprint.sections[q.section ?? ""] ?? 0) > 0);
      expect(seen.size).toBe(drawable.length);
      // 10,000 draws of 15 from a 44-question bank is a few seconds of CPU on a quiet machine and
      // several times that on the shared one: a compute budget, not a wait for any state.
    }, 120_000);
  }
});

describe("selectByBlueprint", () => {
  const q = (id: string, section: string, ...tags: string[]) => ({ id, section, tags, options: [{ id: `${id}-a` }, { id: `${id}-b` }, { id: `${id}-c` }] });
  const bank = [
    ...Array.from({ length: 8 }, (_, i) => q(`a${i}`, "alpha", ...(i === 7 ? ["danger"] : []))),
    ...Array.from({ length: 8 }, (_, i) => q(`b${i}`, "beta", ...(i === 7 ? ["records", "danger"] : []))),
    q("c0", "gamma"),
  ];
  const rules: BlueprintRules = { sections: { alpha: 2, beta: 2 }, tags: { danger: 1, records: 1 } };

  it("meets the section counts and tag minimums even when the tagged questions come last", () => {
    const chosen = selectByBlueprint(bank, rules)!;
    expect(satisfiesBlueprint(chosen, rules)).toBeNull();
    expect(chosen.map((c) => c.id)).toEqual(["a0", "a1", "b0", "b7"]);
  });

  it("over many seeds draws every drawable question and never one from a section that draws none", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i += 1) {
      const paper = drawPaper(bank, 4, `s${i}`, rules);
      expect(satisfiesBlueprint(paper.map((p) => p.question), rules)).toBeNull();
      for (const p of paper) seen.add(p.question.id);
    }
    expect(seen.has("c0")).toBe(false);
    expect(seen.size).toBe(16);
  });

  it("finds a selection quickly when two tag minimums compete for the last place in a section", () => {
    // The only "danger" and "records" questions that come last share section z, which draws one.
    // A paper exists (y1 for danger, z1 for records), but with y0 taken first, each tag on its own
    // still looks reachable through z, so without remembering failed states the search tries all
    // 4^10 ways of filling sections a to j before backing out of y0, and runs out of budget.
    const free = Array.from({ length: 10 }, (_, s) => Array.from({ length: 4 }, (_, i) => q(`${"abcdefghij"[s]}${i}`, `s${s}`))).flat();
    const order = [q("y0", "y"), q("y1", "y", "danger"), ...free, q("z0", "z", "danger"), q("z1", "z", "records")];
    const sections = Object.fromEntries([...Array.from({ length: 10 }, (_, s) => [`s${s}`, 1]), ["y", 1], ["z", 1]]);
    const chosen = selectByBlueprint(order, { sections, tags: { danger: 1, records: 1 } });
    expect(chosen).not.toBeNull();
    expect(satisfiesBlueprint(chosen!, { sections, tags: { danger: 1, records: 1 } })).toBeNull();
    expect(chosen!.map((c) => c.id)).toEqual(["y1", "a0", "b0", "c0", "d0", "e0", "f0", "g0", "h0", "i0", "j0", "z1"]);
  });

  it("returns null when no selection exists, and satisfiesBlueprint names what is wrong", () => {
    expect(selectByBlueprint(bank, { sections: { alpha: 2, beta: 2 }, tags: { records: 2 } })).toBeNull();
    expect(selectByBlueprint(bank, { sections: { alpha: 9 }, tags: {} })).toBeNull();
    expect(satisfiesBlueprint([bank[0]!, bank[1]!, bank[8]!, bank[9]!], rules)).toMatch(/tag "danger" appears 0 times/);
    expect(satisfiesBlueprint([bank[0]!, bank[8]!, bank[9]!, bank[15]!], rules)).toMatch(/section "alpha" has 1 questions, not 2/);
    expect(satisfiesBlueprint([bank[16]!], { sections: { alpha: 0 }, tags: {} })).toMatch(/outside the blueprint/);
  });
});
