import { beforeAll, describe, expect, it } from "vitest";
import type { DB, Trx } from "~db/connection";
import { listAuditEvents } from "~/audit/audit.server";
import { addMs, HOUR, iso } from "~/utils/clock";
import { currentModuleVersionId, getMarkingKey, getReportTask, registerModuleVersions } from "~/content/catalog.server";
import { claimForMarking, claimForModeration, getMarkingView, listMarkingQueue, recordMark, recordModeration, resolveDisagreement, returnToQueue, type MarkInput } from "~/marking/marking.server";
import { getReportTaskOutcome } from "~/marking/outcome.server";
import { MAX_REPORT_WORDS, moderationDraw, needsModeration } from "~/marking/rules";
import { updateMarkingSettings } from "~/marking/settings.server";
import { getReportTaskSummary, getSubmissionForTrainer, getTaskPage, saveDraft, submitReport } from "~/marking/submissions.server";
import { createTestDb, createUser } from "../helpers/db";

let db: DB;
const t0 = new Date("2026-06-01T09:00:00Z");
const task = () => getReportTask("report-writing")!;
const REPORT = Array.from({ length: 80 }, (_, i) => `word${i}`).join(" ");

type Account = { id: number; role: "trainer" | "assessor" | "admin"; name: string };

async function account(role: Account["role"], name: string): Promise<Account> {
  const user = await createUser(db, { role, name });
  return { id: user.id, role, name };
}

async function passModule(userId: number) {
  const versionId = await currentModuleVersionId(db, "report-writing", t0);
  await db
    .insertInto("assessment_attempt")
    .values({ id: `pass-${userId}`, user_id: userId, module_slug: "report-writing", module_version_id: versionId, pass_mark: 80, started_at: iso(t0), submitted_at: iso(t0), score: 12, total: 12, percent: 100, passed: 1 })
    .execute();
}

async function trainerWithSubmission(name = "Tess Trainer") {
  const trainer = await account("trainer", name);
  await passModule(trainer.id);
  const submitted = await submitReport(db, trainer.id, REPORT, t0);
  if (!submitted.ok) throw new Error(submitted.message ?? "refused");
  return { trainer, submissionId: submitted.value.submissionId };
}

/** Every criterion at its "met" level (or every must-meet one not met). */
function markInput(outcome: "pass" | "refer", allMet: boolean, feedback = "Overall feedback."): MarkInput {
  return {
    outcome,
    feedback,
    criteria: task().rubric.map((c) => {
      const level = allMet || !c.mustMeet ? c.levels.find((l) => l.met)! : c.levels.find((l) => !l.met)!;
      return { criterionId: c.id, levelId: level.id, comment: level.met ? "" : `Comment on ${c.title}` };
    }),
  };
}

beforeAll(async () => {
  db = await createTestDb();
  await registerModuleVersions(db, t0);
  // Moderation off unless a test turns it on.
  const admin = await account("admin", "Setup Admin");
  await updateMarkingSettings(db, admin.id, { referralPercent: 0, passPercent: 0, blindMarking: false }, t0);
});

