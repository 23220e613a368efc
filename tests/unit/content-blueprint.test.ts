import { describe, expect, it } from "vitest";
import { parseModule } from "../../scripts/lib/content/parse";

/** A module with two teaching sections ("alpha", "beta"), a Sources section and a tagged bank. */
function fixture(opts: { blueprint?: string; questions?: string; perAttempt?: number; task?: string }) {
  const bank =
    opts.questions ??
    Array.from({ length: 20 }, (_, i) => q(`bp-a-${i}`, i < 10 ? "alpha" : "beta", i === 0 || i === 10 ? "immediate-danger" : i === 5 ? "records" : "")).join("\n");
  return `---
title: Blueprint fixture
slug: fixture
order: 1
summary: A fixture module used to test blueprint validation.
learningOutcomes:
  - One outcome for the fixture.
  - Another outcome for the fixture.
  - A third outcome for the fixture.
estimatedMinutes: 10
questionsPerAttempt: ${opts.perAttempt ?? 4}
versionNotes: Fixture.
${opts.blueprint ?? ""}---

## Alpha

Text.

## Beta

Text.

<Assessment>

${bank}
</Assessment>

${opts.task ?? ""}

## Sources

- A source.
`;
}

function q(id: string, section: string | null, tags = "") {
  const attrs = `${section === null ? "" : ` section="${section}"`}${tags ? ` tags="${tags}"` : ""}`;
  return `<Question id="${id}" type="single"${attrs}>\n\nA prompt?\n\n<Option correct>Right one</Option>\n<Option>Wrong one</Option>\n<Option>Also wrong</Option>\n\n<Explanation>\nBecause.\n</Explanation>\n\n</Question>\n`;
}

const BLUEPRINT = `blueprint:
  sections:
    alpha: 2
    beta: 2
  tags:
    immediate-danger: 1
    records: 1
`;

const parse = (source: string) => parseModule("fixture.mdx", source, "fixture");

/** The line an error names, and the text on that line of the source. */
function lineOf(source: string, error: string | undefined): string {
  expect(error).toMatch(/^fixture\.mdx:\d+:\d+: /);
  return source.split("\n")[Number(error!.split(":")[1]) - 1]!;
}

describe("question sections and tags", () => {
  it("records each summative question's section and tags", () => {
    const result = parse(fixture({ blueprint: BLUEPRINT }));
    expect(result.errors).toEqual([]);
    const first = result.questions.find((x) => x.id === "bp-a-0")!;
    expect(first.section).toBe("alpha");
    expect(first.tags).toEqual(["immediate-danger"]);
    expect(result.questions.find((x) => x.id === "bp-a-11")!.tags).toEqual([]);
  });

  it("refuses an unknown section id, naming the question's line and the known sections", () => {
    const source = fixture({ questions: [q("bp-a-0", "gamma"), ...Array.from({ length: 19 }, (_, i) => q(`bp-a-${i + 1}`, "alpha"))].join("\n") });
    const error = parse(source).errors.find((e) => e.includes('unknown section "gamma"'));
    expect(error).toContain("the sections are: alpha, beta");
    expect(lineOf(source, error)).toContain('<Question id="bp-a-0"');
  });

  it("refuses the Sources section, malformed tags and section/tags on a knowledge check", () => {
    const sources = parse(fixture({ questions: Array.from({ length: 20 }, (_, i) => q(`bp-a-${i}`, "sources")).join("\n") }));
    expect(sources.errors.join("\n")).toMatch(/unknown section "sources"/);
    const badTag = parse(fixture({ questions: [q("bp-a-0", "alpha", "Immediate_Danger"), ...Array.from({ length: 19 }, (_, i) => q(`bp-a-${i + 1}`, "alpha"))].join("\n") }));
    expect(badTag.errors.join("\n")).toMatch(/tag "Immediate_Danger" must be lower-case words joined by hyphens/);
    const kc = fixture({}).replace("## Beta\n", `## Beta\n\n<KnowledgeCheck>\n\n${q("bp-kc-1", "beta")}\n</KnowledgeCheck>\n`);
    expect(parse(kc).errors.join("\n")).toMatch(/a knowledge check belongs to the section it sits in/);
  });

  it("gives every case-study question the case-study tag", () => {
    const cs = `<CaseStudy id="bp-cs-1" title="A case">\n\nThe case text.\n\n${q("bp-a-90", "alpha", "records")}\n${q("bp-a-91", "beta")}\n</CaseStudy>\n`;
    const result = parse(fixture({ questions: Array.from({ length: 20 }, (_, i) => q(`bp-a-${i}`, "alpha")).join("\n") + cs }));
    expect(result.errors).toEqual([]);
    expect(result.questions.find((x) => x.id === "bp-a-90")!.tags).toEqual(["records", "case-study"]);
    expect(result.questions.find((x) => x.id === "bp-a-91")!.tags).toEqual(["case-study"]);
  });
});

