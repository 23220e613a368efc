import type { ReportOutcome } from "~db/schema";
import type { RubricCriterion } from "~/content/types";
import { cleanText } from "~/utils/forms";

/** Rules for the report-writing task that need no database: limits, consistency, sampling. */

export const MAX_REPORT_WORDS = 20_000;
export const MIN_REPORT_WORDS = 50;
/** Cap on a draft or submission request body, checked while it streams (20,000 long words fit easily). */
export const MAX_REPORT_REQUEST_BYTES = 400_000;
export const MAX_FEEDBACK_CHARS = 5_000;
export const MAX_COMMENT_CHARS = 2_000;
export const REPORT_TASK_MODULE = "report-writing";

export function countWords(text: string): number {
  const trimmed = text.trim();
  return trimmed === "" ? 0 : trimmed.split(/\s+/).length;
}

/** Why a report cannot be saved (draft) or submitted, or null when it can. */
export function reportBodyProblem(body: string, purpose: "draft" | "submit"): string | null {
  if (!cleanText(body).ok) return "Your report contains invisible control characters (perhaps pasted from another program). Remove them, or retype the affected lines, and try again.";
  const words = countWords(body);
  if (words > MAX_REPORT_WORDS)
    return `Your report has ${words.toLocaleString("en-GB")} words; the limit is ${MAX_REPORT_WORDS.toLocaleString("en-GB")}. Shorten it${purpose === "draft" ? " to save it" : " before you submit"}.`;
  if (purpose === "submit" && words < MIN_REPORT_WORDS) return `Your report has ${words} words. Write at least ${MIN_REPORT_WORDS} words before you submit.`;
  return null;
}

export interface CriterionJudgement {
  criterionId: string;
  levelId: string;
  comment: string;
}

export type MarkCheck = { ok: true; outcome: ReportOutcome; criteria: (CriterionJudgement & { met: boolean })[] } | { ok: false; fieldErrors: Record<string, string> };

/**
 * A mark is consistent when every criterion has one of its levels, a comment explains every
 * criterion that is not met, an outcome is chosen (`null`: none was), and "pass" is chosen only
 * if every must-meet criterion is met. Every missing field is reported at once (issue 13.11), so
 * a marker who saves an empty form is told about all of them, not the outcome alone.
 */
export function checkMark(rubric: RubricCriterion[], judgements: CriterionJudgement[], outcome: ReportOutcome | null): MarkCheck {
  const fieldErrors: Record<string, string> = {};
  const criteria: (CriterionJudgement & { met: boolean })[] = [];
  for (const criterion of rubric) {
    const judgement = judgements.find((j) => j.criterionId === criterion.id);
    const level = criterion.levels.find((l) => l.id === judgement?.levelId);
    if (!judgement || !level) {
      fieldErrors[`level.${criterion.id}`] = `Choose a level for "${criterion.title}".`;
      continue;
    }
    const comment = judgement.comment.trim();
    if (!level.met && comment === "") fieldErrors[`comment.${criterion.id}`] = `Say why "${criterion.title}" is not met, so the trainer knows what to change.`;
    if (comment.length > MAX_COMMENT_CHARS) fieldErrors[`comment.${criterion.id}`] = `Keep the comment to ${MAX_COMMENT_CHARS.toLocaleString("en-GB")} characters or fewer (it has ${comment.length.toLocaleString("en-GB")}).`;
    criteria.push({ criterionId: criterion.id, levelId: level.id, comment, met: level.met });
  }
  if (outcome === null) fieldErrors.outcome = "Choose Pass or Refer.";
  if (outcome === null || Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };
  if (outcome === "pass") {
    const unmet = rubric.filter((c) => c.mustMeet && !criteria.find((j) => j.criterionId === c.id)!.met);
    if (unmet.length > 0) {
      return {
        ok: false,
        fieldErrors: {
          outcome: `A report cannot pass while a must-meet criterion is not met: ${unmet.map((c) => `"${c.title}"`).join(", ")}. Choose Refer, or change the level if you misjudged it.`,
        },
      };
    }
  }
  return { ok: true, outcome, criteria };
}

export interface ModerationSettings {
  /** Percentage (0-100) of referrals sent to a second assessor. */
  referralPercent: number;
  /** Percentage (0-100) of passes sent to a second assessor. */
  passPercent: number;
}

/** A number in [0, 100) derived from the submission id: the same submission always draws the same. */
export function moderationDraw(submissionId: number): number {
  // FNV-1a over the decimal id, then scaled: deterministic, evenly spread, no crypto needed.
  let hash = 0x811c9dc5;
  for (const char of `report-moderation:${submissionId}`) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return (hash % 10_000) / 100;
}

export function needsModeration(submissionId: number, outcome: ReportOutcome, settings: ModerationSettings): boolean {
  const percent = outcome === "refer" ? settings.referralPercent : settings.passPercent;
  return moderationDraw(submissionId) < percent;
}

export function formatWaiting(since: Date, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 60_000));
  if (minutes < 60) return `${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} hour${hours === 1 ? "" : "s"}`;
  const days = Math.floor(hours / 24);
  return `${days} days`;
}
