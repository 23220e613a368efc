/**
 * Assessment item analysis (issue 15), in the manner of a mature LMS's quiz statistics, for one
 * module version, over submitted attempts. The sums are computed in SQL (no attempt or answer
 * leaves the database); only the last arithmetic step (a square root) runs here.
 *
 * For each question:
 * - facility index: the share of attempts that answered it correctly (unanswered counts as wrong);
 * - discrimination index: the correlation (Pearson, which for a right/wrong item is the
 *   point-biserial) between the item's score and the score on the rest of the test, so a good
 *   item is answered correctly by those who do well on the other questions;
 * - each option's selection rate (a multiple-answer question's options add up to more than 100%).
 * Flags: too easy (facility > 0.9), too hard (facility < 0.3), negative discrimination, and
 * "few attempts" (fewer than 20: the figures are not yet reliable).
 */
import { sql } from "kysely";
import type { DB } from "~db/connection";
import { jsonArrayElements } from "~db/dialect";
import type { AnswerKey } from "~/content/types";
import { FEW_ATTEMPTS, TOO_EASY, TOO_HARD, type ItemFlag } from "./item-flags";

export interface ItemStatistics {
  questionId: string;
  prompt: string;
  type: AnswerKey["type"];
  attempts: number;
  /** 0–1. */
  facility: number;
  /** −1 to 1; null when every attempt scored alike on the item or on the rest of the test. */
  discrimination: number | null;
  options: { id: string; text: string; correct: boolean; selected: number; rate: number }[];
  flags: ItemFlag[];
}

export interface ModuleAnalysis {
  attempts: number;
  passed: number;
  items: ItemStatistics[];
  /** Ten bands of the percentage score: 0–9, 10–19, …, 90–100. */
  histogram: { from: number; to: number; count: number }[];
  /** First attempt, second attempt, …: how many and how many passed. */
  byAttemptNumber: { attemptNumber: number; attempts: number; passed: number }[];
}

/** Pearson's r from sums; null when either variable does not vary. */
export function correlation(s: { n: number; x: number; y: number; xy: number; xx: number; yy: number }): number | null {
  const cov = s.n * s.xy - s.x * s.y;
  const varX = s.n * s.xx - s.x * s.x;
  const varY = s.n * s.yy - s.y * s.y;
  if (varX <= 0 || varY <= 0) return null;
  return cov / Math.sqrt(varX * varY);
}

export function itemFlags(item: { attempts: number; facility: number; discrimination: number | null }): ItemFlag[] {
  const flags: ItemFlag[] = [];
  if (item.facility > TOO_EASY) flags.push("too-easy");
  if (item.facility < TOO_HARD) flags.push("too-hard");
  if (item.discrimination !== null && item.discrimination < 0) flags.push("negative-discrimination");
  if (item.attempts < FEW_ATTEMPTS) flags.push("few-attempts");
  return flags;
}

const num = (v: unknown) => Number(v ?? 0);

