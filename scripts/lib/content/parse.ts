/**
 * Build-time parsing and validation of a training module written in MDX (see content/README.md).
 * Extracts every question's answer key and explanation, and produces per-section MDX sources
 * from which assessments and answers have been removed. Nothing here runs on the server.
 */
import { createHash } from "node:crypto";
import type { Root, RootContent } from "mdast";
import type { MdxJsxAttribute, MdxJsxFlowElement, MdxJsxTextElement } from "mdast-util-mdx-jsx";
import { toString } from "mdast-util-to-string";
import remarkFrontmatter from "remark-frontmatter";
import remarkGfm from "remark-gfm";
import remarkMdx from "remark-mdx";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { checkBlueprint, undrawableQuestions } from "./blueprint-check";
import { keyPositionWarning, longestKeyError } from "./option-balance";
import YAML, { LineCounter, isMap, isScalar, isSeq } from "yaml";
import type { z } from "zod";
import { QUESTION_TYPES, agreementFrontmatterSchema, frontmatterSchema, pageFrontmatterSchema, type AnswerKey, type Frontmatter, type QuestionType, type ReportTaskDefinition, type RubricCriterion } from "../../../app/content/types";

type Node = Root | RootContent;
type JsxElement = MdxJsxFlowElement | MdxJsxTextElement;

export const ALLOWED_COMPONENTS = [
  "Scenario",
  "Boundaries",
  "Do",
  "Dont",
  "KnowledgeCheck",
  "Assessment",
  "CaseStudy",
  "Question",
  "Option",
  "Explanation",
  "ReportTask",
  "CaseHistory",
  "MdtGoals",
  "SessionNotes",
  "Instructions",
  "Rubric",
  "Criterion",
  "Level",
  "MarkingKey",
] as const;

/** Which parent each component may sit in (null: the top level of a section). */
const ALLOWED_PARENTS: Record<string, (string | null)[]> = {
  Scenario: [null],
  Boundaries: [null, "Scenario"],
  Do: ["Boundaries"],
  Dont: ["Boundaries"],
  KnowledgeCheck: [null],
  Assessment: [null],
  CaseStudy: ["Assessment"],
  Question: ["KnowledgeCheck", "Assessment", "CaseStudy"],
  Option: ["Question"],
  Explanation: ["Question"],
  ReportTask: [null],
  CaseHistory: ["ReportTask"],
  MdtGoals: ["ReportTask"],
  SessionNotes: ["ReportTask"],
  Instructions: ["ReportTask"],
  Rubric: ["ReportTask"],
  Criterion: ["Rubric"],
  Level: ["Criterion"],
  MarkingKey: ["ReportTask"],
};

/** The parts of a <ReportTask>, each required exactly once, in this order. */
const REPORT_TASK_PARTS = ["CaseHistory", "MdtGoals", "SessionNotes", "Instructions", "Rubric"] as const;
/** The assessor-only marking key: at most once, after the <Rubric> (required once every task has one). */
const MARKING_KEY = "MarkingKey";

/** Blueprint tags are lower-case words joined by hyphens; "case-study" is given to every case-study question. */
const TAG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const CASE_STUDY_TAG = "case-study";

/** Markdown node types a task part may use: what the Markdown-lite renderer draws. */
const MARKDOWN_LITE_NODES = new Set(["heading", "paragraph", "list", "listItem", "text", "strong", "emphasis"]);

export interface ParsedSection {
  id: string;
  title: string;
  /** MDX with the section heading, knowledge-check answers and the assessment removed. */
  source: string;
  words: number;
}

export interface ParsedModule {
  frontmatter: Frontmatter | null;
  contentHash: string;
  sections: ParsedSection[];
  questions: AnswerKey[];
  reportTask: ReportTaskDefinition | null;
  /** The assessor-only marking key of the written task (Markdown-lite), if it has one. */
  markingKey: string | null;
  /** `file:line` of a frontmatter key (e.g. ["blueprint", "sections", "x"]), or of the frontmatter. */
  frontmatterAt: (path: (string | number)[]) => string;
  errors: string[];
  /** Printed by the build, which still succeeds. */
  warnings: string[];
}

