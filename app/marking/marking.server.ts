import type { DB, Trx } from "~db/connection";
import type { ReportOutcome, ReportSubmission, Role, SubmissionStatus } from "~db/schema";
import { iso } from "~/utils/clock";
import { recordAudit } from "~/audit/audit.server";
import { notify, notifyStaff } from "~/notifications/notify.server";
import type { OnRequirementMet } from "~/utils/reaction";
import { ok, refuse, type Refusal, type Result } from "~/utils/result";
import type { ReportTaskDefinition } from "~/content/types";
import { getMarkingKey, getModule } from "~/content/catalog.server";
import { checkMark, formatWaiting, needsModeration, MAX_FEEDBACK_CHARS, type CriterionJudgement } from "./rules";
import { getMarkingSettings } from "./settings.server";
import { parseTask } from "./submissions.server";

type Staff = { id: number; role: Role };

export const STAFF_STATUS_LABELS: Record<SubmissionStatus, string> = {
  submitted: "Waiting to be marked",
  in_marking: "Being marked",
  marked: "Marked: waiting for moderation",
  in_moderation: "Being moderated",
  disputed: "Moderator disagrees: waiting for an admin",
  released: "Released",
};

async function userNames(db: DB, ids: (number | null)[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom("user").select(["id", "name"]).where("id", "in", wanted).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

// --- The queue --------------------------------------------------------------------------------

export interface QueueItem {
  id: number;
  candidate: string;
  version: number;
  submittedAt: string;
  waiting: string;
  status: SubmissionStatus;
  statusLabel: string;
  holder: string | null;
  /** The viewer wrote it, or (for moderation) marked it: someone else must act. */
  ownWork: boolean;
}

export interface MarkingQueue {
  blindMarking: boolean;
  toMark: QueueItem[];
  toModerate: QueueItem[];
  disputed: QueueItem[];
}

/** Open work, oldest first, with how long it has waited. */
export async function listMarkingQueue(db: DB, viewer: Staff, now: Date): Promise<MarkingQueue> {
  const settings = await getMarkingSettings(db);
  const rows = await db.selectFrom("report_submission").selectAll().where("status", "<>", "released").orderBy("submitted_at").orderBy("id").execute();
  const names = await userNames(db, rows.flatMap((r) => [r.user_id, r.marker_id, r.moderator_id]));
  const item = (r: ReportSubmission): QueueItem => {
    const holderId = r.status === "in_marking" ? r.marker_id : r.status === "in_moderation" ? r.moderator_id : null;
    const since = r.status === "submitted" || r.status === "in_marking" ? r.submitted_at : (r.marked_at ?? r.submitted_at);
    return {
      id: r.id,
      candidate: settings.blindMarking ? `Candidate ${r.candidate_number}` : (names.get(r.user_id) ?? "Unknown trainer"),
      version: r.version,
      submittedAt: r.submitted_at,
      waiting: formatWaiting(new Date(since), now),
      status: r.status,
      statusLabel: STAFF_STATUS_LABELS[r.status],
      holder: holderId === null ? null : (names.get(holderId) ?? null),
      ownWork: r.user_id === viewer.id || ((r.status === "marked" || r.status === "in_moderation") && r.marker_id === viewer.id),
    };
  };
  return {
    blindMarking: settings.blindMarking,
    toMark: rows.filter((r) => r.status === "submitted" || r.status === "in_marking").map(item),
    toModerate: rows.filter((r) => r.status === "marked" || r.status === "in_moderation").map(item),
    disputed: rows.filter((r) => r.status === "disputed").map(item),
  };
}

// --- One submission -----------------------------------------------------------------------------

export interface MarkView {
  id: number;
  role: "marker" | "moderator";
  assessor: string;
  outcome: ReportOutcome;
  feedback: string;
  agrees: boolean;
  reason: string | null;
  createdAt: string;
  criteria: { criterionId: string; levelId: string; met: boolean; comment: string }[];
}

export interface MarkingView {
  id: number;
  candidate: string;
  version: number;
  body: string;
  wordCount: number;
  submittedAt: string;
  status: SubmissionStatus;
  statusLabel: string;
  task: ReportTaskDefinition;
  /**
   * The assessor-only marking key of the task version this submission answered (Markdown-lite),
   * or null when none was kept for it. Staff only: getMarkingView refuses trainers' own work,
   * and the marking routes are for assessors and admins.
   */
  markingKey: string | null;
  marker: string | null;
  moderator: string | null;
  moderationRequired: boolean | null;
  outcome: ReportOutcome | null;
  releasedAt: string | null;
  releasedMarkId: number | null;
  marks: MarkView[];
  resolution: { admin: string; chosenMarkId: number; reason: string; createdAt: string } | null;
  otherVersions: { id: number; version: number; statusLabel: string; outcome: ReportOutcome | null }[];
  can: { claim: boolean; mark: boolean; claimModeration: boolean; moderate: boolean; resolve: boolean; returnToQueue: boolean };
  /** Why the viewer cannot act, when that is the interesting fact (own work, someone else holds it). */
  notice: string | null;
}

/**
 * The key kept with the submission; for one submitted before keys were kept, the current key if
 * (and only if) the submission answered the version being served, since the key belongs to it.
 */
async function markingKeyOf(db: DB, row: { marking_key: string | null; module_slug: string; module_version_id: number }): Promise<string | null> {
  if (row.marking_key !== null) return row.marking_key;
  const version = await db.selectFrom("module_version").select("content_hash").where("id", "=", row.module_version_id).executeTakeFirst();
  return version && version.content_hash === getModule(row.module_slug)?.contentHash ? (getMarkingKey(row.module_slug) ?? null) : null;
}

export async function getMarkingView(db: DB, submissionId: number, viewer: Staff): Promise<Result<MarkingView>> {
  const row = await db.selectFrom("report_submission").selectAll().where("id", "=", submissionId).executeTakeFirst();
  if (!row) return refuse(404, "There is no such submission.");
  if (row.user_id === viewer.id) return refuse(403, "This is your own submission. Another assessor must mark it.");
  const [settings, marks, criteria, resolution, versions] = await Promise.all([
    getMarkingSettings(db),
    db.selectFrom("report_mark").selectAll().where("submission_id", "=", row.id).orderBy("id").execute(),
    db.selectFrom("report_mark_criterion").innerJoin("report_mark", "report_mark.id", "report_mark_criterion.mark_id").selectAll("report_mark_criterion").where("report_mark.submission_id", "=", row.id).execute(),
    db.selectFrom("report_resolution").selectAll().where("submission_id", "=", row.id).executeTakeFirst(),
    db.selectFrom("report_submission").select(["id", "version", "status", "outcome"]).where("user_id", "=", row.user_id).where("id", "<>", row.id).orderBy("version").execute(),
  ]);
  const names = await userNames(db, [row.user_id, row.marker_id, row.moderator_id, ...marks.map((m) => m.assessor_id), resolution?.admin_id ?? null]);
  const name = (id: number | null) => (id === null ? null : (names.get(id) ?? "Unknown"));
  const isAdmin = viewer.role === "admin";
  const can = {
    claim: row.status === "submitted",
    mark: row.status === "in_marking" && row.marker_id === viewer.id,
    claimModeration: row.status === "marked" && row.marker_id !== viewer.id,
    moderate: row.status === "in_moderation" && row.moderator_id === viewer.id,
    resolve: row.status === "disputed" && isAdmin && row.marker_id !== viewer.id && row.moderator_id !== viewer.id,
    returnToQueue: (row.status === "in_marking" && (row.marker_id === viewer.id || isAdmin)) || (row.status === "in_moderation" && (row.moderator_id === viewer.id || isAdmin)),
  };
  let notice: string | null = null;
  if (row.status === "in_marking" && row.marker_id !== viewer.id) notice = `${name(row.marker_id)} is marking this submission.`;
  if (row.status === "in_moderation" && row.moderator_id !== viewer.id) notice = `${name(row.moderator_id)} is moderating this submission.`;
  if (row.status === "marked" && row.marker_id === viewer.id) {
    // A team with one assessor cannot find a second one: say who can moderate instead.
    const otherAssessors = await db.selectFrom("user").select("id").where("role", "=", "assessor").where("disabled_at", "is", null).where("id", "<>", viewer.id).where("id", "<>", row.user_id).limit(1).execute();
    notice =
      otherAssessors.length > 0
        ? "You marked this submission. A second assessor must moderate it (an admin can moderate it too)."
        : "You marked this submission. You are the only assessor, so an admin moderates it: any admin can open it from the “To moderate” queue.";
  }
  if (row.status === "disputed" && !can.resolve) notice = isAdmin ? "You marked or moderated this submission, so another admin must resolve the disagreement." : "The moderator disagrees with the marker. An admin will decide.";
  return {
    ok: true,
    value: {
      id: row.id,
      candidate: settings.blindMarking ? `Candidate ${row.candidate_number}` : (name(row.user_id) ?? "Unknown trainer"),
      version: row.version,
      body: row.body,
      wordCount: row.word_count,
      submittedAt: row.submitted_at,
      status: row.status,
      statusLabel: STAFF_STATUS_LABELS[row.status],
      task: parseTask(row.task_json),
      markingKey: await markingKeyOf(db, row),
      marker: name(row.marker_id),
      moderator: name(row.moderator_id),
      moderationRequired: row.moderation_required === null ? null : row.moderation_required === 1,
      outcome: row.outcome,
      releasedAt: row.released_at,
      releasedMarkId: row.released_mark_id,
      marks: marks.map((m) => ({
        id: m.id,
        role: m.role,
        assessor: name(m.assessor_id) ?? "Unknown",
        outcome: m.outcome,
        feedback: m.feedback,
        agrees: m.agrees_with_mark_id !== null,
        reason: m.reason,
        createdAt: m.created_at,
        criteria: criteria.filter((c) => c.mark_id === m.id).map((c) => ({ criterionId: c.criterion_id, levelId: c.level_id, met: c.met === 1, comment: c.comment })),
      })),
      resolution: resolution ? { admin: name(resolution.admin_id) ?? "Unknown", chosenMarkId: resolution.chosen_mark_id, reason: resolution.reason, createdAt: resolution.created_at } : null,
      otherVersions: versions.map((v) => ({ id: v.id, version: v.version, statusLabel: STAFF_STATUS_LABELS[v.status], outcome: v.status === "released" ? v.outcome : null })),
      can,
      notice,
    },
  };
}

// --- Claiming -----------------------------------------------------------------------------------

async function explainHeld(db: DB, submissionId: number, viewer: Staff, wanted: "marking" | "moderation"): Promise<Refusal> {
  const row = await db.selectFrom("report_submission").selectAll().where("id", "=", submissionId).executeTakeFirst();
  if (!row) return refuse(404, "There is no such submission.");
  if (row.user_id === viewer.id) return refuse(403, "This is your own submission. You cannot mark or moderate it.");
  const names = await userNames(db, [row.marker_id, row.moderator_id]);
  if (row.status === "in_marking") return refuse(409, row.marker_id === viewer.id ? "You are already marking this submission." : `${names.get(row.marker_id!) ?? "Another assessor"} is already marking this submission.`);
  if (row.status === "in_moderation") return refuse(409, row.moderator_id === viewer.id ? "You are already moderating this submission." : `${names.get(row.moderator_id!) ?? "Another assessor"} is already moderating this submission.`);
  if (wanted === "moderation" && row.status === "marked" && row.marker_id === viewer.id) return refuse(403, "You marked this submission. A second assessor must moderate it.");
  return refuse(409, `This submission is not waiting for ${wanted} (it is: ${STAFF_STATUS_LABELS[row.status].toLowerCase()}).`);
}

/** Takes a submission for marking. Only one assessor can hold it: the update is conditional. */
export async function claimForMarking(db: DB, submissionId: number, viewer: Staff, now: Date): Promise<Result<null>> {
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable("report_submission")
      .set({ status: "in_marking", marker_id: viewer.id, marking_started_at: iso(now) })
      .where("id", "=", submissionId)
      .where("status", "=", "submitted")
      .where("user_id", "<>", viewer.id)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return explainHeld(trx, submissionId, viewer, "marking");
    await recordAudit(trx, { actorUserId: viewer.id, action: "report.marking_started", subjectType: "report_submission", subjectId: submissionId }, now);
    return ok();
  });
}

