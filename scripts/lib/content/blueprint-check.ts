/**
 * Build-time check that a module's blueprint can be met by its bank (content/README.md, "The
 * blueprint"). Every error names the file and line: of the frontmatter key, or of the question.
 */
import { selectByBlueprint } from "../../../app/assessment/blueprint";
import type { AnswerKey, Blueprint, Frontmatter } from "../../../app/content/types";

export interface BlueprintInput {
  frontmatter: Frontmatter;
  blueprint: Blueprint;
  /** The summative questions, in authored order. */
  bank: AnswerKey[];
  /** The ids of the teaching sections (every `## ` section but Sources). */
  teaching: string[];
  frontmatterAt: (path: (string | number)[]) => string;
}

export function checkBlueprint({ frontmatter, blueprint, bank, teaching, frontmatterAt }: BlueprintInput): string[] {
  const errors: string[] = [];
  const at = (path: (string | number)[], message: string) => errors.push(`${frontmatterAt(path)}:1: ${message}`);

  for (const q of bank) if (q.section === null) errors.push(`${q.source}:1: question "${q.id}" needs section="…" (the module has a blueprint)`);
  const sum = Object.values(blueprint.sections).reduce((a, b) => a + b, 0);
  if (sum !== frontmatter.questionsPerAttempt) at(["blueprint", "sections"], `blueprint: the section counts add up to ${sum}, but questionsPerAttempt is ${frontmatter.questionsPerAttempt}`);

  for (const [section, count] of Object.entries(blueprint.sections)) {
    if (!teaching.includes(section)) {
      at(["blueprint", "sections", section], `blueprint: unknown section "${section}"; the sections are: ${teaching.join(", ")}`);
      continue;
    }
    const pool = bank.filter((q) => q.section === section).length;
    if (pool < count) at(["blueprint", "sections", section], `blueprint: section "${section}" draws ${count} but has only ${pool} question${pool === 1 ? "" : "s"} in the bank`);
  }
  const drawable = bank.filter((q) => q.section !== null && (blueprint.sections[q.section] ?? 0) > 0);
  for (const [tag, minimum] of Object.entries(blueprint.tags)) {
    const carrying = drawable.filter((q) => q.tags.includes(tag)).length;
    if (carrying < minimum) at(["blueprint", "tags", tag], `blueprint: tag "${tag}" needs at least ${minimum} per attempt, but only ${carrying} drawable question${carrying === 1 ? "" : "s"} carry it`);
  }
  if (errors.length === 0 && selectByBlueprint(bank, { sections: blueprint.sections, tags: blueprint.tags }) === null) {
    at(["blueprint"], `blueprint: no selection of ${sum} questions meets every section count and every tag minimum together; add tagged questions to the sections that have room, or lower a minimum`);
  }
  return errors;
}

/** Questions the blueprint can never draw (their section draws none): worth a warning, not an error. */
export function undrawableQuestions(bank: AnswerKey[], blueprint: Blueprint): AnswerKey[] {
  return bank.filter((q) => q.section !== null && !(blueprint.sections[q.section]! > 0));
}
