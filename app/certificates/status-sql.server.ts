/**
 * The live-status rule of `status.ts` written as SQL, so a list can filter, count and sort
 * certificates by live status in the database instead of loading them all (issue 19, ADR 0014).
 * `tests/unit/certificate-status-sql.test.ts` proves it gives the same answer as the pure
 * `certificateStatus` on every case; change both together.
 *
 * Every expression is correlated to a row of `certificate` (by that name): each fact is one
 * index seek (insurance_policy_user_status_end, dbs_check_user_id, qualification_user_status).
 * For many certificates at once (the stored-status refresh, the credential sync) the same facts
 * come set-based, a query per fact table (`withStatusFacts`, ADR 0044).
 */
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from "kysely";
import type { Database, DbsDecision } from "~db/schema";
import { certificateStatus, type CertificateStatus, type LiveStatus } from "./status";
import { getAgreementRule, type AgreementRule } from "~/agreement/reacceptance.server";
import { getSupervisionRule, type SupervisionRule } from "~/supervision/supervision.server";
import type { DB } from "~db/connection";
import { getPolicy } from "~/policy/policy.server";
import { addDays } from "~/utils/dates";

/**
 * The rules the live status reads besides a trainer's own facts: the agreement in force and its
 * re-acceptance window (ADR 0015), and the supervision policy (ADR 0026). Every caller of the SQL
 * form passes them, read once per request with `getStatusRules`.
 */
export interface StatusRules {
  agreement: AgreementRule | null;
  supervision: SupervisionRule;
}

export async function getStatusRules(db: DB, now: Date): Promise<StatusRules> {
  // One read of the policy for both rules.
  const policy = await getPolicy(db);
  const [agreement, supervision] = await Promise.all([getAgreementRule(db, now, policy), getSupervisionRule(db, policy)]);
  return { agreement, supervision };
}

type Eb = ExpressionBuilder<Database, "certificate">;

/** The trainer's longest-running verified policy (as `currentVerifiedPolicy` picks it): one column of it. */
export function insuranceFact(eb: Eb, column: "start_date" | "end_date") {
  return eb
    .selectFrom("insurance_policy as fact_ip")
    .select(`fact_ip.${column}`)
    .whereRef("fact_ip.user_id", "=", "certificate.user_id")
    .where("fact_ip.status", "=", "verified")
    .orderBy("fact_ip.end_date", "desc")
    .orderBy("fact_ip.id", "desc")
    .limit(1);
}

/** The trainer's latest DBS record: one column of it. */
export function dbsFact(eb: Eb, column: "decision" | "recheck_due_on") {
  return eb.selectFrom("dbs_check as fact_dbs").select(`fact_dbs.${column}`).whereRef("fact_dbs.user_id", "=", "certificate.user_id").orderBy("fact_dbs.id", "desc").limit(1);
}

/** A verified personal-training qualification at Level 3 or above exists. */
export function qualificationFact(eb: Eb) {
  return eb.exists(
    eb
      .selectFrom("qualification as fact_q")
      .select("fact_q.id")
      .whereRef("fact_q.user_id", "=", "certificate.user_id")
      .where("fact_q.status", "=", "verified")
      .where("fact_q.kind", "=", "personal_training")
      .where("fact_q.level", ">=", 3),
  );
}

/** The trainer has accepted the agreement version in force (one seek of agreement_acceptance_user). */
export function acceptedAgreementFact(eb: Eb, version: string) {
  return eb.exists(
    eb
      .selectFrom("agreement_acceptance as fact_aa")
      .select("fact_aa.id")
      .whereRef("fact_aa.user_id", "=", "certificate.user_id")
      .where("fact_aa.agreement_version", "=", version),
  );
}

/** When the trainer's next supervision session is due (null: no supervisor): one primary-key seek. */
export function supervisionFact(eb: Eb) {
  return eb.selectFrom("supervision as fact_sv").select("fact_sv.next_due_on").whereRef("fact_sv.trainer_user_id", "=", "certificate.user_id");
}