/** Takes marked work for moderation: a second assessor, never the marker or the writer. */
export async function claimForModeration(db: DB, submissionId: number, viewer: Staff, now: Date): Promise<Result<null>> {
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable("report_submission")
      .set({ status: "in_moderation", moderator_id: viewer.id, moderation_started_at: iso(now) })
      .where("id", "=", submissionId)
      .where("status", "=", "marked")
      .where("user_id", "<>", viewer.id)
      .where("marker_id", "<>", viewer.id)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return explainHeld(trx, submissionId, viewer, "moderation");
    await recordAudit(trx, { actorUserId: viewer.id, action: "report.moderation_started", subjectType: "report_submission", subjectId: submissionId }, now);
    return ok();
  });
}

/** Gives marking or moderation back to the queue (the holder, or an admin). */
export async function returnToQueue(db: DB, submissionId: number, viewer: Staff, now: Date): Promise<Result<null>> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("report_submission").selectAll().where("id", "=", submissionId).executeTakeFirst();
    if (!row) return refuse(404, "There is no such submission.");
    const isAdmin = viewer.role === "admin";
    let query = trx.updateTable("report_submission").where("id", "=", submissionId);
    if (row.status === "in_marking" && (row.marker_id === viewer.id || isAdmin)) {
      query = query.set({ status: "submitted", marker_id: null, marking_started_at: null }).where("status", "=", "in_marking").where("marker_id", "=", row.marker_id);
    } else if (row.status === "in_moderation" && (row.moderator_id === viewer.id || isAdmin)) {
      query = query.set({ status: "marked", moderator_id: null, moderation_started_at: null }).where("status", "=", "in_moderation").where("moderator_id", "=", row.moderator_id);
    } else {
      return refuse(409, "You do not hold this submission.");
    }
    const result = await query.executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return refuse(409, "This submission has just changed; reload the page.");
    await recordAudit(trx, { actorUserId: viewer.id, action: "report.returned_to_queue", subjectType: "report_submission", subjectId: submissionId, details: { from: row.status } }, now);
    return ok();
  });
}

