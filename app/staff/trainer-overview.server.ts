/**
 * One trainer, as staff see them (issue 13 item 10): entry requirements with their evidence,
 * module progress and attempts, report submissions and marks, agreement acceptances, certificates
 * and their history, and the audit entries about them. Set-based: a fixed number of queries
 * whatever the trainer's history (tests/unit/staff-lists-scale.test.ts counts them).
 *
 * DBS certificate details are never read here: all staff see the DBS decision; admins get a link
 * to the DBS record, whose opening is audited (ADR 0006).
 */
import type { DB } from "~db/connection";
import type { Role } from "~db/schema";
import type { AuditRow } from "~/audit/audit.server";
import { certificateStatus } from "~/certificates/status";
import { trainerStatusFacts } from "~/certificates/public.server";
import { dateOf } from "~/utils/dates";
import { getTrainerRequirements } from "~/evidence/requirements.server";
import { getModuleProgress, listAttemptsForTrainer } from "~/learning/progress.server";
import { versionLabel } from "~/content/catalog.server";
import { percentShown } from "~/assessment/rules";

/** The newest audit entries shown; the audit trail page has the rest (filtered by subject). */
export const OVERVIEW_AUDIT_LIMIT = 100;

export async function findTrainer(db: DB, userId: number) {
  return db
    .selectFrom("user")
    .select(["id", "name", "email", "created_at", "disabled_at", "email_confirmed_at"])
    .where("id", "=", userId)
    .where("role", "=", "trainer")
    .executeTakeFirst();
}

function listSubmissions(db: DB, userId: number) {
  return db
    .selectFrom("report_submission")
    .leftJoin("report_mark", "report_mark.submission_id", "report_submission.id")
    .leftJoin("user as assessor", "assessor.id", "report_mark.assessor_id")
    .select([
      "report_submission.id",
      "report_submission.version",
      "report_submission.module_slug",
      "report_submission.candidate_number",
      "report_submission.word_count",
      "report_submission.submitted_at",
      "report_submission.status",
      "report_submission.outcome",
      "report_submission.released_at",
      "report_submission.released_mark_id",
      "report_mark.id as mark_id",
      "report_mark.role as mark_role",
      "report_mark.outcome as mark_outcome",
      "report_mark.created_at as marked_at",
      "assessor.name as assessor_name",
    ])
    .where("report_submission.user_id", "=", userId)
    .orderBy("report_submission.id", "desc")
    .orderBy("report_mark.id")
    .execute();
}

function listCertificates(db: DB, userId: number) {
  return db
    .selectFrom("certificate")
    .select(["id", "user_id", "issued_at", "expires_on", "validity_ends_on", "expiry_basis", "superseded_by", "superseded_at", "suspended_at", "suspension_reason", "suspension_category", "revoked_at", "revocation_reason"])
    .where("user_id", "=", userId)
    .orderBy("issued_at", "desc")
    .orderBy("id", "desc")
    .execute();
}

function listAcceptances(db: DB, userId: number) {
  return db.selectFrom("agreement_acceptance").select(["id", "agreement_version", "typed_name", "accepted_at"]).where("user_id", "=", userId).orderBy("id", "desc").execute();
}

/** Audit entries whose subject is the trainer or one of their records: one query, by the subject index. */
async function auditAbout(db: DB, subjects: { type: string; ids: (string | number)[] }[]): Promise<AuditRow[]> {
  const wanted = subjects.filter((s) => s.ids.length > 0);
  return db
    .selectFrom("audit_event")
    .leftJoin("user as actor", "actor.id", "audit_event.actor_user_id")
    .selectAll("audit_event")
    .select(["actor.name as actor_name", "actor.email as actor_email"])
    .where((eb) => eb.or(wanted.map((s) => eb.and([eb("audit_event.subject_id", "in", s.ids.map(String)), eb("audit_event.subject_type", "=", s.type)]))))
    .orderBy("audit_event.id", "desc")
    .limit(OVERVIEW_AUDIT_LIMIT)
    .execute();
}

type Submission = Awaited<ReturnType<typeof listSubmissions>>[number];

/** One row per submission, with its marks (marker, moderator) in order. */
function groupSubmissions(rows: Submission[]) {
  const byId = new Map<number, { id: number; version: number; moduleSlug: string; candidateNumber: string; wordCount: number; submittedAt: string; status: string; outcome: string | null; releasedAt: string | null; marks: { role: string; outcome: string; by: string | null; at: string; released: boolean }[] }>();
  for (const r of rows) {
    let s = byId.get(r.id);
    if (!s) {
      s = { id: r.id, version: r.version, moduleSlug: r.module_slug, candidateNumber: r.candidate_number, wordCount: r.word_count, submittedAt: r.submitted_at, status: r.status, outcome: r.outcome, releasedAt: r.released_at, marks: [] };
      byId.set(r.id, s);
    }
    if (r.mark_id !== null && r.mark_role && r.mark_outcome && r.marked_at) s.marks.push({ role: r.mark_role, outcome: r.mark_outcome, by: r.assessor_name, at: r.marked_at, released: r.released_mark_id === r.mark_id });
  }
  return [...byId.values()];
}

