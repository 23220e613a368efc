import { describe, expect, it } from "vitest";
import { getModule, getReportTask } from "~/content/catalog.server";
import { parseModule } from "../../scripts/lib/content/parse";

const FRONTMATTER = `---
title: Fixture module
slug: fixture
order: 1
summary: A fixture module used to test the content build's validation.
learningOutcomes:
  - One outcome for the fixture.
  - Another outcome for the fixture.
  - A third outcome for the fixture.
estimatedMinutes: 10
passMark: 80
questionsPerAttempt: 2
versionNotes: Fixture.
---
`;

const bank = Array.from(
  { length: 20 },
  (_, i) => `<Question id="fx-a-${i}" type="single">\n\nA prompt?\n\n<Option correct>Right</Option>\n<Option>Wrong</Option>\n<Option>Also wrong</Option>\n\n<Explanation>\nBecause.\n</Explanation>\n\n</Question>\n`,
).join("\n");

const criterion = (attrs: string, levels: string) => `<Criterion ${attrs}>\n\n${levels}\n\n</Criterion>`;
const GOOD_LEVELS = `<Level id="not-met" label="Not met">Vague.</Level>\n\n<Level id="met" label="Met" met>Factual.</Level>`;

function taskWith(rubric: string, parts = "<CaseHistory>\n\nA client.\n\n</CaseHistory>\n\n<MdtGoals>\n\n1. Walk 500 metres.\n\n</MdtGoals>\n\n<SessionNotes>\n\n### Week 1\n\nAttended.\n\n</SessionNotes>\n\n<Instructions>\n\nWrite a **report**.\n\n</Instructions>") {
  return `<ReportTask id="fx-task" title="A task">\n\n${parts}\n\n<Rubric>\n\n${rubric}\n\n</Rubric>\n\n</ReportTask>`;
}

function moduleWith(task: string) {
  return `${FRONTMATTER}\n## First section\n\nText.\n\n<Assessment>\n\n${bank}\n</Assessment>\n\n${task}\n\n## Sources\n\n- A source.\n`;
}

const parse = (source: string) => parseModule("fixture.mdx", source, "fixture");

function lineOf(source: string, error: string): string {
  const line = Number(error.split(":")[1]);
  return source.split("\n")[line - 1]!;
}

