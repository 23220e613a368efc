/**
 * Seeds a trainer who meets every requirement, by writing the records the real flows would have
 * written (verified evidence, passed attempts, a released report pass, the accepted agreement),
 * then lets the real rule issue the certificate. For demos, benchmarks and tests only.
 */
import { createHash, randomBytes } from "node:crypto";
import { getEnv } from "~/utils/env.server";
import { storeEvidenceBytes } from "~/evidence/files.server";
import type { DB } from "~db/connection";
import { iso } from "~/utils/clock";
import { randomCandidateNumber } from "~/utils/random.server";
import { hashPassword } from "~/auth/password.server";
import { getCurrentAgreement } from "~/agreement/agreement.server";
import { acceptAgreement } from "~/approval/approval.server";
import { currentModuleVersionId, getModule, listModules, registerModuleVersions } from "~/content/catalog.server";
import { issueCertificateIfEligible } from "~/certificates/issue.server";
import { completeCertificateDocuments } from "~/certificates/documents.server";
import { addDays, addMonths, dateOf } from "~/utils/dates";

export interface CertifiedTrainer {
  userId: number;
  certificateId: string;
}

export async function seedCertifiedTrainer(
  db: DB,
  input: { name: string; email: string; password: string; staffUserId: number; insuranceEndsOn?: string; acceptAgreement?: boolean; reportPass?: boolean },
  baseUrl: string,
  now: Date,
): Promise<CertifiedTrainer> {
  const today = dateOf(now);
  await registerModuleVersions(db, now);
  const user = await db
    .insertInto("user")
    .values({ email: input.email, name: input.name, role: "trainer", password_hash: await hashPassword(input.password), disabled_at: null, email_confirmed_at: iso(now), created_at: iso(now), updated_at: iso(now) })
    .returning("id")
    .executeTakeFirstOrThrow();
  const userId = user.id;
  const staff = input.staffUserId;
  // A small, genuine PDF on disk, so staff can open the seeded evidence like any other.
  const pdf = Buffer.from(
    "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
    "latin1",
  );
  const file = async () => {
    const id = randomBytes(18).toString("base64url");
    const storageName = `${randomBytes(16).toString("hex")}.pdf`;
    // Into the installation's evidence store: the folder, or the database on PostgreSQL.
    await storeEvidenceBytes(db, getEnv().EVIDENCE_DIR, storageName, pdf, now);
    await db
      .insertInto("evidence_file")
      .values({ id, owner_user_id: userId, storage_name: storageName, media_type: "application/pdf", size_bytes: pdf.length, sha256: createHash("sha256").update(pdf).digest("hex"), display_name: "seeded-evidence.pdf", created_at: iso(now) })
      .execute();
    return id;
  };
  await db
    .insertInto("qualification")
    .values({
      user_id: userId,
      kind: "personal_training",
      level: 3,
      awarding_organisation: "Active IQ",
      title: "Level 3 Diploma in Personal Training",
      qualification_number: "603/2791/3",
      certificate_number: "SEED-0001",
      issue_date: addDays(today, -400),
      evidence_file_id: await file(),
      cpd_evidence_file_id: null,
      status: "verified",
      decided_by_user_id: staff,
      decided_at: iso(now),
      rejection_reason: null,
      created_at: iso(now),
    })
    .execute();
  await db
    .insertInto("insurance_policy")
    .values({
      user_id: userId,
      insurer: "Seeded Insurance Ltd",
      policy_number: "SEED-PL-1",
      public_liability_pence: 500_000_000,
      professional_indemnity_pence: 150_000_000,
      limit_basis: "per_occurrence",
      covered_activities: "Personal training",
      territory: "United Kingdom",
      start_date: addDays(today, -30),
      end_date: input.insuranceEndsOn ?? addDays(today, 300),
      evidence_file_id: await file(),
      status: "verified",
      decided_by_user_id: staff,
      decided_at: iso(now),
      rejection_reason: null,
      expired_at: null,
      created_at: iso(now),
    })
    .execute();
  await db
    .insertInto("dbs_check")
    .values({
      user_id: userId,
      certificate_number: null,
      issue_date: addDays(today, -20),
      adults_barred_list: 1,
      children_barred_list: 0,
      workforce: "adult",
      update_service_subscribed: 1,
      status_check_consent: 1,
      will_show_original: 1,
      decision: "suitable",
      decided_by_user_id: staff,
      decided_at: iso(now),
      original_seen_on: today,
      original_seen_by_user_id: staff,
      recheck_due_on: addMonths(addDays(today, -20), 12),
      recheck_flagged_at: null,
      details_erased_at: null,
      created_at: iso(now),
    })
    .execute();
  for (const module of listModules()) {
    const versionId = await currentModuleVersionId(db, module.slug, now);
    await db
      .insertInto("assessment_attempt")
      .values({ id: randomBytes(16).toString("hex"), user_id: userId, module_slug: module.slug, module_version_id: versionId, pass_mark: module.passMark, started_at: iso(now), submitted_at: iso(now), score: 12, total: 12, percent: 100, passed: 1 })
      .execute();
  }
  const reportVersion = await currentModuleVersionId(db, "report-writing", now);
  // reportPass: false leaves the report-writing task to be submitted and marked for real.
  if (input.reportPass !== false) {
    await db
      .insertInto("report_submission")
      .values({
        user_id: userId,
        version: 1,
        module_slug: "report-writing",
        module_version_id: reportVersion,
        task_json: JSON.stringify({ seeded: true, module: getModule("report-writing")?.title ?? "" }),
        body: "Seeded report.",
        word_count: 2,
        candidate_number: randomCandidateNumber(),
        submitted_at: iso(now),
        status: "released",
        marker_id: staff,
        marking_started_at: iso(now),
        marked_at: iso(now),
        moderation_required: 0,
        moderator_id: null,
        moderation_started_at: null,
        released_mark_id: null,
        outcome: "pass",
        released_at: iso(now),
      })
      .execute();
  }
  if (input.acceptAgreement === false) return { userId, certificateId: "" };
  const accepted = await acceptAgreement(db, { id: userId, name: input.name }, { typedName: input.name, version: getCurrentAgreement()!.version }, now);
  if (!accepted.ok) throw new Error(`Could not accept the agreement: ${accepted.message ?? JSON.stringify(accepted.fieldErrors)}`);
  let certificateId = accepted.value.certificateId;
  if (input.reportPass === false) return { userId, certificateId: "" };
  if (!certificateId) {
    const issued = await issueCertificateIfEligible(db, userId, now);
    if (!issued.issued) throw new Error(`The seeded trainer is not eligible: ${issued.reason}`);
    certificateId = issued.certificateId;
  }
  await completeCertificateDocuments(db, certificateId, baseUrl, now);
  return { userId, certificateId };
}
