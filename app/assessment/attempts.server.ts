import { getPolicy } from "~/policy/policy.server";
import type { DB } from "~db/connection";
import { groupCommit } from "~db/group-commit";
import type { AssessmentPolicy, AttemptQuestion } from "~db/schema";
import { iso } from "~/utils/clock";
import { recordAudit } from "~/audit/audit.server";
import type { OnRequirementMet } from "~/utils/reaction";
import { randomToken } from "~/utils/random.server";
import { ok, refuse, type Result } from "~/utils/result";
import { currentModuleVersionId, getAnswerKey, getModule, getQuestionBank, versionLabel } from "~/content/catalog.server";
import type { AnswerKey, CheckReply, PublicQuestion, QuestionType } from "~/content/types";
import { drawPaper, withAttemptOptionIds, hasPassed, percentShown, isAnswerCorrect, retakeDecision, scorePercent, validateSelection, type RetakeDecision, type RetakePolicy } from "./rules";
import { formatDate, formatMoment } from "~/utils/dates";


// --- Policy -----------------------------------------------------------------------------------

export async function getAssessmentPolicy(db: DB): Promise<AssessmentPolicy> {
  return db.selectFrom("assessment_policy").selectAll().where("id", "=", 1).executeTakeFirstOrThrow();
}

export async function updateAssessmentPolicy(db: DB, actorId: number, input: { cooldownHours: number; failsBeforeLock: number }, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await getAssessmentPolicy(trx);
    await trx
      .updateTable("assessment_policy")
      .set({ cooldown_hours: input.cooldownHours, fails_before_lock: input.failsBeforeLock, updated_at: iso(now), updated_by: actorId })
      .where("id", "=", 1)
      .execute();
    await recordAudit(
      trx,
      {
        actorUserId: actorId,
        action: "assessment.policy_changed",
        subjectType: "assessment_policy",
        subjectId: 1,
        details: { from: { cooldownHours: before.cooldown_hours, failsBeforeLock: before.fails_before_lock }, to: input },
      },
      now,
    );
  });
}

// --- Eligibility to start ------------------------------------------------------------------

/** The retake rules in force: cooldown and lock from the assessment policy, the refresher from the entry policy. */
export async function getRetakePolicy(db: DB): Promise<RetakePolicy> {
  const [policy, entryPolicy] = await Promise.all([getAssessmentPolicy(db), getPolicy(db)]);
  return {
    cooldownHours: policy.cooldown_hours,
    failsBeforeLock: policy.fails_before_lock,
    // A pass is current for the certificate validity period; the refresher opens in the warning window before it ends.
    passValidDays: Math.round((entryPolicy.certificateValidityMonths * 365.25) / 12),
    refresherWindowDays: entryPolicy.warningWindowDays,
  };
}

export async function getRetakeDecision(db: DB, userId: number, slug: string, now: Date): Promise<RetakeDecision> {
  const [history, unlocks, policy] = await Promise.all([
    db.selectFrom("assessment_attempt").select(["submitted_at", "passed"]).where("user_id", "=", userId).where("module_slug", "=", slug).where("submitted_at", "is not", null).execute(),
    db.selectFrom("assessment_unlock").select("unlocked_at").where("user_id", "=", userId).where("module_slug", "=", slug).execute(),
    getRetakePolicy(db),
  ]);
  return retakeDecision(
    history.map((h) => ({ submittedAt: new Date(h.submitted_at!), passed: h.passed === 1 })),
    unlocks.map((u) => new Date(u.unlocked_at)),
    policy,
    now,
  );
}

/**
 * The retake decision for each of `slugs` at once: three statements whatever the number of
 * modules (for pages that show every module, such as a trainer's progress).
 */