/**
 * The trainer's supervision is overdue (today on or after next_due_on + grace + 1 day, which is
 * next_due_on <= today - grace - 1), as `supervisionState` in app/supervision/standing.ts reads it.
 */
function supervisionOverdueFact(eb: Eb, today: string, rule: SupervisionRule) {
  return eb.exists(
    eb
      .selectFrom("supervision as fact_svo")
      .select("fact_svo.trainer_user_id")
      .whereRef("fact_svo.trainer_user_id", "=", "certificate.user_id")
      .where("fact_svo.next_due_on", "<=", addDays(today, -(rule.graceDays + 1))),
  );
}

/**
 * The entry requirements still hold today (insurance in force, DBS suitable and not due,
 * qualification), and, once the re-acceptance window of the agreement in force has ended, the
 * trainer has accepted it; with the policy switch on, supervision is not overdue (`rules`: from
 * `getStatusRules`).
 */
export function factsHold(eb: Eb, today: string, rules: StatusRules): Expression<SqlBool> {
  const { agreement, supervision } = rules;
  const end = insuranceFact(eb, "end_date");
  const start = insuranceFact(eb, "start_date");
  const recheck = dbsFact(eb, "recheck_due_on");
  const decision = dbsFact(eb, "decision");
  // Every part is false, never NULL, when a fact is missing: NOT (…) must then be true.
  return eb.and([
    eb(end, "is not", null),
    eb(end, ">=", today),
    eb(start, "<=", today),
    eb(decision, "is not", null),
    eb(decision, "=", "suitable"),
    eb(recheck, "is not", null),
    eb(recheck, ">", today),
    qualificationFact(eb),
    ...(agreement && today >= agreement.windowEndsOn ? [acceptedAgreementFact(eb, agreement.currentVersion)] : []),
    ...(supervision.suspendsWhenOverdue ? [eb.not(supervisionOverdueFact(eb, today, supervision))] : []),
  ]);
}

/** The live status as a CASE expression, in the same order as `certificateStatus`. */
export function liveStatusSql(eb: Eb, today: string, rules: StatusRules) {
  return eb
    .case()
    .when("certificate.revoked_at", "is not", null)
    .then(sql.lit("revoked"))
    .when("certificate.superseded_by", "is not", null)
    .then(sql.lit("superseded"))
    .when("certificate.suspended_at", "is not", null)
    .then(sql.lit("suspended"))
    .when("certificate.validity_ends_on", "<=", today)
    .then(sql.lit("expired"))
    .when(eb.not(factsHold(eb, today, rules)))
    .then(sql.lit("suspended"))
    .when("certificate.expires_on", "<=", today)
    .then(sql.lit("expired"))
    .else(sql.lit("valid"))
    .end()
    .$castTo<CertificateStatus>();
}

/**
 * "Live status is S" as a condition that starts from indexed columns: the cheap tests come
 * first, and valid certificates are found through the partial index of current ones
 * (certificate_current_expires), so facts are looked up only for those.
 */
export function liveStatusIs(eb: Eb, status: CertificateStatus, today: string, rules: StatusRules): Expression<SqlBool> {
  const current = [eb("certificate.revoked_at", "is", null), eb("certificate.superseded_by", "is", null), eb("certificate.suspended_at", "is", null)];
  switch (status) {
    case "revoked":
      return eb("certificate.revoked_at", "is not", null);
    case "superseded":
      return eb.and([eb("certificate.revoked_at", "is", null), eb("certificate.superseded_by", "is not", null)]);
    case "valid":
      return eb.and([...current, eb("certificate.expires_on", ">", today), eb("certificate.validity_ends_on", ">", today), factsHold(eb, today, rules)]);
    case "suspended":
      return eb.and([
        eb("certificate.revoked_at", "is", null),
        eb("certificate.superseded_by", "is", null),
        eb.or([eb("certificate.suspended_at", "is not", null), eb.and([eb("certificate.validity_ends_on", ">", today), eb.not(factsHold(eb, today, rules))])]),
      ]);
    case "expired":
      return eb.and([
        ...current,
        eb.or([eb("certificate.validity_ends_on", "<=", today), eb.and([eb("certificate.expires_on", "<=", today), factsHold(eb, today, rules)])]),
      ]);
  }
}