function isJsx(node: Node): node is JsxElement {
  return node.type === "mdxJsxFlowElement" || node.type === "mdxJsxTextElement";
}

function childrenOf(node: Node): RootContent[] {
  return "children" in node ? (node.children as RootContent[]) : [];
}

function attribute(node: JsxElement, name: string): { present: boolean; value: string | null } {
  const attr = node.attributes.find((a): a is MdxJsxAttribute => a.type === "mdxJsxAttribute" && a.name === name);
  if (!attr) return { present: false, value: null };
  return { present: true, value: typeof attr.value === "string" ? attr.value : attr.value === null ? null : "{expression}" };
}

function findAll(node: Node, name: string, stopAt: string[] = []): JsxElement[] {
  const found: JsxElement[] = [];
  for (const child of childrenOf(node)) {
    if (isJsx(child) && child.name === name) found.push(child);
    else if (!(isJsx(child) && stopAt.includes(child.name ?? ""))) found.push(...findAll(child, name, stopAt));
  }
  return found;
}

/** Direct children, looking through a paragraph that only wraps inline elements (`<Level …>…</Level>` on one line). */
function elementChildren(node: Node): RootContent[] {
  return childrenOf(node).flatMap((child) =>
    child.type === "paragraph" && child.children.every((c) => isJsx(c) || (c.type === "text" && c.value.trim() === "")) ? child.children.filter((c) => isJsx(c)) : [child],
  );
}

function containsJsx(node: Node, name: string): boolean {
  return findAll(node, name).length > 0;
}

function paragraphs(nodes: RootContent[]): string[] {
  return nodes.map((n) => toString(n).replace(/\s+/g, " ").trim()).filter((text) => text.length > 0);
}

export function slugify(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
}

/**
 * The content hash of a module or agreement: SHA-256 of its source without the `versionLabel:`
 * frontmatter line, so writing a label never makes a new version.
 */
export function contentHashOf(source: string): string {
  const match = /^---\r?\n[\s\S]*?\r?\n---\r?\n/.exec(source);
  const unlabelled = match ? match[0].replace(/^versionLabel:.*\r?\n/m, "") + source.slice(match[0].length) : source;
  return createHash("sha256").update(unlabelled).digest("hex");
}

/** Section ids from the `## ` headings, in order: slugify(title), made unique. */
export function sectionIds(titles: string[]): string[] {
  const used = new Set<string>();
  return titles.map((title, index) => {
    let id = slugify(title) || `section-${index + 1}`;
    while (used.has(id)) id = `${id}-${index + 1}`;
    used.add(id);
    return id;
  });
}

/**
 * An option's id in the built content: from the question id and the option's text only, never its
 * position, so it tells nothing about the order the author wrote (texts are unique per question).
 * Attempts replace these with random ids (app/assessment/rules.ts, `withAttemptOptionIds`).
 */
function optionId(questionId: string, text: string): string {
  return createHash("sha256").update(`${questionId}\u0000${text}`).digest("hex").slice(0, 12);
}

export function countWords(text: string): number {
  const words = text.trim().split(/\s+/);
  return words.length === 1 && words[0] === "" ? 0 : words.length;
}

