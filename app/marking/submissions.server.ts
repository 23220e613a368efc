import type { DB } from "~db/connection";
import { isUniqueViolation } from "~db/dialect";
import type { ReportOutcome, ReportSubmission } from "~db/schema";
import { iso } from "~/utils/clock";
import { recordAudit } from "~/audit/audit.server";
import { notifyStaff } from "~/notifications/notify.server";
import { ok, refuse, type Refusal, type Result } from "~/utils/result";
import { currentModuleVersionId, getMarkingKey, getModule, getReportTask } from "~/content/catalog.server";
import type { ReportTaskDefinition } from "~/content/types";
import { trainerStatus, type TrainerStatus } from "./labels";
import { REPORT_TASK_MODULE, countWords, reportBodyProblem } from "./rules";
import { randomCandidateNumber } from "~/utils/random.server";

export { TRAINER_STATUS_LABELS, trainerStatus, type TrainerStatus } from "./labels";


export function parseTask(json: string): ReportTaskDefinition {
  return JSON.parse(json) as ReportTaskDefinition;
}

export function currentReportTask(): ReportTaskDefinition {
  const task = getReportTask(REPORT_TASK_MODULE);
  if (!task) throw new Error(`The ${REPORT_TASK_MODULE} module has no <ReportTask>: rebuild the content.`);
  return task;
}

/** The task opens once the report-writing module's summative assessment is passed. */
export async function reportTaskGate(db: DB, userId: number): Promise<{ open: boolean; reason: string | null }> {
  const pass = await db
    .selectFrom("assessment_attempt")
    .select("id")
    .where("user_id", "=", userId)
    .where("module_slug", "=", REPORT_TASK_MODULE)
    .where("passed", "=", 1)
    .executeTakeFirst();
  if (pass) return { open: true, reason: null };
  const title = getModule(REPORT_TASK_MODULE)?.title ?? "report-writing";
  return { open: false, reason: `The report-writing task opens when you have passed the assessment at the end of the module "${title}".` };
}

function fetchSubmissions(db: DB, userId: number) {
  return db.selectFrom("report_submission").selectAll().where("user_id", "=", userId).orderBy("version", "desc").execute();
}

export interface TrainerSubmissionSummary {
  id: number;
  version: number;
  submittedAt: string;
  wordCount: number;
  status: TrainerStatus;
  releasedAt: string | null;
}

function summarise(row: ReportSubmission): TrainerSubmissionSummary {
  return {
    id: row.id,
    version: row.version,
    submittedAt: row.submitted_at,
    wordCount: row.word_count,
    status: trainerStatus(row.status, row.outcome),
    releasedAt: row.status === "released" ? row.released_at : null,
  };
}

export interface TaskPageData {
  gate: { open: boolean; reason: string | null };
  task: ReportTaskDefinition;
  /** Null when there is nothing to write now (submission open or task passed). */
  editor: { body: string; savedAt: string | null; fromPreviousVersion: boolean } | null;
  open: TrainerSubmissionSummary | null;
  passed: TrainerSubmissionSummary | null;
  history: TrainerSubmissionSummary[];
}

export async function getTaskPage(db: DB, userId: number): Promise<TaskPageData> {
  const [gate, draft, rows] = await Promise.all([reportTaskGate(db, userId), db.selectFrom("report_draft").selectAll().where("user_id", "=", userId).executeTakeFirst(), fetchSubmissions(db, userId)]);
  const history = rows.map(summarise);
  const open = history.find((s) => s.status === "submitted" || s.status === "in-marking") ?? null;
  const passed = history.find((s) => s.status === "passed") ?? null;
  let editor: TaskPageData["editor"] = null;
  if (gate.open && !open && !passed) {
    if (draft) editor = { body: draft.body, savedAt: draft.saved_at, fromPreviousVersion: false };
    else if (rows[0]) editor = { body: rows[0].body, savedAt: null, fromPreviousVersion: true };
    else editor = { body: "", savedAt: null, fromPreviousVersion: false };
  }
  return { gate, task: currentReportTask(), editor, open, passed, history };
}

async function canWrite(db: DB, userId: number): Promise<Refusal | null> {
  const gate = await reportTaskGate(db, userId);
  if (!gate.open) return refuse(403, gate.reason!);
  const rows = await fetchSubmissions(db, userId);
  if (rows.some((r) => r.status === "released" && r.outcome === "pass")) return refuse(409, "You have passed the report-writing task; there is nothing more to submit.");
  if (rows.some((r) => r.status !== "released")) return refuse(409, "Your report has been submitted and is being marked. You can write a new version only if it is referred.");
  return null;
}

/** Autosave: keeps the trainer's latest draft (one per trainer). */
export async function saveDraft(db: DB, userId: number, body: string, now: Date): Promise<Result<{ savedAt: string; wordCount: number }>> {
  const refusal = await canWrite(db, userId);
  if (refusal) return refusal;
  const problem = reportBodyProblem(body, "draft");
  if (problem) return refuse(400, problem);
  const wordCount = countWords(body);
  const savedAt = iso(now);
  await db
    .insertInto("report_draft")
    .values({ user_id: userId, body, word_count: wordCount, saved_at: savedAt })
    .onConflict((oc) => oc.column("user_id").doUpdateSet({ body, word_count: wordCount, saved_at: savedAt }))
    .execute();
  return ok({ savedAt, wordCount });
}