export async function analyseModuleVersion(db: DB, slug: string, moduleVersionId: number): Promise<ModuleAnalysis> {
  // The submitted attempts at this version, shared by every query below.
  const submitted = sql`a.module_slug = ${slug} and a.module_version_id = ${moduleVersionId} and a.submitted_at is not null`;
  const x = sql`coalesce(q.correct, 0)`;
  const rest = sql`(a.score - coalesce(q.correct, 0))`;
  const [items, options, totals, histogram, byAttempt] = await Promise.all([
    sql<{ question_id: string; question_json: string; n: unknown; sx: unknown; sy: unknown; sxy: unknown; syy: unknown }>`
      select q.question_id, max(q.question_json) as question_json, count(*) as n,
             sum(${x}) as sx, sum(${rest}) as sy, sum(${x} * ${rest}) as sxy, sum(${rest} * ${rest}) as syy
      from attempt_question q join assessment_attempt a on a.id = q.attempt_id
      where ${submitted}
      group by q.question_id`.execute(db),
    sql<{ question_id: string; option_id: string; n: unknown }>`
      select q.question_id, opt.value as option_id, count(*) as n
      from attempt_question q join assessment_attempt a on a.id = q.attempt_id ${jsonArrayElements(db, "q.answer", "opt")}
      where ${submitted} and q.answer is not null
      group by q.question_id, opt.value`.execute(db),
    sql<{ n: unknown; passed: unknown }>`select count(*) as n, sum(coalesce(a.passed, 0)) as passed from assessment_attempt a where ${submitted}`.execute(db),
    sql<{ band: unknown; n: unknown }>`
      select case when a.percent < 10 then 0 when a.percent < 20 then 1 when a.percent < 30 then 2 when a.percent < 40 then 3
                  when a.percent < 50 then 4 when a.percent < 60 then 5 when a.percent < 70 then 6 when a.percent < 80 then 7
                  when a.percent < 90 then 8 else 9 end as band, count(*) as n
      from assessment_attempt a where ${submitted} group by 1`.execute(db),
    // Attempt number counts every attempt the trainer started at this module (any version), in order.
    sql<{ attempt_number: unknown; n: unknown; passed: unknown }>`
      select numbered.attempt_number, count(*) as n, sum(coalesce(numbered.passed, 0)) as passed
      from (select all_attempts.id, all_attempts.module_version_id, all_attempts.submitted_at, all_attempts.passed,
                   row_number() over (partition by all_attempts.user_id order by all_attempts.started_at, all_attempts.id) as attempt_number
            from assessment_attempt all_attempts where all_attempts.module_slug = ${slug}) numbered
      where numbered.module_version_id = ${moduleVersionId} and numbered.submitted_at is not null
      group by numbered.attempt_number order by numbered.attempt_number`.execute(db),
  ]);
  const selected = new Map<string, number>();
  for (const o of options.rows) selected.set(`${o.question_id}\u0000${o.option_id}`, num(o.n));
  const analysed = items.rows.map((row): ItemStatistics => {
    const key = JSON.parse(row.question_json) as AnswerKey;
    const n = num(row.n);
    const sx = num(row.sx);
    // A right/wrong item: x² = x.
    const discrimination = correlation({ n, x: sx, y: num(row.sy), xy: num(row.sxy), xx: sx, yy: num(row.syy) });
    const facility = n === 0 ? 0 : sx / n;
    return {
      questionId: row.question_id,
      prompt: key.prompt.join(" "),
      type: key.type,
      attempts: n,
      facility,
      discrimination,
      options: key.options.map((o) => {
        const count = selected.get(`${row.question_id}\u0000${o.id}`) ?? 0;
        return { id: o.id, text: o.text, correct: o.correct, selected: count, rate: n === 0 ? 0 : count / n };
      }),
      flags: itemFlags({ attempts: n, facility, discrimination }),
    };
  });
  analysed.sort((a, b) => a.questionId.localeCompare(b.questionId));
  const bands = new Map(histogram.rows.map((r) => [num(r.band), num(r.n)]));
  return {
    attempts: num(totals.rows[0]?.n),
    passed: num(totals.rows[0]?.passed),
    items: analysed,
    histogram: Array.from({ length: 10 }, (_, i) => ({ from: i * 10, to: i === 9 ? 100 : i * 10 + 9, count: bands.get(i) ?? 0 })),
    byAttemptNumber: byAttempt.rows.map((r) => ({ attemptNumber: num(r.attempt_number), attempts: num(r.n), passed: num(r.passed) })),
  };
}

/** The versions of a module that have submitted attempts, newest first, with their counts. */
export async function analysedVersions(db: DB, slug: string) {
  const rows = await db
    .selectFrom("module_version")
    .leftJoin("assessment_attempt", (join) => join.onRef("assessment_attempt.module_version_id", "=", "module_version.id").on("assessment_attempt.submitted_at", "is not", null))
    .select((eb) => ["module_version.id", "module_version.content_hash", "module_version.published_at", eb.fn.count("assessment_attempt.id").as("attempts")])
    .where("module_version.slug", "=", slug)
    .groupBy(["module_version.id", "module_version.content_hash", "module_version.published_at"])
    .orderBy("module_version.published_at", "desc")
    .orderBy("module_version.id", "desc")
    .execute();
  return rows.map((r) => ({ id: r.id, contentHash: r.content_hash, publishedAt: r.published_at, attempts: Number(r.attempts) }));
}