export async function getRetakeDecisions(db: DB, userId: number, slugs: readonly string[], now: Date): Promise<Map<string, RetakeDecision>> {
  if (slugs.length === 0) return new Map();
  const [history, unlocks, policy] = await Promise.all([
    db.selectFrom("assessment_attempt").select(["module_slug", "submitted_at", "passed"]).where("user_id", "=", userId).where("module_slug", "in", slugs).where("submitted_at", "is not", null).execute(),
    db.selectFrom("assessment_unlock").select(["module_slug", "unlocked_at"]).where("user_id", "=", userId).where("module_slug", "in", slugs).execute(),
    getRetakePolicy(db),
  ]);
  return new Map(
    slugs.map((slug) => [
      slug,
      retakeDecision(
        history.filter((h) => h.module_slug === slug).map((h) => ({ submittedAt: new Date(h.submitted_at!), passed: h.passed === 1 })),
        unlocks.filter((u) => u.module_slug === slug).map((u) => new Date(u.unlocked_at)),
        policy,
        now,
      ),
    ]),
  );
}

export function describeRetakeDecision(decision: RetakeDecision): string | null {
  if (decision.canStart) return null;
  if (decision.reason === "passed") {
    const opens = decision.refresherOpensAt
      ? ` The annual refresher opens on ${formatDate(decision.refresherOpensAt)}.`
      : "";
    return `You have passed this assessment.${opens}`;
  }
  if (decision.reason === "locked")
    return `This assessment is locked after ${decision.consecutiveFails} unsuccessful attempts in a row. An assessor will review your progress and unlock it; you can keep studying the module meanwhile.`;
  return `You can retake this assessment from ${formatMoment(decision.until)} (UK time). Use the time to revisit the sections you found hardest.`;
}

export async function findOpenAttempt(db: DB, userId: number, slug: string): Promise<string | null> {
  const row = await db.selectFrom("assessment_attempt").select("id").where("user_id", "=", userId).where("module_slug", "=", slug).where("submitted_at", "is", null).executeTakeFirst();
  return row?.id ?? null;
}

/** Starts an attempt (or returns the open one). Its questions, order and option order are fixed now. */
export async function startAttempt(db: DB, userId: number, slug: string, now: Date): Promise<Result<{ attemptId: string; resumed: boolean }>> {
  const module = getModule(slug);
  if (!module) return refuse(404, "There is no such module.");
  const open = await findOpenAttempt(db, userId, slug);
  if (open) return ok({ attemptId: open, resumed: true });
  const decision = await getRetakeDecision(db, userId, slug, now);
  if (!decision.canStart) return refuse(409, describeRetakeDecision(decision)!);

  const attemptId = randomToken(16);
  const paper = drawPaper(getQuestionBank(slug), module.questionsPerAttempt, attemptId, module.blueprint).map(({ question, optionOrder }) =>
    withAttemptOptionIds(question, optionOrder, () => randomToken(8)),
  );
  const versionId = await currentModuleVersionId(db, slug, now);
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto("assessment_attempt")
        .values({ id: attemptId, user_id: userId, module_slug: slug, module_version_id: versionId, pass_mark: module.passMark, started_at: iso(now), submitted_at: null, score: null, total: paper.length, percent: null, passed: null })
        .execute();
      await trx
        .insertInto("attempt_question")
        .values(
          paper.map(({ question, optionOrder }, index) => ({
            attempt_id: attemptId,
            position: index + 1,
            question_id: question.id,
            question_json: JSON.stringify(question),
            option_order: JSON.stringify(optionOrder),
            answer: null,
            answered_at: null,
            correct: null,
          })),
        )
        .execute();
      await recordAudit(trx, { actorUserId: userId, action: "assessment.attempt_started", subjectType: "assessment_attempt", subjectId: attemptId, details: { module: slug, versionId } }, now);
    });
  } catch (error) {
    // Two tabs started at once: the unique index kept one open attempt; use it.
    const existing = await findOpenAttempt(db, userId, slug);
    if (existing) return ok({ attemptId: existing, resumed: true });
    throw error;
  }
  return ok({ attemptId, resumed: false });
}

// --- Taking an attempt --------------------------------------------------------------------

export interface AttemptQuestionView extends PublicQuestion {
  position: number;
  selected: string[];
}

export interface AttemptView {
  id: string;
  moduleSlug: string;
  moduleTitle: string;
  submitted: boolean;
  passMark: number;
  questions: AttemptQuestionView[];
  answered: number;
}