export function parseModule(file: string, source: string, folderName: string): ParsedModule {
  const errors: string[] = [];
  const warnings: string[] = [];
  const at = (node: Node | undefined, message: string) => {
    const line = node?.position?.start.line ?? 1;
    const column = node?.position?.start.column ?? 1;
    errors.push(`${file}:${line}:${column}: ${message}`);
  };
  const contentHash = contentHashOf(source);
  let frontmatterAt: ParsedModule["frontmatterAt"] = () => `${file}:1`;
  const empty: ParsedModule = { frontmatter: null, contentHash, sections: [], questions: [], reportTask: null, markingKey: null, frontmatterAt, errors, warnings };

  let tree: Root;
  try {
    tree = unified().use(remarkParse).use(remarkMdx).use(remarkFrontmatter, ["yaml"]).use(remarkGfm).parse(source);
  } catch (error) {
    const e = error as { line?: number; column?: number; reason?: string; message: string };
    errors.push(`${file}:${e.line ?? 1}:${e.column ?? 1}: MDX syntax error: ${e.reason ?? e.message}`);
    return empty;
  }

  // Frontmatter.
  let frontmatter: Frontmatter | null = null;
  const yamlNode = tree.children[0]?.type === "yaml" ? tree.children[0] : undefined;
  if (!yamlNode || !("value" in yamlNode)) {
    at(tree.children[0], "missing frontmatter (a --- block at the top of the file)");
  } else {
    frontmatterAt = frontmatterLocator(file, yamlNode.value, yamlNode.position?.start.line ?? 1);
    let raw: unknown;
    try {
      raw = YAML.parse(yamlNode.value);
    } catch (error) {
      at(yamlNode, `frontmatter is not valid YAML: ${(error as Error).message}`);
    }
    if (raw !== undefined) {
      const parsed = frontmatterSchema.safeParse(raw);
      if (!parsed.success) {
        for (const issue of parsed.error.issues) errors.push(`${frontmatterAt(issue.path as (string | number)[])}:1: frontmatter ${issue.path.join(".") || "(root)"}: ${issue.message}`);
      } else {
        frontmatter = parsed.data;
        if (frontmatter.slug !== folderName) at(yamlNode, `frontmatter slug "${frontmatter.slug}" must equal the folder name "${folderName}"`);
      }
    }
  }

  // Structure: only known components, each in an allowed place; no code in content.
  const walk = (node: Node, parent: string | null) => {
    for (const child of childrenOf(node)) {
      if (child.type === "mdxjsEsm" || child.type === "mdxFlowExpression" || child.type === "mdxTextExpression") {
        at(child, "JavaScript (import, export or {expressions}) is not allowed in content; escape a literal { as \\{");
        continue;
      }
      if (isJsx(child)) {
        const name = child.name ?? "(fragment)";
        if (!(ALLOWED_COMPONENTS as readonly string[]).includes(name)) {
          at(child, `unknown component <${name}>; allowed: ${ALLOWED_COMPONENTS.join(", ")}`);
          continue;
        }
        if (!ALLOWED_PARENTS[name]!.includes(parent)) {
          at(child, `<${name}> cannot be placed ${parent ? `inside <${parent}>` : "at the top level"}`);
        }
        walk(child, name);
      } else {
        walk(child, parent);
      }
    }
  };
  walk(tree, null);

  // Questions.
  const questions: AnswerKey[] = [];
  const sectionRefs: { node: JsxElement; id: string; section: string }[] = [];
  const parseQuestion = (node: JsxElement, kind: AnswerKey["kind"], caseStudy: AnswerKey["caseStudy"]) => {
    const id = attribute(node, "id").value ?? "";
    const type = attribute(node, "type").value ?? "";
    const { section, tags } = questionPlacement(node, id, kind, caseStudy !== null, at);
    if (section !== null) sectionRefs.push({ node, id, section });
    if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id)) at(node, `<Question> needs an id of lower-case letters, digits and hyphens (got "${id}")`);
    if (!(QUESTION_TYPES as readonly string[]).includes(type)) at(node, `<Question id="${id}"> type must be one of ${QUESTION_TYPES.join(", ")} (got "${type}")`);
    const optionNodes = findAll(node, "Option", ["Explanation"]);
    const explanationNodes = findAll(node, "Explanation");
    const options = optionNodes.map((option) => {
      const text = toString(option).replace(/\s+/g, " ").trim();
      const correct = attribute(option, "correct");
      if (correct.present && correct.value !== null && correct.value !== "true") at(option, `<Option correct> takes no value (got "${correct.value}")`);
      if (!text) at(option, `<Option> in question "${id}" is empty`);
      return { id: optionId(id, text), text, correct: correct.present };
    });
    const prompt = paragraphs(childrenOf(node).filter((c) => !containsJsx(c, "Option") && !(isJsx(c) && (c.name === "Option" || c.name === "Explanation"))));
    const explanation = explanationNodes.length === 1 ? paragraphs(childrenOf(explanationNodes[0]!)) : [];
    const correctCount = options.filter((o) => o.correct).length;
    const label = `question "${id}"`;

    if (prompt.length === 0) at(node, `${label} has no prompt (write it before the first <Option>)`);
    if (explanationNodes.length !== 1 || explanation.length === 0) at(node, `${label} needs exactly one non-empty <Explanation>`);
    if (new Set(options.map((o) => o.text.toLowerCase())).size !== options.length) at(node, `${label} has two options with the same text`);
    if (correctCount === 0) at(node, `${label} has no correct option (mark one with <Option correct>)`);
    if (type === "single") {
      if (correctCount > 1) at(node, `${label} is "single" but marks ${correctCount} options correct`);
      if (options.length < 3 || options.length > 5) at(node, `${label} is "single" and needs 3 to 5 options (has ${options.length})`);
    } else if (type === "multiple") {
      if (correctCount > 0 && correctCount < 2) at(node, `${label} is "multiple" and needs at least two correct options`);
      if (correctCount === options.length) at(node, `${label} is "multiple" and needs at least one wrong option`);
      if (options.length < 4 || options.length > 6) at(node, `${label} is "multiple" and needs 4 to 6 options (has ${options.length})`);
    } else if (type === "true-false") {
      const texts = options.map((o) => o.text).sort();
      if (texts.length !== 2 || texts[0] !== "False" || texts[1] !== "True") at(node, `${label} is "true-false" and needs exactly the options True and False`);
      if (correctCount > 1) at(node, `${label} is "true-false" but marks both options correct`);
    }
    questions.push({
      id,
      moduleSlug: folderName,
      kind,
      type: type as QuestionType,
      prompt,
      options,
      explanation,
      caseStudy,
      section,
      tags,
      source: `${file}:${node.position?.start.line ?? 1}`,
    });
  };

  /** The Markdown source of a task part, checked to use only what Markdown-lite renders. */
  const markdownOf = (part: JsxElement, label: string): string => {
    const kids = childrenOf(part);
    const checkNode = (node: Node, depth: number) => {
      if (!MARKDOWN_LITE_NODES.has(node.type)) {
        at(node, `<${label}> may use only headings, paragraphs, bullet or numbered lists, **bold** and *italic* (found ${isJsx(node) ? `<${node.name}>` : node.type})`);
        return;
      }
      if (node.type === "heading" && node.depth > 3) at(node, `<${label}>: use #, ## or ### headings only`);
      if (node.type === "list" && depth > 0) at(node, `<${label}>: lists cannot be nested`);
      for (const child of childrenOf(node)) checkNode(child, node.type === "list" ? depth + 1 : depth);
    };
    for (const kid of kids) checkNode(kid, 0);
    if (kids.length === 0) {
      at(part, `<${label}> is empty`);
      return "";
    }
    return source.slice(kids[0]!.position!.start.offset!, kids[kids.length - 1]!.position!.end.offset!).trim();
  };

  let markingKey: string | null = null;
  const parseReportTask = (node: MdxJsxFlowElement): ReportTaskDefinition | null => {
    const id = attribute(node, "id").value ?? "";
    const title = attribute(node, "title").value ?? "";
    if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id)) at(node, `<ReportTask> needs an id of lower-case letters, digits and hyphens (got "${id}")`);
    if (!title.trim()) at(node, `<ReportTask id="${id}"> needs a title`);
    const kids = childrenOf(node);
    for (const kid of kids) if (!isJsx(kid)) at(kid, `<ReportTask id="${id}">: put text inside one of ${REPORT_TASK_PARTS.map((p) => `<${p}>`).join(", ")}`);
    const parts = new Map<string, JsxElement>();
    for (const name of REPORT_TASK_PARTS) {
      const found = kids.filter((k): k is JsxElement => isJsx(k) && k.name === name);
      if (found.length !== 1) at(found[1] ?? node, `<ReportTask id="${id}"> needs exactly one <${name}> (found ${found.length})`);
      if (found[0]) parts.set(name, found[0]);
    }
    const keys = kids.filter((k): k is JsxElement => isJsx(k) && k.name === MARKING_KEY);
    if (keys.length > 1) at(keys[1], `<ReportTask id="${id}"> holds at most one <${MARKING_KEY}> (found ${keys.length})`);
    const rubricAt = parts.get("Rubric")?.position?.start.offset;
    if (keys[0] && rubricAt !== undefined && keys[0].position!.start.offset! < rubricAt) at(keys[0], `<${MARKING_KEY}> comes after the <Rubric>`);
    if (keys[0]) markingKey = markdownOf(keys[0], MARKING_KEY);
    const rubricNode = parts.get("Rubric");
    const rubric: RubricCriterion[] = [];
    if (rubricNode) {
      for (const kid of elementChildren(rubricNode)) if (!(isJsx(kid) && kid.name === "Criterion")) at(kid, "<Rubric> holds only <Criterion> elements");
      const criterionIds = new Set<string>();
      for (const criterion of findAll(rubricNode, "Criterion")) {
        const cid = attribute(criterion, "id").value ?? "";
        const ctitle = (attribute(criterion, "title").value ?? "").trim();
        const mustMeet = attribute(criterion, "mustMeet");
        if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(cid)) at(criterion, `<Criterion> needs an id of lower-case letters, digits and hyphens (got "${cid}")`);
        else if (criterionIds.has(cid)) at(criterion, `duplicate criterion id "${cid}"`);
        criterionIds.add(cid);
        if (!ctitle) at(criterion, `<Criterion id="${cid}"> needs a title`);
        if (mustMeet.present && mustMeet.value !== null) at(criterion, `<Criterion mustMeet> takes no value (got "${mustMeet.value}")`);
        for (const kid of elementChildren(criterion)) if (!(isJsx(kid) && kid.name === "Level")) at(kid, `<Criterion id="${cid}"> holds only <Level> elements`);
        const levelNodes = findAll(criterion, "Level");
        const levelIds = new Set<string>();
        const levels = levelNodes.map((level) => {
          const lid = attribute(level, "id").value ?? "";
          const label = (attribute(level, "label").value ?? "").trim();
          const met = attribute(level, "met");
          const descriptor = toString(level).replace(/\s+/g, " ").trim();
          if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(lid)) at(level, `<Level> in criterion "${cid}" needs an id of lower-case letters, digits and hyphens (got "${lid}")`);
          else if (levelIds.has(lid)) at(level, `criterion "${cid}" has two levels with the id "${lid}"`);
          levelIds.add(lid);
          if (!label) at(level, `<Level id="${lid}"> in criterion "${cid}" needs a label`);
          if (met.present && met.value !== null) at(level, `<Level met> takes no value (got "${met.value}")`);
          if (!descriptor) at(level, `<Level id="${lid}"> in criterion "${cid}" needs a descriptor (what work at this level looks like)`);
          return { id: lid, label, descriptor, met: met.present };
        });
        if (levels.length < 2) at(criterion, `criterion "${cid}" needs at least 2 levels (has ${levels.length})`);
        const metCount = levels.filter((l) => l.met).length;
        if (metCount !== 1) at(criterion, `criterion "${cid}" needs exactly one <Level met> (the level that counts as meeting it; found ${metCount})`);
        rubric.push({ id: cid, title: ctitle, mustMeet: mustMeet.present, levels });
      }
      if (rubric.length === 0) at(rubricNode, "<Rubric> needs at least one <Criterion>");
      else if (!rubric.some((c) => c.mustMeet)) at(rubricNode, "<Rubric> needs at least one <Criterion mustMeet>");
    }
    const text = (name: string) => {
      const part = parts.get(name);
      return part ? markdownOf(part, name) : "";
    };
    return {
      id,
      moduleSlug: folderName,
      title: title.trim(),
      caseHistory: text("CaseHistory"),
      mdtGoals: text("MdtGoals"),
      sessionNotes: text("SessionNotes"),
      instructions: text("Instructions"),
      rubric,
      source: `${file}:${node.position?.start.line ?? 1}`,
    };
  };

  const topLevel = tree.children;
  const assessments = topLevel.filter((n): n is MdxJsxFlowElement => isJsx(n) && n.name === "Assessment");
  if (assessments.length !== 1) at(assessments[1] ?? tree.children[0], `a module needs exactly one <Assessment> (found ${assessments.length})`);

  for (const check of topLevel.filter((n): n is MdxJsxFlowElement => isJsx(n) && n.name === "KnowledgeCheck")) {
    const inner = childrenOf(check).filter(isJsx);
    if (inner.length !== 1 || inner[0]!.name !== "Question") at(check, "<KnowledgeCheck> must hold exactly one <Question>");
    for (const q of inner.filter((n) => n.name === "Question")) parseQuestion(q, "knowledge-check", null);
  }
  for (const assessment of assessments) {
    for (const child of childrenOf(assessment)) {
      if (!isJsx(child)) continue;
      if (child.name === "Question") parseQuestion(child, "summative", null);
      if (child.name === "CaseStudy") {
        const caseId = attribute(child, "id").value ?? "";
        const title = attribute(child, "title").value ?? "";
        if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(caseId)) at(child, `<CaseStudy> needs an id of lower-case letters, digits and hyphens (got "${caseId}")`);
        if (!title) at(child, `<CaseStudy id="${caseId}"> needs a title`);
        const text = paragraphs(childrenOf(child).filter((c) => !(isJsx(c) && c.name === "Question")));
        if (text.length === 0) at(child, `<CaseStudy id="${caseId}"> needs the case text before its questions`);
        const inner = childrenOf(child).filter((c): c is JsxElement => isJsx(c) && c.name === "Question");
        if (inner.length < 2 || inner.length > 4) at(child, `<CaseStudy id="${caseId}"> needs 2 to 4 questions (has ${inner.length})`);
        for (const q of inner) parseQuestion(q, "summative", { id: caseId, title, text });
      }
    }
  }

  // The written task and its rubric.
  const taskNodes = topLevel.filter((n): n is MdxJsxFlowElement => isJsx(n) && n.name === "ReportTask");
  if (taskNodes.length > 1) at(taskNodes[1], "a module can hold at most one <ReportTask>");
  const reportTask = taskNodes[0] ? parseReportTask(taskNodes[0]) : null;

  const seen = new Map<string, AnswerKey>();
  for (const q of questions) {
    const previous = seen.get(q.id);
    if (previous) errors.push(`${q.source}:1: duplicate question id "${q.id}" (also at ${previous.source})`);
    seen.set(q.id, q);
  }
  const bank = questions.filter((q) => q.kind === "summative");
  if (frontmatter) {
    if (bank.length < 20) at(assessments[0] ?? yamlNode, `the assessment bank needs at least 20 questions (has ${bank.length})`);
    if (bank.length < frontmatter.questionsPerAttempt) at(assessments[0] ?? yamlNode, `questionsPerAttempt (${frontmatter.questionsPerAttempt}) is larger than the bank (${bank.length})`);
  }

  // Sections: every level-2 heading starts one; text before the first joins the first section.
  const headings = topLevel.filter((n) => n.type === "heading" && n.depth === 2);
  if (headings.length === 0) at(tree.children[0], "a module needs at least one ## section heading");
  const firstContentOffset = yamlNode?.position?.end.offset ?? 0;
  const removals = topLevel
    .filter((n): n is MdxJsxFlowElement => isJsx(n) && (n.name === "Assessment" || n.name === "KnowledgeCheck" || n.name === "ReportTask"))
    .map((n) => {
      const q = n.name === "KnowledgeCheck" ? findAll(n, "Question")[0] : undefined;
      const qid = q ? (attribute(q, "id").value ?? "") : "";
      return {
        start: n.position!.start.offset!,
        end: n.position!.end.offset!,
        replacement: n.name === "KnowledgeCheck" ? `<KnowledgeCheck id="${qid}" />` : "",
        node: n,
      };
    });
  const sections: ParsedSection[] = [];
  const ids = sectionIds(headings.map((h) => toString(h).trim()));
  headings.forEach((heading, index) => {
    const title = toString(heading).trim();
    const id = ids[index]!;
    const bodyStart = heading.position!.end.offset!;
    const end = headings[index + 1]?.position!.start.offset ?? source.length;
    const intro = index === 0 ? source.slice(firstContentOffset, heading.position!.start.offset!).trim() : "";
    let body = "";
    let cursor = bodyStart;
    let words = 0;
    for (const removal of removals.filter((r) => r.start >= bodyStart && r.end <= end)) {
      body += source.slice(cursor, removal.start) + removal.replacement;
      cursor = removal.end;
    }
    body += source.slice(cursor, end);
    const nodesInSection = topLevel.filter(
      (n) => n.position!.start.offset! >= bodyStart && n.position!.end.offset! <= end && !(isJsx(n) && (n.name === "Assessment" || n.name === "KnowledgeCheck" || n.name === "ReportTask")),
    );
    words = nodesInSection.reduce((sum, n) => sum + countWords(toString(n)), 0);
    sections.push({ id, title, source: `${intro ? `${intro}\n\n` : ""}${body.trim()}\n`, words });
  });

  // Summative questions name the teaching section they test; the blueprint draws from those pools.
  const teaching = sections.filter((s) => s.id !== "sources").map((s) => s.id);
  for (const ref of sectionRefs) {
    if (!teaching.includes(ref.section)) at(ref.node, `question "${ref.id}": unknown section "${ref.section}"; the sections are: ${teaching.join(", ")}`);
  }
  if (frontmatter?.blueprint) {
    errors.push(...checkBlueprint({ frontmatter, blueprint: frontmatter.blueprint, bank, teaching, frontmatterAt }));
    for (const q of undrawableQuestions(bank, frontmatter.blueprint)) warnings.push(`${q.source}:1: question "${q.id}" is never drawn: the blueprint draws no questions from section "${q.section}"`);
  }

  // Option wording must not give the key away.
  const bankAt = `${file}:${assessments[0]?.position?.start.line ?? yamlNode?.position?.start.line ?? 1}:1`;
  const lengthError = longestKeyError(`module "${folderName}"`, bankAt, questions);
  // Until every module has a blueprint (the rewritten format), a module without one gets a warning.
  if (lengthError) (frontmatter?.blueprint ? errors : warnings).push(lengthError);
  const positionWarning = keyPositionWarning(`module "${folderName}"`, bankAt, questions);
  if (positionWarning) warnings.push(positionWarning);

  return { frontmatter, contentHash, sections, questions, reportTask, markingKey, frontmatterAt, errors, warnings };
}