describe("writing and submitting", () => {
  it("opens only after the report-writing module's assessment is passed", async () => {
    const trainer = await account("trainer", "Early Bird");
    const page = await getTaskPage(db, trainer.id);
    expect(page.gate.open).toBe(false);
    expect(page.gate.reason).toMatch(/opens when you have passed the assessment/);
    expect(page.editor).toBeNull();
    const saved = await saveDraft(db, trainer.id, "Hello", t0);
    expect(saved).toMatchObject({ ok: false, status: 403 });
    const submitted = await submitReport(db, trainer.id, REPORT, t0);
    expect(submitted).toMatchObject({ ok: false, status: 403 });
    expect((await getReportTaskSummary(db, trainer.id)).state).toBe("locked");
  });

  it("keeps a draft, refuses a report over 20,000 words with a clear message, and allows one open submission", async () => {
    const trainer = await account("trainer", "Dana Draft");
    await passModule(trainer.id);
    expect((await getReportTaskSummary(db, trainer.id)).state).toBe("not-started");
    const saved = await saveDraft(db, trainer.id, "# Progress report\n\nFirst words.", t0);
    expect(saved).toMatchObject({ ok: true, value: { wordCount: 5 } });
    expect((await getTaskPage(db, trainer.id)).editor).toMatchObject({ body: "# Progress report\n\nFirst words.", savedAt: iso(t0) });
    expect((await getReportTaskSummary(db, trainer.id)).state).toBe("draft");

    const tooLong = Array.from({ length: MAX_REPORT_WORDS + 1 }, () => "word").join(" ");
    const refusedDraft = await saveDraft(db, trainer.id, tooLong, t0);
    expect(refusedDraft).toMatchObject({ ok: false, status: 400 });
    expect(!refusedDraft.ok && refusedDraft.message).toBe("Your report has 20,001 words; the limit is 20,000. Shorten it to save it.");
    const refusedSubmit = await submitReport(db, trainer.id, tooLong, t0);
    expect(!refusedSubmit.ok && refusedSubmit.message).toMatch(/20,001 words; the limit is 20,000/);
    expect(await submitReport(db, trainer.id, "Too short.", t0)).toMatchObject({ ok: false, status: 400 });

    const first = await submitReport(db, trainer.id, REPORT, t0);
    expect(first).toMatchObject({ ok: true, value: { version: 1 } });
    expect(await db.selectFrom("report_draft").selectAll().where("user_id", "=", trainer.id).execute()).toEqual([]);
    expect(await submitReport(db, trainer.id, REPORT, t0)).toMatchObject({ ok: false, status: 409 });
    expect(await saveDraft(db, trainer.id, "more", t0)).toMatchObject({ ok: false, status: 409 });
    // The database itself refuses a second open submission and any change to the text.
    const row = await db.selectFrom("report_submission").selectAll().where("user_id", "=", trainer.id).executeTakeFirstOrThrow();
    const { id: _id, ...copy } = row;
    await expect(db.insertInto("report_submission").values({ ...copy, version: 2 }).execute()).rejects.toThrow(/unique/i);
    await expect(db.updateTable("report_submission").set({ body: "changed" }).where("id", "=", row.id).execute()).rejects.toThrow(/never changes/);
    expect((await getReportTaskSummary(db, trainer.id)).state).toBe("submitted");
  });

  it("snapshots the task and rubric and records the module version", async () => {
    const { submissionId } = await trainerWithSubmission();
    const row = await db.selectFrom("report_submission").selectAll().where("id", "=", submissionId).executeTakeFirstOrThrow();
    expect(JSON.parse(row.task_json)).toEqual(task());
    expect(row.module_version_id).toBe(await currentModuleVersionId(db, "report-writing", t0));
  });

  it("keeps the marking key of the version it answered for staff, and never gives it to the trainer", async () => {
    const key = getMarkingKey("report-writing")!;
    expect(key).toContain("## Attendance");
    const { trainer, submissionId } = await trainerWithSubmission("Kept Key");
    const row = await db.selectFrom("report_submission").selectAll().where("id", "=", submissionId).executeTakeFirstOrThrow();
    expect(row.marking_key).toBe(key);
    const assessor = await account("assessor", "Key Reader");
    expect(await getMarkingView(db, submissionId, { id: assessor.id, role: "assessor" })).toMatchObject({ ok: true, value: { markingKey: key } });
    const own = await getSubmissionForTrainer(db, submissionId, trainer.id);
    expect(own.ok).toBe(true);
    expect(JSON.stringify(own)).not.toContain("Attendance");
    expect(JSON.stringify(await getTaskPage(db, trainer.id))).not.toContain("postponed by the case manager");

    // A submission from before keys were kept, written against an older task version: its task
    // snapshot stands, and no key is offered (the current key belongs to another version).
    const older = await db.insertInto("module_version").values({ slug: "report-writing", content_hash: "0".repeat(64), title: "Older", version_notes: "Older task.", published_at: iso(t0) }).returning("id").executeTakeFirstOrThrow();
    const { id: _id, ...copy } = row;
    const olderTask = { ...task(), title: "The task as it was" };
    const legacy = await db
      .insertInto("report_submission")
      .values({ ...copy, user_id: (await account("trainer", "Legacy Trainer")).id, module_version_id: older.id, task_json: JSON.stringify(olderTask), marking_key: null, candidate_number: "KEYLEGACY" })
      .returning("id")
      .executeTakeFirstOrThrow();
    const legacyView = await getMarkingView(db, legacy.id, { id: assessor.id, role: "assessor" });
    expect(legacyView).toMatchObject({ ok: true, value: { markingKey: null, task: { title: "The task as it was" } } });
    // The same without a kept key but on the version being served: the current key is its key.
    const current = await db
      .insertInto("report_submission")
      .values({ ...copy, user_id: (await account("trainer", "Current Trainer")).id, marking_key: null, candidate_number: "KEYCURRENT" })
      .returning("id")
      .executeTakeFirstOrThrow();
    expect(await getMarkingView(db, current.id, { id: assessor.id, role: "assessor" })).toMatchObject({ ok: true, value: { markingKey: key } });
  });
});

