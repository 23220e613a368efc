/**
 * Earlier assessment attempts for trainers seeded by `growAcademy` (seed-scale.ts), so a bench can
 * reach the attempt volume issue 15 names (200,000 at 10,000 trainers; `growAcademy` leaves about
 * four per trainer). Each trainer who has attempted a module gets more attempts at it: retakes and
 * annual refreshers, dated between sign-up and now, each with its twelve question snapshots (the
 * real question JSON, option order and an answer chosen as a trainer would: the key when the
 * trainer knows it, a wrong option otherwise, now and then none), the score counted from those
 * answers and the pass decided by the module's pass mark.
 *
 * The funnel does not change: a trainer who has not passed a module gets only failed earlier
 * attempts at it (a pass would be a step they have not reached). Deterministic: the same database
 * and target always give the same rows.
 */
import type { Insertable } from "kysely";
import type { DB } from "~db/connection";
import type { Database } from "~db/schema";
import type { AnswerKey } from "~/content/types";
import { random, type SeedContext } from "./seed-scale-rows";

const PAIRS_PER_TRANSACTION = 400;
const QUESTIONS = 12;

interface Pair {
  userId: number;
  moduleSlug: string;
  passed: boolean;
  createdAt: string;
}

/** Inserts rows in statements of at most ~30,000 bound values (SQLite allows 32,766). */
async function insertAll<T extends keyof Database>(db: DB, table: T, rows: Insertable<Database[T]>[]): Promise<void> {
  if (rows.length === 0) return;
  const size = Math.max(1, Math.floor(30_000 / Object.keys(rows[0]!).length));
  for (let i = 0; i < rows.length; i += size) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await db.insertInto(table).values(rows.slice(i, i + size) as any).execute();
  }
}

export async function countAttempts(db: DB): Promise<number> {
  return Number((await db.selectFrom("assessment_attempt").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
}

/** One answer as a trainer of this ability gives it: the key, a wrong option, or (rarely) none. */
function answerFor(q: AnswerKey, knows: boolean, rng: () => number): { answer: string | null; correct: 0 | 1 } {
  const keys = q.options.filter((o) => o.correct).map((o) => o.id);
  const wrong = q.options.filter((o) => !o.correct).map((o) => o.id);
  if (!knows && rng() < 0.03) return { answer: null, correct: 0 };
  if (knows || wrong.length === 0) return { answer: JSON.stringify(keys), correct: 1 };
  return { answer: JSON.stringify([wrong[Math.floor(rng() * wrong.length)]!]), correct: 0 };
}

function attemptRows(pair: Pair, n: number, ctx: SeedContext, rng: () => number) {
  const moduleIndex = ctx.modules.findIndex((m) => m.slug === pair.moduleSlug);
  const module = ctx.modules[moduleIndex]!;
  const signedUp = new Date(pair.createdAt).getTime();
  const when = new Date(signedUp + rng() * Math.max(86_400_000, ctx.now.getTime() - signedUp - 86_400_000)).toISOString();
  // Ability: how likely this trainer is to know a question on this attempt; questions differ in difficulty.
  const ability = 0.35 + rng() * 0.6;
  const options = (q: AnswerKey) => q.options.map((o) => o.id).sort(() => rng() - 0.5);
  const id = `seedh${pair.userId}m${moduleIndex}h${n}`;
  const questions: Insertable<Database["attempt_question"]>[] = [];
  let score = 0;
  for (let position = 1; position <= QUESTIONS; position += 1) {
    const q = module.bank[Math.floor(rng() * module.bank.length)]!;
    const difficulty = (q.id.charCodeAt(q.id.length - 1) % 5) / 10;
    const given = answerFor(q, rng() < ability + 0.2 - difficulty, rng);
    score += given.correct;
    questions.push({ attempt_id: id, position, question_id: q.id, question_json: JSON.stringify(q), option_order: JSON.stringify(options(q)), answer: given.answer, answered_at: given.answer ? when : null, correct: given.correct });
  }
  let percent = Math.round((score / QUESTIONS) * 100);
  // A trainer who has not passed the module never passed an earlier attempt either.
  if (!pair.passed && percent >= module.passMark) {
    const drop = questions.filter((q) => q.correct === 1).slice(0, score - Math.ceil((module.passMark / 100) * QUESTIONS) + 1);
    for (const q of drop) {
      const wrong = (JSON.parse(q.question_json) as AnswerKey).options.find((o) => !o.correct);
      if (!wrong) continue;
      q.answer = JSON.stringify([wrong.id]);
      q.correct = 0;
      score -= 1;
    }
    percent = Math.round((score / QUESTIONS) * 100);
  }
  const attempt: Insertable<Database["assessment_attempt"]> = {
    id, user_id: pair.userId, module_slug: pair.moduleSlug, module_version_id: module.versionId, pass_mark: module.passMark,
    started_at: when, submitted_at: new Date(new Date(when).getTime() + (8 + Math.floor(rng() * 30)) * 60_000).toISOString(), score, total: QUESTIONS, percent, passed: percent >= module.passMark ? 1 : 0,
  };
  return { attempt, questions };
}

/**
 * Adds earlier attempts until the academy holds `total` attempts, spread evenly over every
 * (trainer, module) that already has one. Returns how many were added.
 */
export async function addAttemptHistory(db: DB, ctx: SeedContext, total: number, onProgress?: (added: number) => void): Promise<number> {
  const existing = await countAttempts(db);
  const wanted = total - existing;
  if (wanted <= 0) return 0;
  const rows = await db
    .selectFrom("assessment_attempt as a")
    .innerJoin("user as u", "u.id", "a.user_id")
    .select((eb) => ["a.user_id", "a.module_slug", "u.created_at", eb.fn.max("a.passed").as("passed")])
    .where("u.role", "=", "trainer")
    .groupBy(["a.user_id", "a.module_slug", "u.created_at"])
    .orderBy("a.user_id")
    .orderBy("a.module_slug")
    .execute();
  const pairs: Pair[] = rows.map((r) => ({ userId: r.user_id, moduleSlug: r.module_slug, passed: Number(r.passed) === 1, createdAt: r.created_at }));
  if (pairs.length === 0) return 0;
  const each = Math.floor(wanted / pairs.length);
  const extra = wanted - each * pairs.length;
  let added = 0;
  for (let start = 0; start < pairs.length; start += PAIRS_PER_TRANSACTION) {
    const attempts: Insertable<Database["assessment_attempt"]>[] = [];
    const questions: Insertable<Database["attempt_question"]>[] = [];
    pairs.slice(start, start + PAIRS_PER_TRANSACTION).forEach((pair, i) => {
      const rng = random(pair.userId * 31 + pair.moduleSlug.length * 7 + 3);
      const count = each + (start + i < extra ? 1 : 0);
      for (let n = 0; n < count; n += 1) {
        const made = attemptRows(pair, n, ctx, rng);
        attempts.push(made.attempt);
        questions.push(...made.questions);
      }
    });
    await db.transaction().execute(async (trx) => {
      await insertAll(trx, "assessment_attempt", attempts);
      await insertAll(trx, "attempt_question", questions);
    });
    added += attempts.length;
    onProgress?.(added);
  }
  return added;
}
