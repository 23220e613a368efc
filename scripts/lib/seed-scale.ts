/**
 * Grows a database to N trainers with realistic related rows, for `npm run bench:scale` and the
 * scale tests (issue 19): accounts, evidence, qualifications, insurance, DBS records, section
 * progress, attempts with their question snapshots, report submissions with marks, agreement
 * acceptances, certificates (some superseded, suspended or revoked) and the audit trail.
 *
 * Fast: rows are built in memory and inserted with multi-row INSERTs through Kysely, 500
 * trainers per transaction. Honest shortcuts: every certificate shares one real PDF
 * (rendered once by the real code for a real certified trainer) instead of 50,000 renders; when
 * a real signed credential is given, every certificate gets its credential row (on its own index
 * of a status list of the academy's key, revoked when its certificate was revoked, replaced or
 * suspended, as the real flows leave it) sharing that one credential's JSON instead of 50,000
 * signatures; evidence rows point at files that are not written.
 */
import type { Insertable } from "kysely";
import type { DB } from "~db/connection";
import type { Database } from "~db/schema";
import { getCurrentAgreement } from "~/agreement/agreement.server";
import { hashPassword } from "~/auth/password.server";
import { currentModuleVersionId, getQuestionBank, getReportTask, listModules, registerModuleVersions } from "~/content/catalog.server";
import { currentIssuerKey } from "~/certificates/credentials/keys.server";
import { STATUS_LIST_LENGTH } from "~/certificates/credentials/status-list.server";
import { revocationReasonFor } from "~/certificates/credentials/sync.server";
import { certificateStatus } from "~/certificates/status";
import { ukToday } from "~/utils/dates";
import { certificateDates, entryRows, learningRows, planTrainer, type SeedContext, type TrainerPlan } from "./seed-scale-rows";

const CHUNK = 500;

/** Inserts rows in statements of at most ~30,000 bound values (SQLite allows 32,766). */
async function insertAll<T extends keyof Database>(db: DB, table: T, rows: Insertable<Database[T]>[]): Promise<void> {
  if (rows.length === 0) return;
  const perRow = Object.keys(rows[0]!).length;
  const size = Math.max(1, Math.floor(30_000 / perRow));
  for (let i = 0; i < rows.length; i += size) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await db.insertInto(table).values(rows.slice(i, i + size) as any).execute();
  }
}

export async function seedContext(db: DB, now: Date, staffIds: number[], documents: { pdf: Buffer | null; credential: string | null }): Promise<SeedContext> {
  await registerModuleVersions(db, now);
  const modules = [];
  for (const m of listModules()) {
    modules.push({ slug: m.slug, versionId: await currentModuleVersionId(db, m.slug, now), sectionIds: m.sections.map((s) => s.id), bank: getQuestionBank(m.slug), passMark: m.passMark });
  }
  const reportSlug = listModules().find((m) => getReportTask(m.slug))?.slug ?? "report-writing";
  const paragraph =
    "Session 6 of 12 took place at the client's home on 14 May. Observed: sit-to-stand from a standard chair five times in 16 seconds without arm support (session 1: 24 seconds, with support). Client reported pain 3/10 in the lower back before and 2/10 after. Goals reviewed against the rehabilitation plan agreed with the case manager; the walking goal is progressing. ";
  return {
    now,
    staffIds,
    modules,
    reportVersionId: await currentModuleVersionId(db, reportSlug, now),
    task: getReportTask(reportSlug)!,
    reportBody: `To: Case manager\nFrom: Personal trainer\n\n## Progress\n\n${paragraph.repeat(6)}`,
    agreementVersion: getCurrentAgreement()?.version ?? "agreement",
    passwordHash: await hashPassword("scale seeded password"),
    pdf: documents.pdf,
    credential: documents.credential,
    statusList: documents.credential ? await newStatusList(db, (await currentIssuerKey(db, now)).id, now) : null,
  };
}

async function newStatusList(db: DB, issuerKeyId: number, now: Date): Promise<{ id: number; issuerKeyId: number; used: number }> {
  const list = await db.insertInto("status_list").values({ issuer_key_id: issuerKeyId, length: STATUS_LIST_LENGTH, credential_json: null, created_at: now.toISOString(), signed_at: null }).returning("id").executeTakeFirstOrThrow();
  return { id: list.id, issuerKeyId, used: 0 };
}