async function loadOwnedAttempt(db: DB, attemptId: string, userId: number): Promise<Result<{ attempt: NonNullable<Awaited<ReturnType<typeof fetchAttempt>>> }>> {
  const attempt = await fetchAttempt(db, attemptId);
  if (!attempt) return refuse(404, "There is no such attempt.");
  if (attempt.user_id !== userId) return refuse(403, "This attempt belongs to another trainer.");
  return ok({ attempt });
}

function fetchAttempt(db: DB, attemptId: string) {
  return db.selectFrom("assessment_attempt").selectAll().where("id", "=", attemptId).executeTakeFirst();
}

function parseIds(json: string | null): string[] {
  return json ? (JSON.parse(json) as string[]) : [];
}

/** One question of an attempt as shown: its snapshot, in this attempt's option order, with the selection. */
function questionView(row: AttemptQuestion, key: AnswerKey): AttemptQuestionView {
  const byId = new Map(key.options.map((o) => [o.id, o.text]));
  return {
    position: row.position,
    id: key.id,
    type: key.type,
    prompt: key.prompt,
    caseStudy: key.caseStudy,
    options: parseIds(row.option_order).map((id) => ({ id, text: byId.get(id) ?? "" })),
    selected: parseIds(row.answer),
  };
}

/** The trainer's view of their attempt: questions and their own selections, never the key. */
export async function getAttemptForTrainer(db: DB, attemptId: string, userId: number): Promise<Result<AttemptView>> {
  const owned = await loadOwnedAttempt(db, attemptId, userId);
  if (!owned.ok) return owned;
  const { attempt } = owned.value;
  const rows = await db.selectFrom("attempt_question").selectAll().where("attempt_id", "=", attemptId).orderBy("position").execute();
  const questions = rows.map((row) => questionView(row, JSON.parse(row.question_json) as AnswerKey));
  return {
    ok: true,
    value: {
      id: attempt.id,
      moduleSlug: attempt.module_slug,
      moduleTitle: getModule(attempt.module_slug)?.title ?? attempt.module_slug,
      submitted: attempt.submitted_at !== null,
      passMark: attempt.pass_mark,
      questions,
      answered: questions.filter((q) => q.selected.length > 0).length,
    },
  };
}

/** Saves one answer as the trainer goes. Refuses anything that is not a valid answer to a question of this open attempt. */
export async function saveAnswer(db: DB, input: { attemptId: string; userId: number; questionId: string; selected: string[] }, now: Date): Promise<Result<{ answered: number }>> {
  // One read (the attempt, this question of it and the count answered so far) and one write: the
  // autosave is the request a trainer makes most often (issue 14 item 3).
  const row = await db
    .selectFrom("assessment_attempt as a")
    .leftJoin("attempt_question as q", (join) => join.onRef("q.attempt_id", "=", "a.id").on("q.question_id", "=", input.questionId))
    .select((eb) => [
      "a.user_id",
      "a.submitted_at",
      "q.question_json",
      "q.option_order",
      "q.answer",
      eb.selectFrom("attempt_question as c").select((c) => c.fn.countAll<number>().as("n")).whereRef("c.attempt_id", "=", "a.id").where("c.answer", "is not", null).as("answered"),
    ])
    .where("a.id", "=", input.attemptId)
    .executeTakeFirst();
  if (!row) return refuse(404, "There is no such attempt.");
  if (row.user_id !== input.userId) return refuse(403, "This attempt belongs to another trainer.");
  if (row.submitted_at !== null) return refuse(409, "This attempt has already been submitted, so its answers can no longer change.");
  if (row.question_json === null) return refuse(400, "That question is not part of this attempt.");
  const key = JSON.parse(row.question_json) as AnswerKey;
  const problem = validateSelection(key.type, parseIds(row.option_order), input.selected);
  if (problem) return refuse(400, problem);
  const answer = input.selected.length > 0 ? JSON.stringify(input.selected) : null;
  // Committed with the other saves that arrive in the same moment (SQLite: one sync for all, ADR 0051).
  const updated = await groupCommit(db, (w) =>
    w
      .updateTable("attempt_question")
      .set({ answer, answered_at: iso(now) })
      .where("attempt_id", "=", input.attemptId)
      .where("question_id", "=", input.questionId)
      .where((eb) => eb.exists(eb.selectFrom("assessment_attempt").select("id").where("id", "=", input.attemptId).where("submitted_at", "is", null)))
      .executeTakeFirst(),
  );
  if (Number(updated.numUpdatedRows) !== 1) return refuse(409, "This attempt has already been submitted, so its answers can no longer change.");
  // The count read before, with this question's change (another question saved at the same moment may be missing: it is a progress figure only).
  return ok({ answered: Number(row.answered ?? 0) - (row.answer !== null ? 1 : 0) + (answer !== null ? 1 : 0) });
}