// --- Marking, moderation, resolution, release ---------------------------------------------------

export interface MarkInput {
  criteria: CriterionJudgement[];
  /** `null` when the form chose neither: refused with the other missing fields (`checkMark`). */
  outcome: ReportOutcome | null;
  feedback: string;
}

/** The refusal's message: the outcome's own when it is the only problem (a pass with a must-meet criterion unmet). */
function markRefusal(fieldErrors: Record<string, string>, what: "mark" | "moderation"): Refusal {
  const keys = Object.keys(fieldErrors);
  return refuse(400, keys.length === 1 && fieldErrors.outcome ? fieldErrors.outcome : `Some of the ${what} needs attention.`, fieldErrors);
}

function checkFeedback(feedback: string, required: boolean): Record<string, string> {
  const text = feedback.trim();
  if (required && text === "") return { feedback: "Write overall feedback for the trainer: what works, and what to change." };
  if (text.length > MAX_FEEDBACK_CHARS) return { feedback: `Keep the feedback to ${MAX_FEEDBACK_CHARS.toLocaleString("en-GB")} characters or fewer (it has ${text.length.toLocaleString("en-GB")}).` };
  return {};
}


async function insertMark(trx: Trx, submissionId: number, assessorId: number, input: { role: "marker" | "moderator"; outcome: ReportOutcome; feedback: string; agreesWith: number | null; reason: string | null; criteria: (CriterionJudgement & { met: boolean })[] }, now: Date): Promise<number> {
  const mark = await trx
    .insertInto("report_mark")
    .values({ submission_id: submissionId, assessor_id: assessorId, role: input.role, outcome: input.outcome, feedback: input.feedback.trim(), agrees_with_mark_id: input.agreesWith, reason: input.reason, created_at: iso(now) })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (input.criteria.length > 0) {
    await trx
      .insertInto("report_mark_criterion")
      .values(input.criteria.map((c) => ({ mark_id: mark.id, criterion_id: c.criterionId, level_id: c.levelId, met: c.met ? 1 : 0, comment: c.comment })))
      .execute();
  }
  return mark.id;
}