/**
 * The credential rows of seeded certificates (see the top of the file). Indexes are distinct: the
 * n-th credential of a list takes n × 7919 modulo the list's length (odd, so never the same
 * twice); a list takes half its length, as the real issuer's lists do, then a new one starts.
 * Lists given revoked bits are marked for re-signing (the server signs them at start).
 */
async function credentialRows(db: DB, certificates: Insertable<Database["certificate"]>[], ctx: SeedContext): Promise<Insertable<Database["issued_credential"]>[]> {
  if (!ctx.credential || !ctx.statusList) return [];
  const rows: Insertable<Database["issued_credential"]>[] = [];
  const today = ukToday(ctx.now);
  const dirty = new Set<number>();
  for (const cert of certificates) {
    if (ctx.statusList.used >= STATUS_LIST_LENGTH / 2) ctx.statusList = await newStatusList(db, ctx.statusList.issuerKeyId, ctx.now);
    const index = (ctx.statusList.used * 7919) % STATUS_LIST_LENGTH;
    ctx.statusList.used += 1;
    // Revoked, replaced or suspended by an admin needs no facts; a lapse of evidence is the hourly sync's to find.
    const reason = revocationReasonFor(certificateStatus({ ...cert, superseded_by: cert.superseded_by ?? null, suspended_at: cert.suspended_at ?? null, revoked_at: cert.revoked_at ?? null }, null, today));
    if (reason) dirty.add(ctx.statusList.id);
    rows.push({ id: `${cert.id}c`, certificate_id: cert.id, status_list_id: ctx.statusList.id, status_index: index, identity_salt: "seeded", issued_at: cert.issued_at, revoked_at: reason ? cert.issued_at : null, revocation_reason: reason, json: ctx.credential });
  }
  if (dirty.size > 0) await db.updateTable("status_list").set((eb) => ({ version: eb("version", "+", 1) })).where("id", "in", [...dirty]).execute();
  return rows;
}

function reportRows(plan: TrainerPlan, userId: number, ctx: SeedContext) {
  const { rng, profile, index } = plan;
  const versions: { status: Database["report_submission"]["status"]; outcome: "pass" | "refer" | null }[] =
    profile === "certified" ? (rng() < 0.2 ? [{ status: "released", outcome: "refer" }, { status: "released", outcome: "pass" }] : [{ status: "released", outcome: "pass" }]) : profile === "progress" && rng() < 0.35 ? [{ status: pickStatus(rng()), outcome: null }] : [];
  const taskJson = JSON.stringify(ctx.task);
  return versions.map((v, i): Insertable<Database["report_submission"]> => {
    const when = new Date(ctx.now.getTime() - (120 - i * 20) * 86_400_000 - Math.floor(rng() * 20) * 86_400_000).toISOString();
    const marked = v.status !== "submitted" && v.status !== "in_marking";
    const staff = ctx.staffIds[index % ctx.staffIds.length]!;
    return {
      user_id: userId, version: i + 1, module_slug: "report-writing", module_version_id: ctx.reportVersionId, task_json: taskJson, body: ctx.reportBody, word_count: 480, candidate_number: `C${String(index).padStart(6, "0")}-${i + 1}`,
      submitted_at: when, status: v.status, marker_id: v.status === "submitted" ? null : staff, marking_started_at: v.status === "submitted" ? null : when, marked_at: marked ? when : null,
      moderation_required: marked ? 0 : null, moderator_id: null, moderation_started_at: null, released_mark_id: null, outcome: v.status === "released" ? v.outcome : null, released_at: v.status === "released" ? when : null,
    };
  });
}

function pickStatus(r: number): Database["report_submission"]["status"] {
  return r < 0.5 ? "submitted" : r < 0.7 ? "in_marking" : r < 0.9 ? "marked" : "disputed";
}

