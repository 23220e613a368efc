/**
 * What a "download my data" ZIP holds (issue 17 item 3, ADR 0033): everything the academy keeps
 * about one trainer, as the trainer is entitled to see it. Each part is a JSON document or a
 * stored file; `manifest.json` lists them with what each is.
 *
 * What is left out, on purpose: password and session hashes, the assessment answer key (each
 * question's correct options and explanations: the bank is reused), report marks that have not
 * been released and the assessor-only marking key, staff notes on concerns and who raised a
 * concern unless the concern policy shares it, and other people's email addresses.
 */
import type { DB } from "~db/connection";
import { getAttemptForTrainer } from "~/assessment/attempts.server";
import { latestCredentialJson } from "~/certificates/credentials/issue-credential.server";
import { concernsAboutTrainer } from "~/concerns/concerns.server";
import { MEDIA_TYPE_EXTENSIONS } from "~/evidence/files.server";
import { trainerStatus } from "~/marking/labels";
import { releasedFeedback } from "~/marking/submissions.server";

/** One entry of the ZIP: JSON written by us, or bytes read from a store. */
export type ExportPart =
  | { path: string; description: string; kind: "json"; value: unknown }
  | { path: string; description: string; kind: "evidence"; storageName: string }
  | { path: string; description: string; kind: "bytes"; bytes: Uint8Array };

export interface ExportSubject {
  id: number;
  name: string;
  email: string;
}

const bool = (value: number | null) => (value === null ? null : value === 1);

/** A file name for the ZIP: the stored id and the sanitised display name, never a path. */
function evidencePath(file: { id: string; display_name: string; media_type: keyof typeof MEDIA_TYPE_EXTENSIONS }): string {
  const base = file.display_name.replace(/\.[^.]*$/, "").replace(/[^A-Za-z0-9 ._()-]/g, "_") || "evidence";
  return `entry-requirements/evidence/${file.id}-${base}.${MEDIA_TYPE_EXTENSIONS[file.media_type]}`;
}

async function profileParts(db: DB, subjectId: number): Promise<{ subject: ExportSubject; parts: ExportPart[] }> {
  const user = await db
    .selectFrom("user")
    .select(["id", "name", "email", "role", "email_confirmed_at", "disabled_at", "created_at", "updated_at"])
    .where("id", "=", subjectId)
    .executeTakeFirstOrThrow();
  const [listings, preference, notifications] = await Promise.all([
    db.selectFrom("register_listing").select(["area", "postcode_district", "profile", "consented_at", "withdrawn_at", "updated_at"]).where("user_id", "=", subjectId).orderBy("consented_at").execute(),
    db.selectFrom("notification_preference").select(["email_mode", "updated_at"]).where("user_id", "=", subjectId).executeTakeFirst(),
    db.selectFrom("notification").select(["kind", "title", "body", "link", "created_at", "read_at", "email"]).where("user_id", "=", subjectId).orderBy("id").execute(),
  ]);
  return {
    subject: { id: user.id, name: user.name, email: user.email },
    parts: [
      {
        path: "profile.json",
        description: "Your account: name, email address, role, when it was created and confirmed; your notification email choice; your public register listing (and any withdrawn one).",
        kind: "json",
        value: { account: user, notificationEmail: preference ?? null, registerListings: listings },
      },
      { path: "notifications.json", description: "The notifications shown to you in the academy, with when they were read.", kind: "json", value: notifications },
    ],
  };
}