/** Releases an outcome to the trainer, from the state it is in now (conditional). */
async function release(trx: Trx, row: ReportSubmission, from: SubmissionStatus, markId: number, outcome: ReportOutcome, actorId: number, now: Date): Promise<boolean> {
  const result = await trx
    .updateTable("report_submission")
    .set({ status: "released", released_mark_id: markId, outcome, released_at: iso(now) })
    .where("id", "=", row.id)
    .where("status", "=", from)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  await recordAudit(trx, { actorUserId: actorId, action: "report.released", subjectType: "report_submission", subjectId: row.id, details: { outcome, markId, trainerId: row.user_id, version: row.version } }, now);
  await notify(
    trx,
    {
      userId: row.user_id,
      kind: "report_outcome",
      title: outcome === "pass" ? "Your report has passed" : "Your report has been marked: not yet passed",
      body:
        outcome === "pass"
          ? "An assessor has marked your report-writing task as a pass. Read their feedback on the submission page."
          : "An assessor has marked your report-writing task and referred it. Read their feedback on the submission page, then revise and submit it again.",
      link: `/report-task/submissions/${row.id}`,
    },
    now,
  );
  return true;
}

/** A released PASS for the report-writing task can be a trainer's last requirement (see `OnRequirementMet`). */
async function reactToRelease(trx: Trx, trainerId: number, outcome: ReportOutcome, onPassReleased: OnRequirementMet | undefined): Promise<void> {
  if (outcome === "pass" && onPassReleased) await onPassReleased(trx, trainerId);
}

