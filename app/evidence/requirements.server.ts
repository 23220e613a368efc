import type { DB } from "~db/connection";
import { recordAudit } from "~/audit/audit.server";
import { notifyStaff } from "~/notifications/notify.server";
import { iso } from "~/utils/clock";
import { validate } from "~/utils/forms";
import { invalid, ok, type Result } from "~/utils/result";
import { getPolicy } from "~/policy/policy.server";
import { ukToday } from "~/utils/dates";
import { FILE_MESSAGES, commitEvidenceFile, discardStagedFiles, removeEvidenceFiles, type ReceivedEvidenceForm, type StagedFile } from "./files.server";
import { dbsSectionStatus, insuranceSectionStatus, qualificationSectionStatus } from "./status";
import { insuranceCrossFieldErrors, insuranceSchema, needsCpdEvidence, qualificationSchema } from "./validation";

export const QUALIFICATION_FILE_FIELDS = ["evidence", "cpdEvidence"] as const;
export const INSURANCE_FILE_FIELDS = ["evidence"] as const;

export const CPD_MESSAGE =
  "This qualification is more than five years old: upload evidence of recent CPD (continuing professional development) as well.";

interface Context {
  evidenceDir: string;
  now: Date;
}

/** Stores staged files permanently and runs `insert` in one transaction; on failure removes the files again. */
async function commitWithFiles<T>(
  db: DB,
  userId: number,
  staged: Record<string, StagedFile>,
  ctx: Context,
  insert: (trx: DB, fileIds: Record<string, string>) => Promise<T>,
): Promise<T> {
  const committed: Awaited<ReturnType<typeof commitEvidenceFile>>[] = [];
  const fileIds: Record<string, string> = {};
  try {
    for (const [field, file] of Object.entries(staged)) {
      const row = await commitEvidenceFile(db, file, ctx.evidenceDir, userId, ctx.now);
      committed.push(row);
      fileIds[field] = row.id;
    }
    return await db.transaction().execute(async (trx) => {
      for (const row of committed) await trx.insertInto("evidence_file").values(row).execute();
      return insert(trx, fileIds);
    });
  } catch (error) {
    await removeEvidenceFiles(db, ctx.evidenceDir, committed.map((r) => r.storage_name));
    await discardStagedFiles(Object.values(staged));
    throw error;
  }
}

function present(files: Partial<Record<string, StagedFile>>): Record<string, StagedFile> {
  return Object.fromEntries(Object.entries(files).filter((e): e is [string, StagedFile] => e[1] !== undefined));
}