describe("marking", () => {
  it("refuses self-marking", async () => {
    const { trainer, submissionId } = await trainerWithSubmission("Became Assessor");
    // A trainer who later became an assessor still cannot mark their own work.
    await db.updateTable("user").set({ role: "assessor" }).where("id", "=", trainer.id).execute();
    const claim = await claimForMarking(db, submissionId, { id: trainer.id, role: "assessor" }, t0);
    expect(claim).toMatchObject({ ok: false, status: 403 });
    expect(await getMarkingView(db, submissionId, { id: trainer.id, role: "assessor" })).toMatchObject({ ok: false, status: 403 });
    const row = await db.selectFrom("report_submission").select("status").where("id", "=", submissionId).executeTakeFirstOrThrow();
    expect(row.status).toBe("submitted");
  });

  it("lets only one assessor mark at a time and tells the second who has it", async () => {
    const { submissionId } = await trainerWithSubmission();
    const first = await account("assessor", "Ada First");
    const second = await account("assessor", "Ben Second");
    // Both claim at once; on PostgreSQL the two really overlap, and either may win.
    const [a, b] = await Promise.all([claimForMarking(db, submissionId, first, t0), claimForMarking(db, submissionId, second, t0)]);
    const [winner, loser, lost] = a.ok ? [first, second, b] : [second, first, a];
    expect([a, b].filter((r) => r.ok)).toEqual([{ ok: true, value: null }]);
    expect(lost).toEqual({ ok: false, status: 409, message: `${winner.name} is already marking this submission.`, fieldErrors: {} });
    expect(await recordMark(db, submissionId, loser, markInput("pass", true), t0)).toMatchObject({ ok: false, status: 409, message: `${winner.name} is already marking this submission.` });
    const queue = await listMarkingQueue(db, loser, addMs(t0, 3 * HOUR));
    expect(queue.toMark.find((i) => i.id === submissionId)).toMatchObject({ holder: winner.name, waiting: "3 hours" });
    // Handing it back lets the other assessor take it.
    expect(await returnToQueue(db, submissionId, winner, t0)).toMatchObject({ ok: true });
    expect(await claimForMarking(db, submissionId, loser, t0)).toMatchObject({ ok: true });
  });

  it("refuses a pass while a must-meet criterion is not met", async () => {
    const { submissionId } = await trainerWithSubmission();
    const assessor = await account("assessor", "Cara Careful");
    await claimForMarking(db, submissionId, assessor, t0);
    const refused = await recordMark(db, submissionId, assessor, markInput("pass", false), t0);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.status).toBe(400);
    expect(refused.fieldErrors?.outcome).toMatch(/^A report cannot pass while a must-meet criterion is not met: "Objective and factual"/);
    const noComment = markInput("refer", false);
    noComment.criteria[0]!.comment = "";
    const refusedComment = await recordMark(db, submissionId, assessor, noComment, t0);
    expect(!refusedComment.ok && refusedComment.fieldErrors?.[`comment.${task().rubric[0]!.id}`]).toMatch(/Say why/);
    expect(await db.selectFrom("report_mark").selectAll().where("submission_id", "=", submissionId).execute()).toEqual([]);
    const accepted = await recordMark(db, submissionId, assessor, markInput("refer", false), t0);
    expect(accepted).toEqual({ ok: true, value: { released: true, moderationRequired: false } });
  });

  it("refuses an empty mark naming every missing field at once, the outcome among them, and saves nothing (issue 13.11)", async () => {
    const { submissionId } = await trainerWithSubmission();
    const assessor = await account("assessor", "Emi Empty");
    await claimForMarking(db, submissionId, assessor, t0);
    const refused = await recordMark(db, submissionId, assessor, { outcome: null, feedback: "", criteria: [] }, t0);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.status).toBe(400);
    expect(refused.message).toBe("Some of the mark needs attention.");
    expect(Object.keys(refused.fieldErrors ?? {}).sort()).toEqual([...task().rubric.map((c) => `level.${c.id}`), "feedback", "outcome"].sort());
    expect(refused.fieldErrors?.outcome).toBe("Choose Pass or Refer.");
    // Only the outcome missing: that is the message.
    const noOutcome = await recordMark(db, submissionId, assessor, { ...markInput("refer", true), outcome: null }, t0);
    expect(!noOutcome.ok && [noOutcome.message, noOutcome.fieldErrors]).toEqual(["Choose Pass or Refer.", { outcome: "Choose Pass or Refer." }]);
    expect(await db.selectFrom("report_mark").selectAll().where("submission_id", "=", submissionId).execute()).toEqual([]);
  });

  it("hides marks and feedback from the trainer until release, then shows them", async () => {
    const admin = await account("admin", "Moderation Admin");
    await updateMarkingSettings(db, admin.id, { referralPercent: 100, passPercent: 0, blindMarking: false }, t0);
    try {
      const { trainer, submissionId } = await trainerWithSubmission();
      const marker = await account("assessor", "Mark Er");
      await claimForMarking(db, submissionId, marker, t0);
      const marked = await recordMark(db, submissionId, marker, markInput("refer", false, "SECRET-FEEDBACK-TEXT"), t0);
      expect(marked).toEqual({ ok: true, value: { released: false, moderationRequired: true } });
      const before = await getSubmissionForTrainer(db, submissionId, trainer.id);
      expect(before.ok && before.value.released).toBeNull();
      expect(before.ok && before.value.status).toBe("in-marking");
      expect(JSON.stringify(before)).not.toMatch(/SECRET-FEEDBACK-TEXT|Comment on|refer|"outcome"/);
      expect(JSON.stringify(await getTaskPage(db, trainer.id))).not.toMatch(/SECRET-FEEDBACK-TEXT|Comment on/);
      expect(await getReportTaskOutcome(db, trainer.id)).toEqual({ passed: false, releasedAt: null, moduleVersionId: null });

      const moderator = await account("assessor", "Mo Derator");
      expect(await claimForModeration(db, submissionId, marker, t0)).toMatchObject({ ok: false, status: 403 });
      expect(await claimForModeration(db, submissionId, moderator, t0)).toMatchObject({ ok: true });
      expect(await recordModeration(db, submissionId, moderator, { decision: "agree", note: "" }, addMs(t0, HOUR))).toEqual({ ok: true, value: { released: true } });
      const after = await getSubmissionForTrainer(db, submissionId, trainer.id);
      expect(after.ok && after.value.released).toMatchObject({ outcome: "refer", feedback: "SECRET-FEEDBACK-TEXT", releasedAt: iso(addMs(t0, HOUR)) });
      expect(after.ok && after.value.released?.criteria.find((c) => !c.met)?.comment).toBe("Comment on Objective and factual");
      expect((await getReportTaskSummary(db, trainer.id)).state).toBe("referred");
    } finally {
      await updateMarkingSettings(db, admin.id, { referralPercent: 0, passPercent: 0, blindMarking: false }, t0);
    }
  });

  it("does not let a trainer read another trainer's submission", async () => {
    const { submissionId } = await trainerWithSubmission();
    const other = await account("trainer", "Nosy Parker");
    expect(await getSubmissionForTrainer(db, submissionId, other.id)).toMatchObject({ ok: false, status: 403 });
    expect(await getSubmissionForTrainer(db, 999_999, other.id)).toMatchObject({ ok: false, status: 404 });
  });

  it("shows a candidate number instead of the name when blind marking is on", async () => {
    const admin = await account("admin", "Blind Admin");
    await updateMarkingSettings(db, admin.id, { referralPercent: 0, passPercent: 0, blindMarking: true }, t0);
    try {
      const { submissionId } = await trainerWithSubmission("Visible Name");
      const assessor = await account("assessor", "Blind Assessor");
      const view = await getMarkingView(db, submissionId, assessor);
      expect(view.ok && view.value.candidate).toMatch(/^Candidate C-\d{8}$/);
      expect(JSON.stringify(view)).not.toContain("Visible Name");
      const queue = await listMarkingQueue(db, assessor, t0);
      expect(JSON.stringify(queue)).not.toContain("Visible Name");
    } finally {
      await updateMarkingSettings(db, admin.id, { referralPercent: 0, passPercent: 0, blindMarking: false }, t0);
    }
  });
});