/** Reads a question's `section` and `tags` attributes (summative questions only). */
function questionPlacement(node: JsxElement, id: string, kind: AnswerKey["kind"], inCaseStudy: boolean, at: (node: Node, message: string) => void) {
  const section = attribute(node, "section");
  const tagList = attribute(node, "tags");
  if (kind === "knowledge-check") {
    if (section.present || tagList.present) at(node, `question "${id}": a knowledge check belongs to the section it sits in; section and tags are for assessment questions`);
    return { section: null, tags: [] };
  }
  if (section.present && !section.value) at(node, `question "${id}": section needs a value (the id of a ## section, e.g. section="raising-and-recording-a-concern")`);
  const tags = (tagList.value ?? "").split(/\s+/).filter(Boolean);
  if (tagList.present && tags.length === 0) at(node, `question "${id}": tags needs a value (words joined by hyphens, separated by spaces)`);
  for (const tag of tags) if (!TAG.test(tag)) at(node, `question "${id}": tag "${tag}" must be lower-case words joined by hyphens`);
  if (new Set(tags).size !== tags.length) at(node, `question "${id}" repeats a tag`);
  if (inCaseStudy && !tags.includes(CASE_STUDY_TAG)) tags.push(CASE_STUDY_TAG);
  if (!inCaseStudy && tags.includes(CASE_STUDY_TAG)) at(node, `question "${id}": the tag "${CASE_STUDY_TAG}" belongs to questions inside a <CaseStudy> (they get it automatically)`);
  return { section: section.value || null, tags };
}