export async function submitQualification(db: DB, userId: number, form: ReceivedEvidenceForm, ctx: Context): Promise<Result<{ id: number }>> {
  const today = ukToday(ctx.now);
  const parsed = validate(qualificationSchema(today), form.fields);
  const errors: Record<string, string> = { ...(parsed.ok ? {} : parsed.fieldErrors), ...form.fileErrors };
  if (!form.files.evidence && !errors.evidence) errors.evidence = FILE_MESSAGES.missing;
  if (parsed.ok && needsCpdEvidence(parsed.value.issueDate, today) && !form.files.cpdEvidence && !errors.cpdEvidence) errors.cpdEvidence = CPD_MESSAGE;
  if (!parsed.ok || Object.keys(errors).length > 0) {
    await form.discard();
    return invalid(errors, parsed.ok ? null : parsed.message);
  }
  const input = parsed.value;
  const id = await commitWithFiles(db, userId, present(form.files), ctx, async (trx, fileIds) => {
    const row = await trx
      .insertInto("qualification")
      .values({
        user_id: userId,
        kind: input.kind,
        level: input.level,
        awarding_organisation: input.awardingOrganisation,
        title: input.title,
        qualification_number: input.qualificationNumber,
        certificate_number: input.certificateNumber,
        issue_date: input.issueDate,
        evidence_file_id: fileIds.evidence!,
        cpd_evidence_file_id: fileIds.cpdEvidence ?? null,
        status: "submitted",
        decided_by_user_id: null,
        decided_at: null,
        rejection_reason: null,
        created_at: iso(ctx.now),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { actorUserId: userId, action: "qualification.submitted", subjectType: "qualification", subjectId: row.id, details: { kind: input.kind, level: input.level } }, ctx.now);
    await notifyStaff(trx, "assessor", { kind: "evidence_to_verify", title: "A qualification is waiting to be verified", body: "A trainer has submitted a qualification with its evidence.", link: `/assessor/verification/qualification/${row.id}` }, ctx.now, userId);
    return row.id;
  });
  return ok({ id });
}

export async function submitInsurance(db: DB, userId: number, form: ReceivedEvidenceForm, ctx: Context): Promise<Result<{ id: number }>> {
  const today = ukToday(ctx.now);
  const policy = await getPolicy(db);
  const parsed = validate(
    insuranceSchema(today, { publicLiabilityPence: policy.minPublicLiabilityPence, professionalIndemnityPence: policy.minProfessionalIndemnityPence }),
    form.fields,
  );
  const errors: Record<string, string> = { ...insuranceCrossFieldErrors(form.fields, today), ...(parsed.ok ? {} : parsed.fieldErrors), ...form.fileErrors };
  if (!form.files.evidence && !errors.evidence) errors.evidence = FILE_MESSAGES.missing;
  if (!parsed.ok || Object.keys(errors).length > 0) {
    await form.discard();
    return invalid(errors, parsed.ok ? null : parsed.message);
  }
  const input = parsed.value;
  const id = await commitWithFiles(db, userId, present(form.files), ctx, async (trx, fileIds) => {
    const row = await trx
      .insertInto("insurance_policy")
      .values({
        user_id: userId,
        insurer: input.insurer,
        policy_number: input.policyNumber,
        public_liability_pence: input.publicLiability,
        professional_indemnity_pence: input.professionalIndemnity,
        limit_basis: input.limitBasis,
        covered_activities: input.coveredActivities,
        territory: input.territory,
        start_date: input.startDate,
        end_date: input.endDate,
        evidence_file_id: fileIds.evidence!,
        status: "submitted",
        decided_by_user_id: null,
        decided_at: null,
        rejection_reason: null,
        expired_at: null,
        created_at: iso(ctx.now),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { actorUserId: userId, action: "insurance.submitted", subjectType: "insurance_policy", subjectId: row.id, details: { endDate: input.endDate } }, ctx.now);
    await notifyStaff(trx, "assessor", { kind: "evidence_to_verify", title: "An insurance policy is waiting to be verified", body: "A trainer has submitted an insurance policy with its evidence.", link: `/assessor/verification/insurance/${row.id}` }, ctx.now, userId);
    return row.id;
  });
  return ok({ id });
}

// ---------------------------------------------------------------------------------------------
// What the trainer sees

/** Everything the trainer's "Entry requirements" page shows. Never includes DBS certificate details. */
export async function getTrainerRequirements(db: DB, userId: number, now: Date) {
  const today = ukToday(now);
  const policy = await getPolicy(db);
  const qualifications = await db
    .selectFrom("qualification")
    .leftJoin("evidence_file as ev", "ev.id", "qualification.evidence_file_id")
    .leftJoin("evidence_file as cpd", "cpd.id", "qualification.cpd_evidence_file_id")
    .select([
      "qualification.id",
      "qualification.kind",
      "qualification.level",
      "qualification.awarding_organisation",
      "qualification.title",
      "qualification.qualification_number",
      "qualification.certificate_number",
      "qualification.issue_date",
      "qualification.status",
      "qualification.rejection_reason",
      "qualification.decided_at",
      "qualification.created_at",
      "ev.id as evidence_id",
      "ev.display_name as evidence_name",
      "cpd.id as cpd_id",
      "cpd.display_name as cpd_name",
    ])
    .where("qualification.user_id", "=", userId)
    .orderBy("qualification.id", "desc")
    .execute();
  const insurance = await db
    .selectFrom("insurance_policy")
    .leftJoin("evidence_file as ev", "ev.id", "insurance_policy.evidence_file_id")
    .select([
      "insurance_policy.id",
      "insurance_policy.insurer",
      "insurance_policy.policy_number",
      "insurance_policy.public_liability_pence",
      "insurance_policy.professional_indemnity_pence",
      "insurance_policy.limit_basis",
      "insurance_policy.start_date",
      "insurance_policy.end_date",
      "insurance_policy.status",
      "insurance_policy.rejection_reason",
      "insurance_policy.expired_at",
      "insurance_policy.decided_at",
      "insurance_policy.created_at",
      "ev.id as evidence_id",
      "ev.display_name as evidence_name",
    ])
    .where("insurance_policy.user_id", "=", userId)
    .orderBy("insurance_policy.id", "desc")
    .execute();
  // Deliberately not selecting certificate_number or issue_date: only admins see DBS details.
  const dbs = await db
    .selectFrom("dbs_check")
    .select(["id", "decision", "decided_at", "recheck_due_on", "created_at"])
    .where("user_id", "=", userId)
    .orderBy("id", "desc")
    .executeTakeFirst();
  return {
    policy,
    qualifications,
    insurance,
    dbs: dbs ?? null,
    status: {
      qualification: qualificationSectionStatus(qualifications),
      insurance: insuranceSectionStatus(insurance, today, policy.warningWindowDays),
      dbs: dbsSectionStatus(dbs, today, policy.warningWindowDays),
    },
  };
}