function auditRows(plan: TrainerPlan, userId: number, ctx: SeedContext, certificateId: string | null): Insertable<Database["audit_event"]>[] {
  const when = (days: number) => new Date(ctx.now.getTime() - days * 86_400_000).toISOString();
  const rows: Insertable<Database["audit_event"]>[] = [
    { occurred_at: when(400), actor_user_id: userId, action: "account.created", subject_type: "user", subject_id: String(userId), details: "{}" },
    { occurred_at: when(390), actor_user_id: userId, action: "qualification.submitted", subject_type: "qualification", subject_id: String(userId), details: "{}" },
    { occurred_at: when(390), actor_user_id: userId, action: "insurance.submitted", subject_type: "insurance_policy", subject_id: String(userId), details: "{}" },
    { occurred_at: when(389), actor_user_id: userId, action: "dbs.submitted", subject_type: "dbs_check", subject_id: String(userId), details: "{}" },
  ];
  if (plan.profile !== "new") {
    const staff = ctx.staffIds[plan.index % ctx.staffIds.length]!;
    for (const m of ctx.modules) {
      rows.push({ occurred_at: when(190), actor_user_id: userId, action: "assessment.attempt_started", subject_type: "assessment_attempt", subject_id: `seed${plan.index}${m.slug}`, details: JSON.stringify({ module: m.slug, versionId: m.versionId }) });
      rows.push({ occurred_at: when(190), actor_user_id: userId, action: "assessment.passed", subject_type: "assessment_attempt", subject_id: `seed${plan.index}${m.slug}`, details: JSON.stringify({ module: m.slug, percent: 91 }) });
    }
    rows.push({ occurred_at: when(300), actor_user_id: staff, action: "qualification.verified", subject_type: "qualification", subject_id: String(userId), details: JSON.stringify({ trainerUserId: userId }) });
    rows.push({ occurred_at: when(300), actor_user_id: staff, action: "dbs.viewed", subject_type: "dbs_check", subject_id: String(userId), details: JSON.stringify({ trainerUserId: userId }) });
  }
  if (certificateId) rows.push({ occurred_at: when(100), actor_user_id: null, action: "certificate.issued", subject_type: "certificate", subject_id: certificateId, details: JSON.stringify({ trainerUserId: userId }) });
  return rows;
}

function certificateRow(plan: TrainerPlan, userId: number, ctx: SeedContext, dates: ReturnType<typeof certificateDates>, state: { id: string; supersededBy?: string }): Insertable<Database["certificate"]> {
  const r = plan.rng();
  const suspended = !state.supersededBy && r < 0.01;
  const revoked = !state.supersededBy && r >= 0.01 && r < 0.015;
  return {
    id: state.id, user_id: userId, trainer_name: plan.user.name, issued_at: dates.issuedAt, expires_on: dates.expiresOn, expiry_basis: "validity period", validity_ends_on: dates.validity,
    agreement_version: ctx.agreementVersion, modules_json: JSON.stringify(ctx.modules.map((m) => ({ slug: m.slug, title: m.slug, passedAt: dates.issuedAt, version: "2026.1" }))),
    report_json: JSON.stringify({ releasedAt: dates.issuedAt, version: "2026.1" }), scope_json: JSON.stringify({ may: ["Deliver exercise within the agreed programme"], mayNot: ["Diagnose"] }),
    issuer: "RMR Approved Trainer Academy", eligibility_key: `seed-${plan.index}-${state.id}`, superseded_by: state.supersededBy ?? null, superseded_at: state.supersededBy ? dates.issuedAt : null,
    suspended_at: suspended ? dates.issuedAt : null, suspension_reason: suspended ? "Concern raised by a case manager; under review." : null, suspended_by: suspended ? ctx.staffIds[0]! : null, suspension_category: suspended ? "under_review" : null,
    revoked_at: revoked ? dates.issuedAt : null, revocation_reason: revoked ? "Worked outside the scope of practice." : null, revoked_by: revoked ? ctx.staffIds[0]! : null, pdf: ctx.pdf,
  };
}

/** Certificate ids: 32 base32 characters like real ones, derived from the trainer's index. */
export function seedCertificateId(index: number, n: number): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  let x = BigInt(index) * 1_000_003n + BigInt(n) * 7_919n + 0x9e3779b97f4a7c15n;
  let out = "";
  for (let i = 0; i < 32; i += 1) {
    x = (x * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    out += alphabet[Number(x >> 59n)];
  }
  return out;
}