/**
 * The marker's mark. Refused unless the viewer holds the submission and the mark is consistent
 * (a pass needs every must-meet criterion met). Then either released at once, or, when the
 * moderation sample picks it, sent to a second assessor.
 */
export async function recordMark(db: DB, submissionId: number, viewer: Staff, input: MarkInput, now: Date, onPassReleased?: OnRequirementMet): Promise<Result<{ released: boolean; moderationRequired: boolean }>> {
  const row = await db.selectFrom("report_submission").selectAll().where("id", "=", submissionId).executeTakeFirst();
  if (!row) return refuse(404, "There is no such submission.");
  if (row.user_id === viewer.id) return refuse(403, "This is your own submission. You cannot mark it.");
  if (row.status !== "in_marking" || row.marker_id !== viewer.id) return explainHeldForAction(db, row, viewer, "marking");
  const check = checkMark(parseTask(row.task_json).rubric, input.criteria, input.outcome);
  const feedbackErrors = checkFeedback(input.feedback, true);
  if (!check.ok || Object.keys(feedbackErrors).length > 0) return markRefusal({ ...(check.ok ? {} : check.fieldErrors), ...feedbackErrors }, "mark");
  const settings = await getMarkingSettings(db);
  const moderationRequired = needsModeration(row.id, check.outcome, settings);
  const outcome = await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable("report_submission")
      .set({ status: "marked", marked_at: iso(now), moderation_required: moderationRequired ? 1 : 0 })
      .where("id", "=", row.id)
      .where("status", "=", "in_marking")
      .where("marker_id", "=", viewer.id)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return null;
    const markId = await insertMark(trx, row.id, viewer.id, { role: "marker", outcome: check.outcome, feedback: input.feedback, agreesWith: null, reason: null, criteria: check.criteria }, now);
    await recordAudit(trx, { actorUserId: viewer.id, action: "report.marked", subjectType: "report_submission", subjectId: row.id, details: { outcome: check.outcome, markId, moderationRequired } }, now);
    const released = moderationRequired ? false : await release(trx, row, "marked", markId, check.outcome, viewer.id, now);
    if (released) await reactToRelease(trx, row.user_id, check.outcome, onPassReleased);
    // A second assessor (anyone but the marker and the candidate) is told a report waits for moderation.
    if (moderationRequired) await notifyStaff(trx, "assessor", { kind: "report_to_moderate", title: "A report is waiting for moderation", body: "A marked report was picked for moderation. Open the marking queue to moderate it.", link: "/marking" }, now, viewer.id);
    return { released, moderationRequired };
  });
  if (!outcome) return refuse(409, "This submission has just changed; reload the page.");
  return ok(outcome);
}

