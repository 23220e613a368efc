import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
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

function question(id: string, type: string, options: string, explanation = "<Explanation>\nBecause.\n</Explanation>") {
  return `<Question id="${id}" type="${type}">\n\nA prompt?\n\n${options}\n\n${explanation}\n\n</Question>\n`;
}

function bankOf(n: number) {
  return Array.from({ length: n }, (_, i) => question(`fx-a-${i}`, "single", "<Option correct>Right</Option>\n<Option>Wrong</Option>\n<Option>Also wrong</Option>")).join("\n");
}

function moduleWith(body: string, bankSize = 20) {
  return `${FRONTMATTER}\n## First section\n\nText.\n\n${body}\n\n<Assessment>\n\n${bankOf(bankSize)}\n</Assessment>\n\n## Sources\n\n- A source.\n`;
}

const parse = (source: string) => parseModule("fixture.mdx", source, "fixture");

/** A content build in a child process is CPU-bound (tsx start-up, parsing); allow for a shared, busy machine. */
const BUILD_TIMEOUT_MS = 60_000;

describe("content build validation", () => {
  it("accepts a well-formed module and strips the assessment and answers from the sections", () => {
    const check = `<KnowledgeCheck>\n\n${question("fx-kc-1", "true-false", "<Option correct>True</Option>\n<Option>False</Option>", "<Explanation>\nSecret explanation text.\n</Explanation>")}\n</KnowledgeCheck>`;
    const result = parse(moduleWith(check));
    expect(result.errors).toEqual([]);
    expect(result.sections.map((s) => s.id)).toEqual(["first-section", "sources"]);
    const all = result.sections.map((s) => s.source).join("\n");
    expect(all).toContain('<KnowledgeCheck id="fx-kc-1" />');
    expect(all).not.toContain("Secret explanation text");
    expect(all).not.toContain("correct");
    expect(all).not.toContain("Assessment");
    expect(result.questions.filter((q) => q.kind === "summative")).toHaveLength(20);
    expect(result.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ["no correct option", question("fx-kc-1", "single", "<Option>A</Option>\n<Option>B</Option>\n<Option>C</Option>"), /has no correct option/],
    ["two correct in single", question("fx-kc-1", "single", "<Option correct>A</Option>\n<Option correct>B</Option>\n<Option>C</Option>"), /marks 2 options correct/],
    ["one correct in multiple", question("fx-kc-1", "multiple", "<Option correct>A</Option>\n<Option>B</Option>\n<Option>C</Option>\n<Option>D</Option>"), /at least two correct/],
    ["true-false with other options", question("fx-kc-1", "true-false", "<Option correct>Yes</Option>\n<Option>No</Option>"), /exactly the options True and False/],
    ["missing explanation", question("fx-kc-1", "single", "<Option correct>A</Option>\n<Option>B</Option>\n<Option>C</Option>", ""), /needs exactly one non-empty <Explanation>/],
    ["unknown type", question("fx-kc-1", "essay", "<Option correct>A</Option>\n<Option>B</Option>\n<Option>C</Option>"), /type must be one of/],
  ])("refuses %s inside a knowledge check, naming the line", (_name, q, message) => {
    const result = parse(moduleWith(`<KnowledgeCheck>\n\n${q}\n</KnowledgeCheck>`));
    const error = result.errors.find((e) => message.test(e));
    expect(error, result.errors.join("\n")).toMatch(/^fixture\.mdx:\d+:\d+: /);
    const line = Number(error!.split(":")[1]);
    expect(moduleWith(`<KnowledgeCheck>\n\n${q}\n</KnowledgeCheck>`).split("\n")[line - 1]).toContain("<Question");
  });

  it("refuses duplicate ids, unknown components, code and a small bank", () => {
    const dup = parse(moduleWith(`<KnowledgeCheck>\n\n${question("fx-a-0", "single", "<Option correct>A</Option>\n<Option>B</Option>\n<Option>C</Option>")}\n</KnowledgeCheck>`));
    expect(dup.errors.join("\n")).toMatch(/duplicate question id "fx-a-0"/);
    expect(parse(moduleWith("<Marquee>hi</Marquee>")).errors.join("\n")).toMatch(/unknown component <Marquee>/);
    expect(parse(moduleWith("{alert(1)}")).errors.join("\n")).toMatch(/JavaScript .* is not allowed/);
    expect(parse(moduleWith("", 19)).errors.join("\n")).toMatch(/at least 20 questions \(has 19\)/);
  });

  it("refuses missing or invalid frontmatter", () => {
    expect(parse("## Only\n\ntext").errors.join("\n")).toMatch(/missing frontmatter/);
    const bad = moduleWith("").replace("passMark: 80", "passMark: 180");
    expect(parse(bad).errors.join("\n")).toMatch(/frontmatter passMark/);
  });

  it("the build command fails on a deliberately broken question with its file and line", () => {
    const { status, stderr, out } = buildFixture("content-broken");
    expect(status).toBe(1);
    expect(stderr).toContain("tests/fixtures/content-broken/modules/broken/index.mdx:22:1: question \"broken-a-01\" has no correct option");
    expect(fs.existsSync(path.join(out, "answer-bank.server.json"))).toBe(false);
  }, BUILD_TIMEOUT_MS);

  it("the build command fails on a blueprint the bank cannot satisfy, naming the frontmatter line", () => {
    const { status, stderr, out } = buildFixture("content-blueprint");
    expect(status).toBe(1);
    expect(stderr).toContain("tests/fixtures/content-blueprint/modules/blueprint/index.mdx:15:1: blueprint: no selection of 4 questions meets every section count and every tag minimum together");
    expect(fs.readFileSync("tests/fixtures/content-blueprint/modules/blueprint/index.mdx", "utf8").split("\n")[14]).toBe("blueprint:");
    expect(fs.existsSync(path.join(out, "answer-bank.server.json"))).toBe(false);
  }, BUILD_TIMEOUT_MS);

  it("the build command fails when the key is the longest option too often, naming the module's file and bank line", () => {
    const { status, stderr, out } = buildFixture("content-option-length");
    expect(status).toBe(1);
    expect(stderr).toContain('tests/fixtures/content-option-length/modules/option-length/index.mdx:24:1: module "option-length": the keyed option is the strictly longest option in 8 of 20 single-answer questions (40%; at most 35% allowed)');
    expect(fs.readFileSync("tests/fixtures/content-option-length/modules/option-length/index.mdx", "utf8").split("\n")[23]).toBe("<Assessment>");
    expect(fs.existsSync(path.join(out, "answer-bank.server.json"))).toBe(false);
  }, BUILD_TIMEOUT_MS);
});

/** Runs the real content build on a fixture folder; returns its exit status and error output. */
function buildFixture(name: string) {
  const out = path.resolve(`tests/.tmp/${name}-out`);
  fs.rmSync(out, { recursive: true, force: true });
  try {
    execFileSync(path.resolve("node_modules/.bin/tsx"), ["scripts/build-content.ts", "--dir", `tests/fixtures/${name}`, "--out", out], { stdio: "pipe" });
    return { status: 0, stderr: "", out };
  } catch (error) {
    const e = error as { status: number; stderr: Buffer };
    return { status: e.status, stderr: e.stderr.toString(), out };
  }
}