/** Grades on the server and closes the attempt. A second submission is refused and changes nothing. */
export async function submitAttempt(
  db: DB,
  input: { attemptId: string; userId: number },
  now: Date,
  onRequirementMet?: OnRequirementMet,
): Promise<Result<{ passed: boolean; percent: number }>> {
  const owned = await loadOwnedAttempt(db, input.attemptId, input.userId);
  if (!owned.ok) return owned;
  if (owned.value.attempt.submitted_at !== null) return refuse(409, "This attempt has already been submitted.");
  return db.transaction().execute(async (trx): Promise<Result<{ passed: boolean; percent: number }>> => {
    const rows = await trx.selectFrom("attempt_question").selectAll().where("attempt_id", "=", input.attemptId).execute();
    let correctCount = 0;
    for (const row of rows) {
      const key = JSON.parse(row.question_json) as AnswerKey;
      const correct = isAnswerCorrect(
        key.type,
        key.options.filter((o) => o.correct).map((o) => o.id),
        parseIds(row.answer),
      );
      if (correct) correctCount += 1;
      await trx.updateTable("attempt_question").set({ correct: correct ? 1 : 0 }).where("attempt_id", "=", row.attempt_id).where("position", "=", row.position).execute();
    }
    const percent = scorePercent(correctCount, rows.length);
    const passed = hasPassed(percent, owned.value.attempt.pass_mark);
    const closed = await trx
      .updateTable("assessment_attempt")
      .set({ submitted_at: iso(now), score: correctCount, percent, passed: passed ? 1 : 0 })
      .where("id", "=", input.attemptId)
      .where("submitted_at", "is", null)
      .executeTakeFirst();
    if (Number(closed.numUpdatedRows) !== 1) throw new AlreadySubmitted();
    await recordAudit(
      trx,
      {
        actorUserId: input.userId,
        action: passed ? "assessment.passed" : "assessment.failed",
        subjectType: "assessment_attempt",
        subjectId: input.attemptId,
        details: { module: owned.value.attempt.module_slug, score: correctCount, total: rows.length, percent, versionId: owned.value.attempt.module_version_id },
      },
      now,
    );
    // Passing the last module can be the moment a trainer becomes eligible.
    if (passed) await onRequirementMet?.(trx, input.userId);
    return ok({ passed, percent });
  }).catch((error: unknown) => {
    if (error instanceof AlreadySubmitted) return refuse(409, "This attempt has already been submitted.");
    throw error;
  });
}

class AlreadySubmitted extends Error {}

// --- Results ------------------------------------------------------------------------------

export interface GradedQuestion extends AttemptQuestionView {
  correct: boolean;
  correctOptionIds: string[];
  explanation: string[];
  /** The teaching section the question tests, if the author named one. */
  section: string | null;
}

export interface AttemptResult {
  id: string;
  moduleSlug: string;
  moduleTitle: string;
  trainerName: string;
  submittedAt: string;
  score: number;
  total: number;
  percent: number;
  /** The score to one decimal place, "91.7" (`percentShown`). */
  percentShown: string;
  passMark: number;
  passed: boolean;
  versionHash: string;
  /** The module version's human label ("2026.1"). */
  versionLabel: string;
  questions: GradedQuestion[];
}

