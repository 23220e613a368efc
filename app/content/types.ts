import { z } from "zod";

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A human version label such as "2026.1": the year, a dot, and a number counting versions in that year. */
export const VERSION_LABEL = /^\d{4}\.[1-9]\d*$/;

/**
 * How each attempt is drawn (content/README.md, "The blueprint"): exactly `sections[id]` questions
 * from the bank questions tagged with that section, and at least `tags[tag]` drawn questions
 * carrying each tag. The section counts add up to `questionsPerAttempt`.
 */
export const blueprintSchema = z.strictObject({
  sections: z.record(z.string().regex(KEBAB, "section ids are lower-case letters, digits and hyphens"), z.number().int().min(0).max(100)),
  tags: z.record(z.string().regex(KEBAB, "tags are lower-case words joined by hyphens"), z.number().int().min(1).max(100)).default({}),
});
export type Blueprint = z.infer<typeof blueprintSchema>;

/** Frontmatter every module must have (validated by the content build). */
export const frontmatterSchema = z.object({
  title: z.string().min(3),
  slug: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "lower-case letters, digits and hyphens"),
  order: z.number().int().min(1),
  summary: z.string().min(20),
  learningOutcomes: z.array(z.string().min(5)).min(3).max(8),
  estimatedMinutes: z.number().int().min(5).max(600),
  passMark: z.number().int().min(1).max(100).default(80),
  questionsPerAttempt: z.number().int().min(1).max(100).default(12),
  versionNotes: z.string().min(3),
  /** Written by the content build from the module's versions.json when missing or stale. */
  versionLabel: z.string().regex(VERSION_LABEL, 'a year, a dot and a number, in quotes, such as "2026.1"').optional(),
  blueprint: blueprintSchema.optional(),
});
export type Frontmatter = z.infer<typeof frontmatterSchema>;

export const QUESTION_TYPES = ["single", "multiple", "true-false"] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** What the browser may see of a question: never which option is correct, never the explanation. */
export interface PublicQuestion {
  id: string;
  type: QuestionType;
  prompt: string[];
  options: { id: string; text: string }[];
  caseStudy: { id: string; title: string; text: string[] } | null;
}

/** What grading a knowledge check returns: the key only after the trainer has answered. */
export interface CheckResponse {
  error?: string;
  correct?: boolean;
  correctOptionIds?: string[];
  explanation?: string[];
}

/** A knowledge check's answer as the lesson returns it (JSON to the island, or the page without JavaScript). */
export interface CheckReply extends CheckResponse {
  questionId: string;
  selected: string[];
}

/** Server-only: the answer key and explanation, extracted at build time. */
export interface AnswerKey {
  id: string;
  moduleSlug: string;
  kind: "knowledge-check" | "summative";
  type: QuestionType;
  prompt: string[];
  options: { id: string; text: string; correct: boolean }[];
  explanation: string[];
  caseStudy: { id: string; title: string; text: string[] } | null;
  /** Summative questions: the id of the teaching section the question tests (null if not given). */
  section: string | null;
  /** Summative questions: the blueprint tags it carries (a case-study question also carries "case-study"). */
  tags: string[];
  /** file:line where the question is authored. */
  source: string;
}

/** A piece of a built section: static HTML, or the place of a knowledge check (an island). */
export type SectionPart = { html: string } | { check: string };

export interface CompiledSection {
  id: string;
  title: string;
  /**
   * The section rendered once by the content build with the lesson components (ADR 0041): its
   * static HTML, split around each knowledge check (by question id). Contains no answers.
   */
  parts: SectionPart[];
  words: number;
}

/** One module as the site serves it (public parts only). */
export interface CompiledModule extends Frontmatter {
  contentHash: string;
  /** The human label of this version, e.g. "2026.2" (from the module's versions.json). */
  versionLabel: string;
  /** Every recorded version of the module: content hash → label. */
  versionHistory: Record<string, string>;
  sections: CompiledSection[];
  /** Knowledge checks, keyed by question id (public view: no answers). */
  knowledgeChecks: Record<string, PublicQuestion>;
  bankSize: number;
  words: number;
  /** The module's written task, if it has one (public: it holds no answers). */
  reportTask: ReportTaskDefinition | null;
}