async function explainHeldForAction(db: DB, row: ReportSubmission, viewer: Staff, wanted: "marking" | "moderation"): Promise<Refusal> {
  const held = await explainHeld(db, row.id, viewer, wanted);
  if (held.status === 409 && held.message?.startsWith("You are already")) return refuse(409, "This submission has just changed; reload the page.");
  return held;
}

export type ModerationInput = { decision: "agree"; note: string } | ({ decision: "different"; reason: string } & MarkInput);

/**
 * The moderator agrees (the marker's outcome is released) or records a different outcome with
 * a reason and their own levels (an admin then decides which stands).
 */
export async function recordModeration(db: DB, submissionId: number, viewer: Staff, input: ModerationInput, now: Date, onPassReleased?: OnRequirementMet): Promise<Result<{ released: boolean }>> {
  const row = await db.selectFrom("report_submission").selectAll().where("id", "=", submissionId).executeTakeFirst();
  if (!row) return refuse(404, "There is no such submission.");
  if (row.status !== "in_moderation" || row.moderator_id !== viewer.id) return explainHeldForAction(db, row, viewer, "moderation");
  const first = await db.selectFrom("report_mark").selectAll().where("submission_id", "=", row.id).where("role", "=", "marker").executeTakeFirstOrThrow();
  let criteria: (CriterionJudgement & { met: boolean })[] = [];
  let outcome: ReportOutcome = first.outcome;
  if (input.decision === "different") {
    const fieldErrors: Record<string, string> = {};
    if (input.outcome === first.outcome) fieldErrors.outcome = `The marker also chose ${first.outcome === "pass" ? "Pass" : "Refer"}. If you agree with the outcome, choose "Agree with the marker".`;
    if (input.reason.trim() === "") fieldErrors.reason = "Give the reason you disagree with the marker's outcome.";
    const check = checkMark(parseTask(row.task_json).rubric, input.criteria, input.outcome);
    if (!check.ok) Object.assign(fieldErrors, check.fieldErrors);
    else ({ criteria, outcome } = check);
    Object.assign(fieldErrors, checkFeedback(input.feedback, true));
    if (Object.keys(fieldErrors).length > 0) return markRefusal(fieldErrors, "moderation");
  } else {
    const errors = checkFeedback(input.note, false);
    if (errors.feedback) return refuse(400, errors.feedback, { note: errors.feedback });
  }
  const result = await db.transaction().execute(async (trx) => {
    const to: SubmissionStatus = input.decision === "agree" ? "marked" : "disputed";
    const updated = await trx
      .updateTable("report_submission")
      .set({ status: to })
      .where("id", "=", row.id)
      .where("status", "=", "in_moderation")
      .where("moderator_id", "=", viewer.id)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) return null;
    if (input.decision === "agree") {
      const markId = await insertMark(trx, row.id, viewer.id, { role: "moderator", outcome: first.outcome, feedback: input.note, agreesWith: first.id, reason: null, criteria: [] }, now);
      await recordAudit(trx, { actorUserId: viewer.id, action: "report.moderated", subjectType: "report_submission", subjectId: row.id, details: { agrees: true, outcome: first.outcome, markId } }, now);
      // The agreed outcome is released with the marker's levels and feedback.
      if (!(await release(trx, row, "marked", first.id, first.outcome, viewer.id, now))) return null;
      await reactToRelease(trx, row.user_id, first.outcome, onPassReleased);
      return { released: true, outcome: first.outcome };
    }
    const markId = await insertMark(trx, row.id, viewer.id, { role: "moderator", outcome, feedback: input.feedback, agreesWith: null, reason: input.reason.trim(), criteria }, now);
    await recordAudit(trx, { actorUserId: viewer.id, action: "report.moderated", subjectType: "report_submission", subjectId: row.id, details: { agrees: false, outcome, markerOutcome: first.outcome, markId } }, now);
    await notifyStaff(trx, "admin", { kind: "report_to_moderate", title: "A marker and a moderator disagree about a report", body: "Decide which outcome stands, from the marking queue.", link: "/marking" }, now, viewer.id);
    return { released: false, outcome };
  });
  if (!result) return refuse(409, "This submission has just changed; reload the page.");
  return ok({ released: result.released });
}