describe("moderation", () => {
  it("draws a random candidate number for every submission: nothing in it comes from the trainer (issue 16.11)", async () => {
    const { trainer, submissionId } = await trainerWithSubmission("Cal Candidate");
    const assessor = await account("assessor", "Number Assessor");
    await claimForMarking(db, submissionId, assessor, t0);
    await recordMark(db, submissionId, assessor, markInput("refer", false, "Again."), t0);
    const second = await submitReport(db, trainer.id, `${REPORT} again`, addMs(t0, HOUR));
    if (!second.ok) throw new Error("refused");
    const numbers = await db.selectFrom("report_submission").select(["user_id", "candidate_number"]).where("user_id", "=", trainer.id).orderBy("version").execute();
    expect(numbers).toHaveLength(2);
    for (const n of numbers) expect(n.candidate_number).toMatch(/^C-\d{8}$/);
    // The same trainer's two versions carry different numbers: the number is not a function of
    // the trainer (an unkeyed hash of the user id would repeat, and could be undone).
    expect(numbers[0]!.candidate_number).not.toBe(numbers[1]!.candidate_number);
    // And no number anywhere contains its trainer's id.
    const all = await db.selectFrom("report_submission").select(["user_id", "candidate_number"]).execute();
    expect(new Set(all.map((r) => r.candidate_number)).size).toBe(all.length);
  });

  it("samples deterministically: every referral and about 10% of passes by default", () => {
    const defaults = { referralPercent: 100, passPercent: 10 };
    const ids = Array.from({ length: 2000 }, (_, i) => i + 1);
    expect(ids.every((id) => needsModeration(id, "refer", defaults))).toBe(true);
    const sampled = ids.filter((id) => needsModeration(id, "pass", defaults)).length;
    expect(sampled).toBeGreaterThan(140);
    expect(sampled).toBeLessThan(260);
    expect(ids.map(moderationDraw)).toEqual(ids.map(moderationDraw));
    expect(ids.every((id) => needsModeration(id, "pass", { referralPercent: 0, passPercent: 100 }))).toBe(true);
    expect(ids.some((id) => needsModeration(id, "refer", { referralPercent: 0, passPercent: 100 }))).toBe(false);
  });

  it("a moderator who disagrees records a reason; an admin resolves; the agreed outcome is released and the hook runs", async () => {
    const admin = await account("admin", "Resolving Admin");
    await updateMarkingSettings(db, admin.id, { referralPercent: 100, passPercent: 100, blindMarking: false }, t0);
    // What runs inside the release's transaction for a pass (app/approval/ issues the certificate there).
    const calls: number[] = [];
    const onPassReleased = async (trx: Trx, userId: number) => {
      expect(trx.isTransaction).toBe(true);
      calls.push(userId);
    };
    try {
      const { trainer, submissionId } = await trainerWithSubmission();
      const marker = await account("assessor", "Strict Marker");
      const moderator = await account("assessor", "Kind Moderator");
      await claimForMarking(db, submissionId, marker, t0);
      expect(await recordMark(db, submissionId, marker, markInput("refer", false), t0)).toMatchObject({ ok: true, value: { released: false } });
      await claimForModeration(db, submissionId, moderator, t0);
      const sameOutcome = await recordModeration(db, submissionId, moderator, { decision: "different", reason: "x", ...markInput("refer", false) }, t0);
      expect(!sameOutcome.ok && sameOutcome.fieldErrors?.outcome).toMatch(/If you agree with the outcome/);
      const noReason = await recordModeration(db, submissionId, moderator, { decision: "different", reason: " ", ...markInput("pass", true) }, t0);
      expect(!noReason.ok && noReason.fieldErrors?.reason).toMatch(/Give the reason/);
      expect(await recordModeration(db, submissionId, moderator, { decision: "different", reason: "The report is factual throughout.", ...markInput("pass", true, "Well done.") }, t0)).toEqual({
        ok: true,
        value: { released: false },
      });
      expect((await getSubmissionForTrainer(db, submissionId, trainer.id)).ok && (await getSubmissionForTrainer(db, submissionId, trainer.id))).toMatchObject({ value: { released: null } });

      const view = await getMarkingView(db, submissionId, admin);
      if (!view.ok) throw new Error(view.message ?? "refused");
      expect(view.value.status).toBe("disputed");
      expect(view.value.can.resolve).toBe(true);
      const moderatorMark = view.value.marks.find((m) => m.role === "moderator")!;
      expect(await resolveDisagreement(db, submissionId, marker, { chosenMarkId: moderatorMark.id, reason: "x" }, t0)).toMatchObject({ ok: false, status: 403 });
      expect(await resolveDisagreement(db, submissionId, admin, { chosenMarkId: moderatorMark.id, reason: "" }, t0)).toMatchObject({ ok: false, status: 400 });
      const released = addMs(t0, 2 * HOUR);
      expect(await resolveDisagreement(db, submissionId, admin, { chosenMarkId: moderatorMark.id, reason: "Agree with the moderator." }, released, onPassReleased)).toEqual({ ok: true, value: { outcome: "pass" } });

      const trainerView = await getSubmissionForTrainer(db, submissionId, trainer.id);
      expect(trainerView.ok && trainerView.value.released).toMatchObject({ outcome: "pass", feedback: "Well done.", moderationNote: "The report is factual throughout." });
      expect(await getReportTaskOutcome(db, trainer.id)).toEqual({ passed: true, releasedAt: iso(released), moduleVersionId: await currentModuleVersionId(db, "report-writing", t0) });
      expect(calls).toEqual([trainer.id]);
      expect(await getReportTaskSummary(db, trainer.id)).toEqual({ state: "passed", date: iso(released) });
      // A released outcome is final, and marks are append-only.
      await expect(db.updateTable("report_submission").set({ outcome: "refer" }).where("id", "=", submissionId).execute()).rejects.toThrow(/never changes/);
      await expect(db.updateTable("report_mark").set({ outcome: "refer" }).where("id", "=", moderatorMark.id).execute()).rejects.toThrow(/append-only/);
      await expect(db.deleteFrom("report_mark_criterion").execute()).rejects.toThrow(/append-only/);
    } finally {
      await updateMarkingSettings(db, admin.id, { referralPercent: 0, passPercent: 0, blindMarking: false }, t0);
    }
  });
});