describe("the <ReportTask> component in the content build", () => {
  it("extracts the task and rubric, keeps them out of every lesson section, and hashes them with the module", () => {
    const source = moduleWith(taskWith(criterion('id="factual" title="Objective and factual" mustMeet', GOOD_LEVELS)));
    const result = parse(source);
    expect(result.errors).toEqual([]);
    expect(result.reportTask).toMatchObject({
      id: "fx-task",
      title: "A task",
      caseHistory: "A client.",
      mdtGoals: "1. Walk 500 metres.",
      sessionNotes: "### Week 1\n\nAttended.",
      instructions: "Write a **report**.",
      rubric: [{ id: "factual", title: "Objective and factual", mustMeet: true, levels: [{ id: "not-met", met: false, descriptor: "Vague." }, { id: "met", met: true, label: "Met" }] }],
      source: `fixture.mdx:${source.split("\n").findIndex((l) => l.startsWith("<ReportTask")) + 1}`,
    });
    expect(result.sections.map((s) => s.source).join("\n")).not.toMatch(/ReportTask|A client|Objective and factual/);
    // Changing only the rubric changes the content hash, so it is a new module version.
    const changed = parse(source.replace("Factual.", "Factual and dated."));
    expect(changed.errors).toEqual([]);
    expect(changed.contentHash).not.toBe(result.contentHash);
  });

  it("refuses a criterion with fewer than two levels, naming the file and line", () => {
    const source = moduleWith(taskWith(criterion('id="factual" title="Factual" mustMeet', '<Level id="met" label="Met" met>Factual.</Level>')));
    const errors = parse(source).errors;
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^fixture\.mdx:\d+:1: criterion "factual" needs at least 2 levels \(has 1\)$/);
    expect(lineOf(source, errors[0]!)).toContain('<Criterion id="factual"');
  });

  it("refuses a criterion without exactly one met level, a duplicate id, a missing descriptor and a rubric with no must-meet criterion", () => {
    const noMet = parse(moduleWith(taskWith(criterion('id="a" title="A" mustMeet', '<Level id="x" label="X">One.</Level>\n\n<Level id="y" label="Y">Two.</Level>')))).errors;
    expect(noMet.join("\n")).toMatch(/criterion "a" needs exactly one <Level met>.*found 0/);
    const twoMet = parse(moduleWith(taskWith(criterion('id="a" title="A" mustMeet', '<Level id="x" label="X" met>One.</Level>\n\n<Level id="y" label="Y" met>Two.</Level>')))).errors;
    expect(twoMet.join("\n")).toMatch(/found 2/);
    const duplicate = parse(moduleWith(taskWith(`${criterion('id="a" title="A" mustMeet', GOOD_LEVELS)}\n\n${criterion('id="a" title="Again"', GOOD_LEVELS)}`))).errors;
    expect(duplicate.join("\n")).toMatch(/duplicate criterion id "a"/);
    const empty = parse(moduleWith(taskWith(criterion('id="a" title="A" mustMeet', '<Level id="x" label="X"></Level>\n\n<Level id="y" label="Y" met>Two.</Level>')))).errors;
    expect(empty.join("\n")).toMatch(/<Level id="x"> in criterion "a" needs a descriptor/);
    const noMustMeet = parse(moduleWith(taskWith(criterion('id="a" title="A"', GOOD_LEVELS)))).errors;
    expect(noMustMeet.join("\n")).toMatch(/needs at least one <Criterion mustMeet>/);
  });

  it("refuses a missing part and Markdown the renderer does not draw", () => {
    const missing = parse(moduleWith(taskWith(criterion('id="a" title="A" mustMeet', GOOD_LEVELS), "<CaseHistory>\n\nA client.\n\n</CaseHistory>"))).errors.join("\n");
    expect(missing).toMatch(/needs exactly one <MdtGoals> \(found 0\)/);
    expect(missing).toMatch(/needs exactly one <Instructions> \(found 0\)/);
    const source = moduleWith(
      taskWith(
        criterion('id="a" title="A" mustMeet', GOOD_LEVELS),
        "<CaseHistory>\n\nSee [the file](https://example.test).\n\n</CaseHistory>\n\n<MdtGoals>\n\n> A quote\n\n</MdtGoals>\n\n<SessionNotes>\n\nNotes.\n\n</SessionNotes>\n\n<Instructions>\n\nWrite.\n\n</Instructions>",
      ),
    );
    const errors = parse(source).errors;
    expect(errors.join("\n")).toMatch(/<CaseHistory> may use only headings, paragraphs, bullet or numbered lists, \*\*bold\*\* and \*italic\* \(found link\)/);
    expect(errors.join("\n")).toMatch(/\(found blockquote\)/);
    expect(lineOf(source, errors.find((e) => e.includes("blockquote"))!)).toBe("> A quote");
  });

  it("refuses the task components anywhere but their place", () => {
    const errors = parse(moduleWith(`<Rubric>\n\n${criterion('id="a" title="A" mustMeet', GOOD_LEVELS)}\n\n</Rubric>`)).errors.join("\n");
    expect(errors).toMatch(/<Rubric> cannot be placed at the top level/);
  });

  it("the real report-writing module has the task, with several must-meet criteria", () => {
    const task = getReportTask("report-writing")!;
    expect(task.rubric.length).toBeGreaterThanOrEqual(6);
    expect(task.rubric.filter((c) => c.mustMeet).length).toBeGreaterThanOrEqual(4);
    expect(task.sessionNotes).toMatch(/light-headed/);
    expect(getModule("report-writing")!.reportTask).toEqual(task);
    expect(getModule("safeguarding")!.reportTask).toBeNull();
  });
});