async function seedChunk(db: DB, plans: TrainerPlan[], ctx: SeedContext): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const users = await trx.insertInto("user").values(plans.map((p) => p.user)).returning("id").execute();
    const t: { [K in keyof Database]?: Insertable<Database[K]>[] } = {};
    const add = <K extends keyof Database>(table: K, rows: Insertable<Database[K]>[]) => ((t[table] as Insertable<Database[K]>[] | undefined) ??= []).push(...rows);
    plans.forEach((plan, i) => {
      const userId = users[i]!.id;
      const entry = entryRows(plan, userId, ctx);
      const learning = learningRows(plan, userId, ctx);
      add("evidence_file", entry.files);
      add("qualification", [entry.qualification]);
      add("insurance_policy", [entry.insurance]);
      add("dbs_check", [entry.dbs]);
      add("section_progress", learning.sections);
      add("assessment_attempt", learning.attempts);
      add("attempt_question", learning.questions);
      add("report_submission", reportRows(plan, userId, ctx));
      let certificateId: string | null = null;
      if (plan.profile === "certified") {
        add("agreement_acceptance", [{ user_id: userId, agreement_version: ctx.agreementVersion, typed_name: plan.user.name, accepted_at: new Date(ctx.now.getTime() - 150 * 86_400_000).toISOString() }]);
        certificateId = seedCertificateId(plan.index, 0);
        const dates = certificateDates(ctx, plan.rng, entry.insuranceEnd, entry.recheck);
        if (plan.rng() < 0.15) add("certificate", [certificateRow(plan, userId, ctx, { ...dates, issuedAt: new Date(new Date(dates.issuedAt).getTime() - 365 * 86_400_000).toISOString() }, { id: seedCertificateId(plan.index, 1), supersededBy: certificateId })]);
        add("certificate", [certificateRow(plan, userId, ctx, dates, { id: certificateId })]);
      }
      add("audit_event", auditRows(plan, userId, ctx, certificateId));
    });
    add("issued_credential", await credentialRows(trx, t.certificate ?? [], ctx));
    for (const table of Object.keys(t) as (keyof Database)[]) await insertAll(trx, table, t[table] as never);
    await markReleasedSubmissions(trx, users.map((u) => u.id), ctx);
  });
}

/** Released and marked submissions get the marker's mark with a level for every criterion. */
async function markReleasedSubmissions(db: DB, userIds: number[], ctx: SeedContext): Promise<void> {
  const marked = await db.selectFrom("report_submission").select(["id", "marker_id", "outcome", "marked_at"]).where("user_id", "in", userIds).where("marked_at", "is not", null).execute();
  if (marked.length === 0) return;
  const marks = await db
    .insertInto("report_mark")
    .values(marked.map((s) => ({ submission_id: s.id, assessor_id: s.marker_id!, role: "marker" as const, outcome: s.outcome ?? "pass", feedback: "Clear, factual and within scope; goals are reported against the plan.", agrees_with_mark_id: null, reason: null, created_at: s.marked_at! })))
    .returning(["id", "submission_id"])
    .execute();
  const criteria = marks.flatMap((m) => ctx.task.rubric.map((c) => ({ mark_id: m.id, criterion_id: c.id, level_id: c.levels.find((l) => l.met)?.id ?? c.levels[0]!.id, met: 1, comment: "" })));
  await insertAll(db, "report_mark_criterion", criteria);
}

/** Adds trainers numbered from `from` up to `to` (exclusive). Returns how many were added. */
export async function growAcademy(db: DB, range: { from: number; to: number }, ctx: SeedContext, onProgress?: (done: number) => void): Promise<number> {
  for (let start = range.from; start < range.to; start += CHUNK) {
    const plans = [];
    for (let i = start; i < Math.min(range.to, start + CHUNK); i += 1) plans.push(planTrainer(i, ctx));
    await seedChunk(db, plans, ctx);
    onProgress?.(Math.min(range.to, start + CHUNK));
  }
  return range.to - range.from;
}