/** Valid today and expiring within `days` days: a range of the partial index of current certificates. */
export function validAndExpiringBy(eb: Eb, today: string, until: string, rules: StatusRules): Expression<SqlBool> {
  return eb.and([liveStatusIs(eb, "valid", today, rules), eb("certificate.expires_on", "<=", until)]);
}

/**
 * The facts a certificate's live status reads, as columns of its row (one index seek each), so a
 * query that returns certificates returns what `liveStatusOfRow` needs with them.
 */
export function statusFactColumns(eb: Eb, rules: StatusRules) {
  const { agreement } = rules;
  return [
    ...CERTIFICATE_STATUS_COLUMNS,
    insuranceFact(eb, "start_date").as("insurance_start"),
    insuranceFact(eb, "end_date").as("insurance_end"),
    dbsFact(eb, "decision").as("dbs_decision"),
    dbsFact(eb, "recheck_due_on").as("dbs_recheck_due_on"),
    qualificationFact(eb).as("has_qualification"),
    acceptedAgreementFact(eb, agreement?.currentVersion ?? "").as("accepted_agreement"),
    supervisionFact(eb).as("supervision_next_due_on"),
  ] as const;
}

/** A row read with `statusFactColumns`. */
export interface StatusFactRow {
  validity_ends_on: string;
  expires_on: string;
  superseded_by: string | null;
  suspended_at: string | null;
  suspension_category: string | null;
  revoked_at: string | null;
  insurance_start: string | null;
  insurance_end: string | null;
  dbs_decision: string | null;
  dbs_recheck_due_on: string | null;
  has_qualification: unknown;
  accepted_agreement: unknown;
  supervision_next_due_on: string | null;
}

/** The live status of a row, by the pure rule in status.ts, from the facts fetched with it. */
export function liveStatusOfRow(row: StatusFactRow, today: string, rules: StatusRules): LiveStatus {
  const { agreement, supervision } = rules;
  const entry = {
    insurance: row.insurance_end !== null && row.insurance_start !== null ? { startDate: row.insurance_start, endDate: row.insurance_end } : null,
    // No DBS record and a record without a decision read the same: not suitable.
    dbs: { decision: (row.dbs_decision ?? null) as DbsDecision | null, recheckDueOn: row.dbs_recheck_due_on ?? null },
    qualification: Number(row.has_qualification) === 1 ? {} : null,
    agreement: { acceptedCurrent: agreement !== null && Number(row.accepted_agreement) === 1, windowEndsOn: agreement?.windowEndsOn ?? null },
    supervision: { nextDueOn: row.supervision_next_due_on ?? null, graceDays: supervision.graceDays, suspendsWhenOverdue: supervision.suspendsWhenOverdue },
  };
  return certificateStatus(row, entry, today);
}

/** The certificate's own columns the live status reads (the rest of `StatusFactRow` is the trainer's). */
export const CERTIFICATE_STATUS_COLUMNS = [
  "certificate.validity_ends_on",
  "certificate.expires_on",
  "certificate.superseded_by",
  "certificate.suspended_at",
  "certificate.suspension_category",
  "certificate.revoked_at",
] as const;

/** A trainer's facts the live status reads: the columns `statusFactColumns` adds for each of their certificates. */
export type TrainerStatusFacts = Omit<StatusFactRow, "validity_ends_on" | "expires_on" | "superseded_by" | "suspended_at" | "suspension_category" | "revoked_at">;

const NO_FACTS: TrainerStatusFacts = {
  insurance_start: null,
  insurance_end: null,
  dbs_decision: null,
  dbs_recheck_due_on: null,
  has_qualification: 0,
  accepted_agreement: 0,
  supervision_next_due_on: null,
};