export interface PublicCatalog {
  builtAt: string;
  modules: CompiledModule[];
}

export interface AnswerBank {
  builtAt: string;
  /** Keyed by question id. */
  questions: Record<string, AnswerKey>;
  /** Summative question ids per module slug, in authored order. */
  banks: Record<string, string[]>;
  /** Written tasks (with their rubrics) per module slug, as built with this content version. */
  reportTasks: Record<string, ReportTaskDefinition>;
  /** Assessor-only marking keys (Markdown-lite) per module slug: never in the public catalog. */
  markingKeys?: Record<string, string>;
}

export function toPublicQuestion(key: AnswerKey): PublicQuestion {
  return {
    id: key.id,
    type: key.type,
    prompt: key.prompt,
    options: key.options.map(({ id, text }) => ({ id, text })),
    caseStudy: key.caseStudy,
  };
}

/** The scope of practice and communication agreement: versioned by content hash. */
export const agreementFrontmatterSchema = z.object({
  title: z.string().min(3),
  versionNotes: z.string().min(3),
  may: z.array(z.string().min(10)).min(3).max(10),
  mayNot: z.array(z.string().min(10)).min(3).max(10),
  versionLabel: z.string().regex(VERSION_LABEL, 'a year, a dot and a number, in quotes, such as "2026.1"').optional(),
});

export interface CompiledAgreement extends z.infer<typeof agreementFrontmatterSchema> {
  /** SHA-256 of the agreement's source (without its label line): its version. */
  version: string;
  versionLabel: string;
  /** Every recorded version: content hash → label. */
  versionHistory: Record<string, string>;
  /** The text rendered once to static HTML by the content build (ADR 0041). */
  html: string;
}

/** A public page written as content (privacy notice, accessibility statement, terms, contact; ADR 0020). */
export const pageFrontmatterSchema = z.object({
  title: z.string().min(3),
  /** One sentence for the page's description and the footer's title attribute. */
  summary: z.string().min(10).max(300),
  /** The day the text was last checked against what the code does (YYYY-MM-DD). */
  lastReviewed: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date such as 2026-12-01"),
  versionNotes: z.string().min(3),
  versionLabel: z.string().regex(VERSION_LABEL, 'a year, a dot and a number, in quotes, such as "2026.1"').optional(),
});

export interface CompiledPage extends z.infer<typeof pageFrontmatterSchema> {
  slug: string;
  /** SHA-256 of the page's source (without its label line). */
  version: string;
  versionLabel: string;
  versionHistory: Record<string, string>;
  /** The text rendered once to static HTML by the content build (ADR 0041). */
  html: string;
}

// --- The report-writing task ---------------------------------------------------------------

/** One level of a rubric criterion, e.g. "Not met", "Partly met", "Met". */
export interface RubricLevel {
  id: string;
  label: string;
  descriptor: string;
  /** True for the one level (per criterion) that counts as meeting the criterion. */
  met: boolean;
}

export interface RubricCriterion {
  id: string;
  title: string;
  /** A submission cannot pass unless this criterion is met. */
  mustMeet: boolean;
  levels: RubricLevel[];
}

/**
 * The written task that ends a module, authored with <ReportTask> (content/README.md). The texts
 * are Markdown-lite sources, rendered by app/marking/markdown-lite.tsx. Not an answer: the task
 * and rubric may be shown to the trainer. A submission keeps a snapshot of it, so a later content
 * version never changes how past work reads or was marked.
 */
export interface ReportTaskDefinition {
  id: string;
  moduleSlug: string;
  title: string;
  caseHistory: string;
  mdtGoals: string;
  sessionNotes: string;
  instructions: string;
  rubric: RubricCriterion[];
  /** file:line where the task is authored. */
  source: string;
}