/**
 * The live status of the newest certificate. The facts are read whether or not a certificate
 * needs them, so the page costs the same statements for every trainer.
 */
async function currentCertificate(db: DB, userId: number, newest: Awaited<ReturnType<typeof listCertificates>>[number] | undefined, now: Date) {
  const facts = await trainerStatusFacts(db, userId, now);
  if (!newest) return null;
  return { id: newest.id, issuedAt: newest.issued_at, expiresOn: newest.expires_on, live: certificateStatus(newest, facts, dateOf(now)) };
}

const DECISIONS = { "certificate.suspended": "suspended", "certificate.reinstated": "reinstated", "certificate.revoked": "revoked" } as const;

/**
 * Staff decisions on the trainer's certificates, oldest first, with the reason staff gave: one
 * statement for every trainer, with or without certificates (the audit entries below are capped;
 * this history is not).
 */
async function certificateDecisions(db: DB, trainerId: number) {
  const rows = await db
    .selectFrom("audit_event")
    .select(["subject_id", "action", "occurred_at", "details"])
    .where("subject_type", "=", "certificate")
    .where("subject_id", "in", db.selectFrom("certificate").select("certificate.id").where("certificate.user_id", "=", trainerId))
    .where("action", "in", Object.keys(DECISIONS))
    .orderBy("id")
    .execute();
  return rows.map((r) => {
    let reason: string | null = null;
    try {
      const parsed = JSON.parse(r.details ?? "{}") as { reason?: unknown };
      reason = typeof parsed.reason === "string" ? parsed.reason : null;
    } catch {
      reason = null;
    }
    return { certificateId: r.subject_id!, what: DECISIONS[r.action as keyof typeof DECISIONS], at: r.occurred_at, reason };
  });
}

export async function getTrainerOverview(db: DB, trainer: { id: number }, viewerRole: Role, now: Date) {
  const id = trainer.id;
  const [requirements, modules, attempts, submissionRows, acceptances, certificates] = await Promise.all([
    getTrainerRequirements(db, id, now),
    getModuleProgress(db, id, now),
    listAttemptsForTrainer(db, id),
    listSubmissions(db, id),
    listAcceptances(db, id),
    listCertificates(db, id),
  ]);
  const [current, decisions, audit] = await Promise.all([currentCertificate(db, id, certificates[0], now), certificateDecisions(db, id), auditAbout(db, [
    { type: "user", ids: [id] },
    { type: "qualification", ids: requirements.qualifications.map((q) => q.id) },
    { type: "insurance_policy", ids: requirements.insurance.map((p) => p.id) },
    { type: "dbs_check", ids: requirements.dbs ? [requirements.dbs.id] : [] },
    { type: "assessment_attempt", ids: attempts.map((a) => a.id) },
    { type: "report_submission", ids: [...new Set(submissionRows.map((s) => s.id))] },
    { type: "certificate", ids: certificates.map((c) => c.id) },
  ])]);
  const { qualifications, insurance, dbs, status } = requirements;
  return {
    requirements: { qualifications, insurance, status, dbs: dbs ? { id: dbs.id, decision: dbs.decision, decidedAt: dbs.decided_at, recheckDueOn: dbs.recheck_due_on, recordedAt: dbs.created_at } : null },
    /** Only admins may open the DBS record (and its details); assessors see the decision. */
    dbsRecordLink: viewerRole === "admin" && dbs ? `/admin/dbs/${dbs.id}` : null,
    modules,
    // Scores to one decimal place, as the trainer saw them (issue 13.16).
    attempts: attempts.map((a) => ({ ...a, percent: percentShown(a.score ?? 0, a.total), versionLabel: versionLabel(a.content_hash) })),
    submissions: groupSubmissions(submissionRows),
    acceptances: acceptances.map((a) => ({ ...a, versionLabel: versionLabel(a.agreement_version) })),
    certificates: certificates.map((c) => ({ ...c, decisions: decisions.filter((d) => d.certificateId === c.id) })),
    currentCertificate: current,
    audit: audit.map((e) => ({ id: e.id, at: e.occurred_at, action: e.action, subjectType: e.subject_type, subjectId: e.subject_id, actor: e.actor_name, details: e.details })),
  };
}