/** Trainers per fact query: well within both engines' parameter limits. */
const FACT_CHUNK = 2_500;

/**
 * The facts of `statusFactColumns` for a set of trainers, set-based (issue 19): one query per
 * fact table for up to 2,500 trainers (`user_id IN (…)`, each read from a covering index:
 * insurance_policy_user_status_end_start, dbs_check_user_facts, qualification_user_status,
 * agreement_acceptance_user, supervision's primary key) instead of seven correlated lookups per
 * certificate. The same choices as the correlated forms above, made in code: the verified policy
 * with the latest end date (then the highest id), the DBS record with the highest id.
 * `tests/unit/certificate-status-facts.test.ts` proves both give the same rows.
 */
export async function statusFactsOfTrainers(db: DB, userIds: readonly number[], rules: StatusRules): Promise<Map<number, TrainerStatusFacts>> {
  const ids = [...new Set(userIds)];
  const facts = new Map<number, TrainerStatusFacts>(ids.map((id) => [id, { ...NO_FACTS }]));
  const version = rules.agreement?.currentVersion ?? "";
  for (let i = 0; i < ids.length; i += FACT_CHUNK) {
    const part = ids.slice(i, i + FACT_CHUNK);
    // One after another: inside a transaction there is one connection (and SQLite has one anyway).
    const policies = await db.selectFrom("insurance_policy").select(["user_id", "id", "start_date", "end_date"]).where("user_id", "in", part).where("status", "=", "verified").execute();
    const chosen = new Map<number, (typeof policies)[number]>();
    for (const p of policies) {
      const best = chosen.get(p.user_id);
      if (!best || p.end_date > best.end_date || (p.end_date === best.end_date && p.id > best.id)) chosen.set(p.user_id, p);
    }
    for (const [userId, p] of chosen) Object.assign(facts.get(userId)!, { insurance_start: p.start_date, insurance_end: p.end_date });
    const checks = await db.selectFrom("dbs_check").select(["user_id", "id", "decision", "recheck_due_on"]).where("user_id", "in", part).execute();
    const latest = new Map<number, (typeof checks)[number]>();
    for (const c of checks) if ((latest.get(c.user_id)?.id ?? -Infinity) < c.id) latest.set(c.user_id, c);
    for (const [userId, c] of latest) Object.assign(facts.get(userId)!, { dbs_decision: c.decision, dbs_recheck_due_on: c.recheck_due_on });
    const qualified = await db
      .selectFrom("qualification")
      .select("user_id")
      .distinct()
      .where("user_id", "in", part)
      .where("status", "=", "verified")
      .where("kind", "=", "personal_training")
      .where("level", ">=", 3)
      .execute();
    for (const q of qualified) facts.get(q.user_id)!.has_qualification = 1;
    const accepted = await db.selectFrom("agreement_acceptance").select("user_id").distinct().where("user_id", "in", part).where("agreement_version", "=", version).execute();
    for (const a of accepted) facts.get(a.user_id)!.accepted_agreement = 1;
    const supervised = await db.selectFrom("supervision").select(["trainer_user_id", "next_due_on"]).where("trainer_user_id", "in", part).execute();
    for (const s of supervised) facts.get(s.trainer_user_id)!.supervision_next_due_on = s.next_due_on;
  }
  return facts;
}

/** Rows of certificates (with their trainer and `CERTIFICATE_STATUS_COLUMNS`) completed with their trainers' facts: `StatusFactRow`s, set-based. */
export async function withStatusFacts<T extends { user_id: number }>(db: DB, rows: T[], rules: StatusRules): Promise<(T & TrainerStatusFacts)[]> {
  const facts = await statusFactsOfTrainers(
    db,
    rows.map((r) => r.user_id),
    rules,
  );
  return rows.map((row) => ({ ...row, ...facts.get(row.user_id)! }));
}