async function entryRequirementParts(db: DB, subjectId: number): Promise<ExportPart[]> {
  const [qualifications, insurance, dbs, files] = await Promise.all([
    db.selectFrom("qualification").selectAll().where("user_id", "=", subjectId).orderBy("id").execute(),
    db.selectFrom("insurance_policy").selectAll().where("user_id", "=", subjectId).orderBy("id").execute(),
    db.selectFrom("dbs_check").selectAll().where("user_id", "=", subjectId).orderBy("id").execute(),
    db.selectFrom("evidence_file").selectAll().where("owner_user_id", "=", subjectId).orderBy("created_at").orderBy("id").execute(),
  ]);
  const statusChecks = dbs.length
    ? await db.selectFrom("dbs_status_check").select(["dbs_check_id", "checked_on", "result", "created_at"]).where("dbs_check_id", "in", dbs.map((d) => d.id)).orderBy("id").execute()
    : [];
  const pathOf = new Map(files.map((f) => [f.id, evidencePath(f)]));
  const decision = (r: { status: string; decided_at: string | null; rejection_reason: string | null }) => ({ status: r.status, decidedAt: r.decided_at, rejectionReason: r.rejection_reason });
  return [
    {
      path: "entry-requirements/qualifications.json",
      description: "Your qualifications as you entered them, with the assessor's decision; evidenceFile names the file in entry-requirements/evidence/.",
      kind: "json",
      value: qualifications.map((q) => ({
        id: q.id,
        kind: q.kind,
        level: q.level,
        awardingOrganisation: q.awarding_organisation,
        title: q.title,
        qualificationNumber: q.qualification_number,
        certificateNumber: q.certificate_number,
        issueDate: q.issue_date,
        evidenceFile: pathOf.get(q.evidence_file_id) ?? null,
        cpdEvidenceFile: q.cpd_evidence_file_id ? (pathOf.get(q.cpd_evidence_file_id) ?? null) : null,
        recordedAt: q.created_at,
        ...decision(q),
      })),
    },
    {
      path: "entry-requirements/insurance.json",
      description: "Your insurance policies as you entered them (limits in pence), with the assessor's decision and when a policy lapsed.",
      kind: "json",
      value: insurance.map((p) => ({
        id: p.id,
        insurer: p.insurer,
        policyNumber: p.policy_number,
        publicLiabilityPence: p.public_liability_pence,
        professionalIndemnityPence: p.professional_indemnity_pence,
        limitBasis: p.limit_basis,
        coveredActivities: p.covered_activities,
        territory: p.territory,
        startDate: p.start_date,
        endDate: p.end_date,
        evidenceFile: pathOf.get(p.evidence_file_id) ?? null,
        recordedAt: p.created_at,
        expiredAt: p.expired_at,
        ...decision(p),
      })),
    },
    {
      path: "entry-requirements/dbs.json",
      description:
        "Your Enhanced DBS details as you entered them, the decision and re-check dates, the Update Service status checks, and when the original was seen. The certificate number and issue date are null once erased after the retention period (detailsErasedAt).",
      kind: "json",
      value: dbs.map((d) => ({
        id: d.id,
        certificateNumber: d.details_erased_at ? null : d.certificate_number,
        issueDate: d.details_erased_at ? null : d.issue_date,
        detailsErasedAt: d.details_erased_at,
        adultsBarredList: bool(d.adults_barred_list),
        childrenBarredList: bool(d.children_barred_list),
        workforce: d.workforce,
        updateServiceSubscribed: bool(d.update_service_subscribed),
        statusCheckConsent: bool(d.status_check_consent),
        willShowOriginal: bool(d.will_show_original),
        recordedAt: d.created_at,
        decision: d.decision,
        decidedAt: d.decided_at,
        recheckDueOn: d.recheck_due_on,
        originalSeenOn: d.original_seen_on,
        originalSeenHow: d.original_seen_how,
        viewingContactRequestedAt: d.viewing_contact_requested_at,
        viewingContactNote: d.viewing_contact_note,
        statusChecks: statusChecks.filter((s) => s.dbs_check_id === d.id).map((s) => ({ checkedOn: s.checked_on, result: s.result, recordedAt: s.created_at })),
      })),
    },
    {
      path: "entry-requirements/evidence-files.json",
      description: "Every evidence file you uploaded: its name as you gave it, type, size, SHA-256 and where it is in this ZIP.",
      kind: "json",
      value: files.map((f) => ({ id: f.id, fileName: f.display_name, mediaType: f.media_type, sizeBytes: f.size_bytes, sha256: f.sha256, uploadedAt: f.created_at, path: pathOf.get(f.id) })),
    },
    ...files.map((f): ExportPart => ({ path: pathOf.get(f.id)!, description: `Evidence file you uploaded (${f.display_name}).`, kind: "evidence", storageName: f.storage_name })),
  ];
}

async function learningParts(db: DB, subjectId: number): Promise<ExportPart[]> {
  const [attempts, progress] = await Promise.all([
    db.selectFrom("assessment_attempt").selectAll().where("user_id", "=", subjectId).orderBy("started_at").orderBy("id").execute(),
    db.selectFrom("section_progress").select(["module_slug", "module_version_id", "section_id", "completed_at"]).where("user_id", "=", subjectId).orderBy("completed_at").execute(),
  ]);
  const withAnswers = [];
  for (const attempt of attempts) {
    const view = await getAttemptForTrainer(db, attempt.id, subjectId);
    withAnswers.push({
      id: attempt.id,
      module: attempt.module_slug,
      startedAt: attempt.started_at,
      submittedAt: attempt.submitted_at,
      passMark: attempt.pass_mark,
      score: attempt.score,
      total: attempt.total,
      percent: attempt.percent,
      passed: bool(attempt.passed),
      questions: view.ok ? view.value.questions.map((q) => ({ position: q.position, prompt: q.prompt, caseStudy: q.caseStudy?.title ?? null, options: q.options, yourAnswer: q.selected })) : [],
    });
  }
  return [
    {
      path: "modules/attempts.json",
      description: "Your end-of-module assessment attempts: score and result, and each question as shown to you with the options you chose (the answer key is not included).",
      kind: "json",
      value: withAnswers,
    },
    { path: "modules/sections-completed.json", description: "The module sections you completed, and when.", kind: "json", value: progress },
  ];
}