describe("resubmission and audit", () => {
  it("after a referral the trainer submits a new version; every version and mark is kept and the audit trail has each step", async () => {
    const { trainer, submissionId } = await trainerWithSubmission("Rae Resubmit");
    const assessor = await account("assessor", "Audit Assessor");
    await claimForMarking(db, submissionId, assessor, t0);
    await recordMark(db, submissionId, assessor, markInput("refer", false, "Try again."), t0);
    const page = await getTaskPage(db, trainer.id);
    expect(page.editor).toMatchObject({ body: REPORT, fromPreviousVersion: true });

    const second = await submitReport(db, trainer.id, `${REPORT} revised`, addMs(t0, HOUR));
    expect(second).toMatchObject({ ok: true, value: { version: 2 } });
    if (!second.ok) return;
    await claimForMarking(db, second.value.submissionId, assessor, addMs(t0, HOUR));
    await recordMark(db, second.value.submissionId, assessor, markInput("pass", true, "Good."), addMs(t0, 2 * HOUR));

    const history = (await getTaskPage(db, trainer.id)).history;
    expect(history.map((h) => [h.version, h.status])).toEqual([
      [2, "passed"],
      [1, "referred"],
    ]);
    const v1 = await getSubmissionForTrainer(db, submissionId, trainer.id);
    expect(v1.ok && v1.value).toMatchObject({ body: REPORT, released: { outcome: "refer", feedback: "Try again." } });
    const marks = await db.selectFrom("report_mark").select(["submission_id", "outcome"]).where("submission_id", "in", [submissionId, second.value.submissionId]).orderBy("id").execute();
    expect(marks).toEqual([
      { submission_id: submissionId, outcome: "refer" },
      { submission_id: second.value.submissionId, outcome: "pass" },
    ]);
    expect(await submitReport(db, trainer.id, REPORT, t0)).toMatchObject({ ok: false, status: 409 });

    const events = (await listAuditEvents(db, { subjectType: "report_submission", limit: 1000 })).filter((e) => [String(submissionId), String(second.value.submissionId)].includes(e.subject_id ?? ""));
    expect(events.map((e) => [e.action, e.actor_user_id]).reverse()).toEqual([
      ["report.submitted", trainer.id],
      ["report.marking_started", assessor.id],
      ["report.marked", assessor.id],
      ["report.released", assessor.id],
      ["report.submitted", trainer.id],
      ["report.marking_started", assessor.id],
      ["report.marked", assessor.id],
      ["report.released", assessor.id],
    ]);
    expect(events.every((e) => e.occurred_at)).toBe(true);
  });
});