/** Final submission: a new, frozen version answering the task as it is now. */
export async function submitReport(db: DB, userId: number, body: string, now: Date): Promise<Result<{ submissionId: number; version: number }>> {
  const refusal = await canWrite(db, userId);
  if (refusal) return refusal;
  const problem = reportBodyProblem(body, "submit");
  if (problem) return refuse(400, problem);
  const task = currentReportTask();
  const moduleVersionId = await currentModuleVersionId(db, REPORT_TASK_MODULE, now);
  try {
    const created = await db.transaction().execute(async (trx) => {
      const last = await trx.selectFrom("report_submission").select((eb) => eb.fn.max("version").as("v")).where("user_id", "=", userId).executeTakeFirst();
      const version = Number(last?.v ?? 0) + 1;
      const row = await trx
        .insertInto("report_submission")
        .values({
          user_id: userId,
          version,
          module_slug: REPORT_TASK_MODULE,
          module_version_id: moduleVersionId,
          task_json: JSON.stringify(task),
          marking_key: getMarkingKey(REPORT_TASK_MODULE) ?? null,
          body,
          word_count: countWords(body),
          candidate_number: randomCandidateNumber(),
          submitted_at: iso(now),
          status: "submitted",
          marker_id: null,
          marking_started_at: null,
          marked_at: null,
          moderation_required: null,
          moderator_id: null,
          moderation_started_at: null,
          released_mark_id: null,
          outcome: null,
          released_at: null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      await trx.deleteFrom("report_draft").where("user_id", "=", userId).execute();
      await recordAudit(trx, { actorUserId: userId, action: "report.submitted", subjectType: "report_submission", subjectId: row.id, details: { version, moduleVersionId, words: countWords(body) } }, now);
      // Marking is anonymous: the assessors are told a report waits, not whose.
      await notifyStaff(trx, "assessor", { kind: "report_to_mark", title: "A report is waiting to be marked", body: "A trainer has submitted the report-writing task. Open the marking queue to mark it.", link: "/marking" }, now, userId);
      return { submissionId: row.id, version };
    });
    return ok(created);
  } catch (error) {
    // Two submits at once: the unique index keeps one open submission.
    if (isUniqueViolation(error)) return refuse(409, "Your report has already been submitted.");
    throw error;
  }
}

export interface ReleasedFeedback {
  outcome: ReportOutcome;
  releasedAt: string;
  feedback: string;
  criteria: { id: string; title: string; mustMeet: boolean; level: string; met: boolean; comment: string }[];
  /** Set when moderation changed the first marker's outcome. */
  moderationNote: string | null;
}

export interface TrainerSubmissionView extends TrainerSubmissionSummary {
  body: string;
  taskTitle: string;
  /** Only once the outcome is released; before that the loader holds no mark or feedback at all. */
  released: ReleasedFeedback | null;
}

/** Builds what the trainer sees of a released mark. Never call for an unreleased submission. */
export async function releasedFeedback(db: DB, row: ReportSubmission): Promise<ReleasedFeedback | null> {
  if (row.status !== "released" || row.released_mark_id === null || row.outcome === null || row.released_at === null) return null;
  const task = parseTask(row.task_json);
  const [mark, marks] = await Promise.all([
    db.selectFrom("report_mark").selectAll().where("id", "=", row.released_mark_id).executeTakeFirstOrThrow(),
    db.selectFrom("report_mark").select(["id", "role", "outcome", "reason"]).where("submission_id", "=", row.id).execute(),
  ]);
  // A moderator who agreed added no levels of their own: the trainer sees the marker's.
  const levelsMarkId = mark.agrees_with_mark_id ?? mark.id;
  const levelRows = await db.selectFrom("report_mark_criterion").selectAll().where("mark_id", "=", levelsMarkId).execute();
  const feedbackMark = mark.agrees_with_mark_id ? await db.selectFrom("report_mark").select("feedback").where("id", "=", mark.agrees_with_mark_id).executeTakeFirstOrThrow() : mark;
  const differing = marks.find((m) => m.role === "moderator" && m.reason !== null);
  return {
    outcome: row.outcome,
    releasedAt: row.released_at,
    feedback: feedbackMark.feedback,
    criteria: task.rubric.map((c) => {
      const judged = levelRows.find((r) => r.criterion_id === c.id);
      const level = c.levels.find((l) => l.id === judged?.level_id);
      return { id: c.id, title: c.title, mustMeet: c.mustMeet, level: level?.label ?? "", met: judged?.met === 1, comment: judged?.comment ?? "" };
    }),
    moderationNote: differing && mark.role === "moderator" ? differing.reason : null,
  };
}

export async function getSubmissionForTrainer(db: DB, submissionId: number, userId: number): Promise<Result<TrainerSubmissionView>> {
  const row = await db.selectFrom("report_submission").selectAll().where("id", "=", submissionId).executeTakeFirst();
  if (!row) return refuse(404, "There is no such submission.");
  if (row.user_id !== userId) return refuse(403, "This submission belongs to another trainer.");
  const task = parseTask(row.task_json);
  return ok({ ...summarise(row), body: row.body, taskTitle: task.title, released: await releasedFeedback(db, row) });
}

export type ReportTaskState = "locked" | "not-started" | "draft" | TrainerStatus;

/** For the dashboard: where the trainer is with the task, in one word and a date. */
export async function getReportTaskSummary(db: DB, userId: number): Promise<{ state: ReportTaskState; date: string | null }> {
  const rows = await fetchSubmissions(db, userId);
  const passed = rows.find((r) => r.status === "released" && r.outcome === "pass");
  if (passed) return { state: "passed", date: passed.released_at };
  const latest = rows[0];
  if (latest && latest.status !== "released") return { state: trainerStatus(latest.status, latest.outcome), date: latest.submitted_at };
  const draft = await db.selectFrom("report_draft").select("saved_at").where("user_id", "=", userId).executeTakeFirst();
  if (latest && !draft) return { state: "referred", date: latest.released_at };
  if (draft) return { state: "draft", date: draft.saved_at };
  const gate = await reportTaskGate(db, userId);
  return { state: gate.open ? "not-started" : "locked", date: null };
}