async function reportParts(db: DB, subjectId: number): Promise<ExportPart[]> {
  const [rows, draft] = await Promise.all([
    db.selectFrom("report_submission").selectAll().where("user_id", "=", subjectId).orderBy("version").execute(),
    db.selectFrom("report_draft").select(["body", "word_count", "saved_at"]).where("user_id", "=", subjectId).executeTakeFirst(),
  ]);
  const submissions = [];
  for (const row of rows) {
    // Only a released outcome reaches the trainer: never a mark still being made or moderated.
    submissions.push({
      version: row.version,
      submittedAt: row.submitted_at,
      wordCount: row.word_count,
      status: trainerStatus(row.status, row.outcome),
      body: row.body,
      releasedFeedback: await releasedFeedback(db, row),
    });
  }
  return [
    {
      path: "report-task/submissions.json",
      description: "Your report-writing submissions as you sent them, where each stands, and the assessor's feedback once the outcome was released (marks not yet released are not included).",
      kind: "json",
      value: { submissions, draft: draft ? { body: draft.body, wordCount: draft.word_count, savedAt: draft.saved_at } : null },
    },
  ];
}

async function certificateParts(db: DB, subjectId: number): Promise<ExportPart[]> {
  const [acceptances, certificates] = await Promise.all([
    db.selectFrom("agreement_acceptance").select(["agreement_version", "typed_name", "accepted_at"]).where("user_id", "=", subjectId).orderBy("accepted_at").execute(),
    db.selectFrom("certificate").selectAll().where("user_id", "=", subjectId).orderBy("issued_at").execute(),
  ]);
  const parts: ExportPart[] = [
    { path: "agreement/acceptances.json", description: "Each scope of practice agreement version you accepted, the name you typed, and when.", kind: "json", value: acceptances },
    {
      path: "certificates/certificates.json",
      description: "Your certificates as issued (the facts they were issued on), with any suspension, revocation or replacement; each has its PDF and signed credential beside it.",
      kind: "json",
      value: certificates.map((c) => ({
        id: c.id,
        trainerName: c.trainer_name,
        issuedAt: c.issued_at,
        expiresOn: c.expires_on,
        expiryBasis: c.expiry_basis,
        agreementVersion: c.agreement_version,
        modules: JSON.parse(c.modules_json) as unknown,
        report: JSON.parse(c.report_json) as unknown,
        scope: JSON.parse(c.scope_json) as unknown,
        supersededBy: c.superseded_by,
        supersededAt: c.superseded_at,
        suspendedAt: c.suspended_at,
        suspensionReason: c.suspension_reason,
        revokedAt: c.revoked_at,
        revocationReason: c.revocation_reason,
      })),
    },
  ];
  for (const c of certificates) {
    if (c.pdf) parts.push({ path: `certificates/${c.id}.pdf`, description: `Certificate ${c.id} as a PDF.`, kind: "bytes", bytes: new Uint8Array(c.pdf) });
    const credential = await latestCredentialJson(db, c.id);
    if (credential) parts.push({ path: `certificates/${c.id}.credential.json`, description: `Certificate ${c.id}'s signed Open Badges 3.0 credential.`, kind: "bytes", bytes: new TextEncoder().encode(credential) });
  }
  return parts;
}