describe("the blueprint in the frontmatter", () => {
  it("accepts a satisfiable blueprint", () => {
    const result = parse(fixture({ blueprint: BLUEPRINT }));
    expect(result.errors).toEqual([]);
    expect(result.frontmatter!.blueprint).toEqual({ sections: { alpha: 2, beta: 2 }, tags: { "immediate-danger": 1, records: 1 } });
  });

  it.each([
    ["counts that do not add up to questionsPerAttempt", BLUEPRINT.replace("beta: 2", "beta: 3"), /section counts add up to 5, but questionsPerAttempt is 4/, "  sections:"],
    ["an unknown section", BLUEPRINT.replace("beta: 2", "gamma: 2"), /unknown section "gamma"/, "    gamma: 2"],
    ["a section pool smaller than its count", BLUEPRINT.replace("alpha: 2\n    beta: 2", "alpha: 11\n    beta: 0").replace("perAttempt", ""), /section "alpha" draws 11 but has only 10 questions/, "    alpha: 11"],
    ["a tag no drawable question carries", BLUEPRINT.replace("records: 1", "falls: 1"), /tag "falls" needs at least 1 per attempt, but only 0 drawable questions carry it/, "    falls: 1"],
    ["a malformed tag name", BLUEPRINT.replace("records: 1", "Records: 1"), /frontmatter blueprint\.tags\.Records/, "    Records: 1"],
  ])("refuses %s, naming the frontmatter line", (_name, blueprint, message, lineText) => {
    const perAttempt = blueprint.includes("alpha: 11") ? 11 : 4;
    const source = fixture({ blueprint, perAttempt });
    const error = parse(source).errors.find((e) => message.test(e));
    expect(error, parse(source).errors.join("\n")).toBeDefined();
    expect(lineOf(source, error)).toBe(lineText);
  });

  it("refuses tag minimums that each fit but cannot all be met together with the section counts", () => {
    // Only alpha holds the tagged questions, and it draws one: immediate-danger and records cannot both appear.
    const bank = Array.from({ length: 20 }, (_, i) => q(`bp-a-${i}`, i < 10 ? "alpha" : "beta", i === 0 ? "immediate-danger" : i === 1 ? "records" : "")).join("\n");
    const source = fixture({ blueprint: BLUEPRINT.replace("alpha: 2", "alpha: 1").replace("beta: 2", "beta: 3"), questions: bank });
    const error = parse(source).errors.find((e) => /no selection of 4 questions meets every section count and every tag minimum together/.test(e));
    expect(error, parse(source).errors.join("\n")).toBeDefined();
    expect(lineOf(source, error)).toBe("blueprint:");
  });

  it("requires a section on every bank question once the module has a blueprint", () => {
    const bank = [q("bp-a-0", null), ...Array.from({ length: 19 }, (_, i) => q(`bp-a-${i + 1}`, i < 9 ? "alpha" : "beta", i === 0 ? "immediate-danger records" : ""))].join("\n");
    const source = fixture({ blueprint: BLUEPRINT, questions: bank });
    const error = parse(source).errors.find((e) => e.includes('question "bp-a-0" needs section'));
    expect(lineOf(source, error)).toContain('<Question id="bp-a-0"');
  });
});

describe("the marking key", () => {
  const task = (extra: string, after = true) => `<ReportTask id="fx-task" title="A task">

<CaseHistory>

Case.

</CaseHistory>

<MdtGoals>

1. Goal.

</MdtGoals>

<SessionNotes>

Notes.

</SessionNotes>

<Instructions>

Write it.

</Instructions>

${after ? "" : extra}

<Rubric>

<Criterion id="c" title="Criterion" mustMeet>

<Level id="no" label="Not met">No.</Level>

<Level id="yes" label="Met" met>Yes.</Level>

</Criterion>

</Rubric>

${after ? extra : ""}

</ReportTask>`;
  const key = "<MarkingKey>\n\n## Expected facts\n\n- Eleven of twelve sessions took place.\n\n</MarkingKey>";

  it("keeps the marking key apart from the task the trainer sees", () => {
    const result = parse(fixture({ task: task(key) }));
    expect(result.errors).toEqual([]);
    expect(result.markingKey).toBe("## Expected facts\n\n- Eleven of twelve sessions took place.");
    expect(JSON.stringify(result.reportTask)).not.toContain("Eleven of twelve");
    expect(result.sections.map((s) => s.source).join("\n")).not.toContain("Eleven of twelve");
  });

  it("refuses a second marking key, one before the rubric, and Markdown the renderer does not draw", () => {
    expect(parse(fixture({ task: task(`${key}\n\n${key}`) })).errors.join("\n")).toMatch(/holds at most one <MarkingKey> \(found 2\)/);
    expect(parse(fixture({ task: task(key, false) })).errors.join("\n")).toMatch(/<MarkingKey> comes after the <Rubric>/);
    expect(parse(fixture({ task: task("<MarkingKey>\n\n> a quote\n\n</MarkingKey>") })).errors.join("\n")).toMatch(/<MarkingKey> may use only headings/);
  });
});