/** An admin decides between a marker and a moderator who disagree; the chosen mark is released. */
export async function resolveDisagreement(db: DB, submissionId: number, viewer: Staff, input: { chosenMarkId: number; reason: string }, now: Date, onPassReleased?: OnRequirementMet): Promise<Result<{ outcome: ReportOutcome }>> {
  if (viewer.role !== "admin") return refuse(403, "Only an admin can resolve a disagreement.");
  const row = await db.selectFrom("report_submission").selectAll().where("id", "=", submissionId).executeTakeFirst();
  if (!row) return refuse(404, "There is no such submission.");
  if (row.status !== "disputed") return refuse(409, "There is no disagreement to resolve on this submission.");
  if (row.user_id === viewer.id || row.marker_id === viewer.id || row.moderator_id === viewer.id) return refuse(403, "You wrote, marked or moderated this submission, so another admin must resolve it.");
  const fieldErrors: Record<string, string> = {};
  const chosen = await db.selectFrom("report_mark").selectAll().where("id", "=", input.chosenMarkId).where("submission_id", "=", row.id).executeTakeFirst();
  if (!chosen || chosen.agrees_with_mark_id !== null) fieldErrors.chosenMarkId = "Choose the marker's or the moderator's mark.";
  if (input.reason.trim() === "") fieldErrors.reason = "Give the reason for your decision.";
  if (Object.keys(fieldErrors).length > 0) return refuse(400, "Some of the decision needs attention.", fieldErrors);
  const done = await db.transaction().execute(async (trx) => {
    const resolution = await trx
      .insertInto("report_resolution")
      .values({ submission_id: row.id, admin_id: viewer.id, chosen_mark_id: chosen!.id, reason: input.reason.trim(), created_at: iso(now) })
      .returning("id")
      .executeTakeFirstOrThrow();
    const released = await release(trx, row, "disputed", chosen!.id, chosen!.outcome, viewer.id, now);
    if (!released) throw new Error("conflict");
    await recordAudit(trx, { actorUserId: viewer.id, action: "report.resolved", subjectType: "report_submission", subjectId: row.id, details: { resolutionId: resolution.id, chosenMarkId: chosen!.id, outcome: chosen!.outcome } }, now);
    await reactToRelease(trx, row.user_id, chosen!.outcome, onPassReleased);
    return true;
  }).catch((error: unknown) => {
    if (error instanceof Error && error.message === "conflict") return false;
    throw error;
  });
  if (!done) return refuse(409, "This submission has just changed; reload the page.");
  return ok({ outcome: chosen!.outcome });
}