async function oversightParts(db: DB, subjectId: number): Promise<ExportPart[]> {
  const [supervision, sessions, concerns] = await Promise.all([
    db
      .selectFrom("supervision")
      .innerJoin("user as supervisor", "supervisor.id", "supervision.supervisor_user_id")
      .select(["supervisor.name as supervisorName", "supervision.assigned_at as assignedAt", "supervision.next_due_on as nextDueOn"])
      .where("supervision.trainer_user_id", "=", subjectId)
      .executeTakeFirst(),
    db
      .selectFrom("supervision_session")
      .innerJoin("user as supervisor", "supervisor.id", "supervision_session.supervisor_user_id")
      .select(["supervision_session.id", "supervisor.name as supervisorName", "held_on", "mode", "topics", "summary", "next_due_on", "recorded_at", "confirmed_at"])
      .where("supervision_session.trainer_user_id", "=", subjectId)
      .orderBy("held_on")
      .orderBy("supervision_session.id")
      .execute(),
    concernsAboutTrainer(db, subjectId),
  ]);
  const actions = sessions.length ? await db.selectFrom("supervision_action").select(["session_id", "description", "due_on"]).where("session_id", "in", sessions.map((s) => s.id)).orderBy("id").execute() : [];
  const shares = await db
    .selectFrom("oversight_report_share")
    .select(["recipient_name", "recipient_organisation", "recipient_email", "created_at", "sent_at", "expires_at", "declined_at", "revoked_at", "view_count", "last_viewed_at"])
    .where("trainer_user_id", "=", subjectId)
    .orderBy("created_at")
    .execute();
  return [
    {
      path: "supervision/supervision.json",
      description: "Your supervisor, each supervision session recorded with you (summary, topics, agreed actions, when you confirmed it) and when the next is due.",
      kind: "json",
      value: {
        supervision: supervision ?? null,
        sessions: sessions.map((s) => ({
          heldOn: s.held_on,
          mode: s.mode,
          supervisorName: s.supervisorName,
          topics: s.topics.split(",").filter(Boolean),
          summary: s.summary,
          actions: actions.filter((a) => a.session_id === s.id).map((a) => ({ description: a.description, dueOn: a.due_on })),
          nextDueOn: s.next_due_on,
          recordedAt: s.recorded_at,
          confirmedAt: s.confirmed_at,
        })),
      },
    },
    {
      path: "supervision/concerns.json",
      description: "Concerns raised about you, as you are told about them: category, when, whether open, the outcome; who raised one only where the academy's policy shares it.",
      kind: "json",
      value: concerns,
    },
    { path: "oversight-reports.json", description: "The oversight reports you sent to commissioners, to whom, and how often each was opened.", kind: "json", value: shares },
  ];
}

/** The audit entries about the trainer and their records, and those of their own actions. */
async function auditPart(db: DB, subjectId: number): Promise<ExportPart> {
  const [qualifications, insurance, dbs, attempts, submissions, certificates] = await Promise.all([
    db.selectFrom("qualification").select("id").where("user_id", "=", subjectId).execute(),
    db.selectFrom("insurance_policy").select("id").where("user_id", "=", subjectId).execute(),
    db.selectFrom("dbs_check").select("id").where("user_id", "=", subjectId).execute(),
    db.selectFrom("assessment_attempt").select("id").where("user_id", "=", subjectId).execute(),
    db.selectFrom("report_submission").select("id").where("user_id", "=", subjectId).execute(),
    db.selectFrom("certificate").select("id").where("user_id", "=", subjectId).execute(),
  ]);
  const subjects = [
    { type: "user", ids: [subjectId] },
    { type: "qualification", ids: qualifications.map((r) => r.id) },
    { type: "insurance_policy", ids: insurance.map((r) => r.id) },
    { type: "dbs_check", ids: dbs.map((r) => r.id) },
    { type: "assessment_attempt", ids: attempts.map((r) => r.id) },
    { type: "report_submission", ids: submissions.map((r) => r.id) },
    { type: "certificate", ids: certificates.map((r) => r.id) },
  ].filter((s) => s.ids.length > 0);
  const rows = await db
    .selectFrom("audit_event")
    .leftJoin("user as actor", "actor.id", "audit_event.actor_user_id")
    .select(["audit_event.id", "occurred_at", "action", "subject_type", "subject_id", "details", "actor.name as actor_name"])
    .where((eb) =>
      eb.or([
        eb("audit_event.actor_user_id", "=", subjectId),
        ...subjects.map((s) => eb.and([eb("audit_event.subject_type", "=", s.type), eb("audit_event.subject_id", "in", s.ids.map(String))])),
      ]),
    )
    .orderBy("audit_event.id")
    .execute();
  return {
    path: "audit.json",
    description: "Entries of the academy's audit trail about you and your records, and those of your own actions: when, what, by whom (a name, or null for the system).",
    kind: "json",
    value: rows.map((r) => ({ id: r.id, at: r.occurred_at, action: r.action, subjectType: r.subject_type, subjectId: r.subject_id, by: r.actor_name, details: JSON.parse(r.details) as unknown })),
  };
}

/** Every part of one trainer's export, in the order the ZIP holds them (the manifest comes first). */
export async function collectExportParts(db: DB, subjectId: number): Promise<{ subject: ExportSubject; parts: ExportPart[] }> {
  const profile = await profileParts(db, subjectId);
  const parts = [
    ...profile.parts,
    ...(await entryRequirementParts(db, subjectId)),
    ...(await learningParts(db, subjectId)),
    ...(await reportParts(db, subjectId)),
    ...(await certificateParts(db, subjectId)),
    ...(await oversightParts(db, subjectId)),
    await auditPart(db, subjectId),
  ];
  return { subject: profile.subject, parts };
}