/** After grading only: the result with the key and explanations. Owner, assessors and admins. */
export async function getAttemptResult(db: DB, attemptId: string, viewer: { id: number; role: string }): Promise<Result<AttemptResult>> {
  const attempt = await db
    .selectFrom("assessment_attempt")
    .innerJoin("module_version", "module_version.id", "assessment_attempt.module_version_id")
    .innerJoin("user", "user.id", "assessment_attempt.user_id")
    .selectAll("assessment_attempt")
    .select(["module_version.content_hash", "module_version.title", "user.name as trainer_name"])
    .where("assessment_attempt.id", "=", attemptId)
    .executeTakeFirst();
  if (!attempt) return refuse(404, "There is no such attempt.");
  if (attempt.user_id !== viewer.id && viewer.role === "trainer") return refuse(403, "This attempt belongs to another trainer.");
  if (attempt.submitted_at === null) return refuse(409, "This attempt has not been submitted yet.");
  const rows = await db.selectFrom("attempt_question").selectAll().where("attempt_id", "=", attemptId).orderBy("position").execute();
  return {
    ok: true,
    value: {
      id: attempt.id,
      moduleSlug: attempt.module_slug,
      moduleTitle: attempt.title,
      trainerName: attempt.trainer_name,
      submittedAt: attempt.submitted_at,
      score: attempt.score ?? 0,
      total: attempt.total,
      percent: attempt.percent ?? 0,
      percentShown: percentShown(attempt.score ?? 0, attempt.total),
      passMark: attempt.pass_mark,
      passed: attempt.passed === 1,
      versionHash: attempt.content_hash,
      versionLabel: versionLabel(attempt.content_hash),
      questions: rows.map((row) => {
        const key = JSON.parse(row.question_json) as AnswerKey;
        return {
          ...questionView(row, key),
          correct: row.correct === 1,
          correctOptionIds: key.options.filter((o) => o.correct).map((o) => o.id),
          explanation: key.explanation,
          section: key.section ?? null,
        };
      }),
    },
  };
}

// --- Knowledge checks (formative) ---------------------------------------------------------

export function checkKnowledgeAnswer(
  slug: string,
  questionId: string,
  selected: string[],
): Result<{ correct: boolean; correctOptionIds: string[]; explanation: string[] }> {
  const key = getAnswerKey(questionId);
  if (!key || key.kind !== "knowledge-check" || key.moduleSlug !== slug) return refuse(400, "That question is not a knowledge check in this module.");
  const problem = validateSelection(key.type, key.options.map((o) => o.id), selected);
  if (problem) return refuse(400, problem);
  if (selected.length === 0) return refuse(400, "Choose an answer first.");
  const correctOptionIds = key.options.filter((o) => o.correct).map((o) => o.id);
  return ok({ correct: isAnswerCorrect(key.type, correctOptionIds, selected), correctOptionIds, explanation: key.explanation });
}

/**
 * A knowledge check's reply as the lesson sends it (to the page without JavaScript, as JSON to the
 * island with it), with the HTTP status: the key and explanation only once the trainer has answered.
 */
export function knowledgeCheckReply(slug: string, form: URLSearchParams): { reply: CheckReply; status: number } {
  const questionId = String(form.get("questionId") ?? "");
  const selected = form.getAll("option").map(String);
  const result = checkKnowledgeAnswer(slug, questionId, selected);
  return result.ok
    ? { reply: { questionId, selected, ...result.value }, status: 200 }
    : { reply: { questionId, selected, error: result.message ?? "That answer could not be checked." }, status: result.status };
}

// --- Unlocking ------------------------------------------------------------------------------

export async function unlockAssessment(db: DB, input: { actorId: number; trainerId: number; slug: string; reason: string }, now: Date): Promise<Result<null>> {
  if (!getModule(input.slug)) return refuse(404, "There is no such module.");
  const decision = await getRetakeDecision(db, input.trainerId, input.slug, now);
  if (decision.canStart || decision.reason !== "locked") return refuse(409, "This assessment is not locked.");
  await db.transaction().execute(async (trx) => {
    await trx.insertInto("assessment_unlock").values({ user_id: input.trainerId, module_slug: input.slug, unlocked_by: input.actorId, unlocked_at: iso(now), reason: input.reason }).execute();
    await recordAudit(trx, { actorUserId: input.actorId, action: "assessment.unlocked", subjectType: "user", subjectId: input.trainerId, details: { module: input.slug, reason: input.reason } }, now);
  });
  return ok();
}

export type { QuestionType };