/** `file:line` of a key in the frontmatter YAML, falling back to the nearest parent key, then the `---` line. */
function frontmatterLocator(file: string, yaml: string, startLine: number) {
  const lineCounter = new LineCounter();
  const doc = YAML.parseDocument(yaml, { lineCounter });
  const keyOffset = (path: (string | number)[]): number | null => {
    let node: unknown = doc.contents;
    let offset: number | null = null;
    for (const segment of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) return offset;
        offset = isScalar(pair.key) && pair.key.range ? pair.key.range[0] : offset;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === "number" && node.items[segment]) {
        node = node.items[segment];
        offset = (node as { range?: [number, number, number] }).range?.[0] ?? offset;
      } else return offset;
    }
    return offset;
  };
  return (path: (string | number)[]) => {
    const offset = keyOffset(path);
    return `${file}:${offset === null ? startLine : startLine + lineCounter.linePos(offset).line}`;
  };
}

export interface ParsedAgreement {
  frontmatter: ReturnType<typeof agreementFrontmatterSchema.parse> | null;
  version: string;
  errors: string[];
}

/**
 * Plain Markdown with frontmatter (the agreement, the public pages): no components, no code.
 * Validates the frontmatter with `schema`; `what` names the document in messages.
 */
function parsePlainMarkdown<S extends z.ZodType>(file: string, source: string, schema: S, what: string): { frontmatter: z.infer<S> | null; version: string; errors: string[] } {
  const errors: string[] = [];
  const version = contentHashOf(source);
  let tree: Root;
  try {
    tree = unified().use(remarkParse).use(remarkMdx).use(remarkFrontmatter, ["yaml"]).use(remarkGfm).parse(source);
  } catch (error) {
    const e = error as { line?: number; column?: number; reason?: string; message: string };
    return { frontmatter: null, version, errors: [`${file}:${e.line ?? 1}:${e.column ?? 1}: MDX syntax error: ${e.reason ?? e.message}`] };
  }
  const yamlNode = tree.children[0]?.type === "yaml" ? tree.children[0] : undefined;
  let frontmatter: z.infer<S> | null = null;
  if (!yamlNode || !("value" in yamlNode)) errors.push(`${file}:1:1: missing frontmatter`);
  else {
    const parsed = schema.safeParse(YAML.parse(yamlNode.value));
    if (parsed.success) frontmatter = parsed.data;
    else for (const issue of parsed.error.issues) errors.push(`${file}:${yamlNode.position?.start.line ?? 1}:1: frontmatter ${issue.path.join(".")}: ${issue.message}`);
  }
  const walk = (node: Node) => {
    for (const child of childrenOf(node)) {
      if (isJsx(child) || child.type === "mdxjsEsm" || child.type === "mdxFlowExpression" || child.type === "mdxTextExpression") {
        errors.push(`${file}:${child.position?.start.line ?? 1}:${child.position?.start.column ?? 1}: ${what} is plain Markdown: no components or code`);
      } else walk(child);
    }
  };
  walk(tree);
  return { frontmatter, version, errors };
}

/** The agreement is plain Markdown with frontmatter: no components, no code. */
export function parseAgreement(file: string, source: string): ParsedAgreement {
  return parsePlainMarkdown(file, source, agreementFrontmatterSchema, "the agreement");
}

export interface ParsedPage {
  frontmatter: ReturnType<typeof pageFrontmatterSchema.parse> | null;
  version: string;
  errors: string[];
}

/** A public page (content/pages/<slug>/index.mdx): plain Markdown with frontmatter, like the agreement. */
export function parsePage(file: string, source: string): ParsedPage {
  return parsePlainMarkdown(file, source, pageFrontmatterSchema, "a page");
}
