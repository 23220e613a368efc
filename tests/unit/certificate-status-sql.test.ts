/**
 * The live-status rule exists twice: the pure `certificateStatus` (status.ts), fed by the real
 * facts loader, and its SQL form (status-sql.server.ts) that lists filter and sort with. This
 * proves they agree on every combination of certificate state and entry-requirement facts, and
 * on the trainer's standing on the agreement (accepted the version in force, only an older one, or
 * none) with no agreement, inside its re-acceptance window, on the day it ends and after it; and
 * on supervision (no supervisor, scheduled, due within the grace period, overdue) with the policy
 * switch off and on (ADR 0026). The row form (`liveStatusOfRow`, which the credential sync and
 * the lists use) must give the same status and the same public reason, including the category of
 * a staff suspension ("under review", ADR 0027). The set-based facts (`withStatusFacts`, a query
 * per fact table for a batch of trainers, which the stored-status refresh and the credential sync
 * use) must give each certificate the same facts, status, reason and fresh-until dates as the
 * per-certificate forms.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { iso } from "~/utils/clock";
import { addDays } from "~/utils/dates";
import { getEntryRequirementFacts } from "~/evidence/facts.server";
import { certificateStatus, STATUS_LABELS, type CertificateStatus } from "~/certificates/status";
import { CERTIFICATE_STATUS_COLUMNS, liveStatusIs, liveStatusOfRow, liveStatusSql, statusFactColumns, withStatusFacts, type StatusRules } from "~/certificates/status-sql.server";
import { freshUntil } from "~/certificates/stored-status.server";
import { agreementStanding, type AgreementRule } from "~/agreement/reacceptance.server";
import { supervisionStanding, type SupervisionRule } from "~/supervision/supervision.server";
import { createTestDb } from "../helpers/db";

const today = "2026-06-01";
const now = new Date(`${today}T09:00:00Z`);
const d = (days: number) => addDays(today, days);

type Ins = { status: "verified" | "submitted"; start: number; end: number }[];
const INSURANCE: Record<string, Ins> = {
  none: [],
  unverifiedOnly: [{ status: "submitted", start: -10, end: 300 }],
  current: [{ status: "verified", start: -10, end: 300 }],
  ended: [{ status: "verified", start: -400, end: -1 }],
  endsToday: [{ status: "verified", start: -300, end: 0 }],
  startsTomorrow: [{ status: "verified", start: 1, end: 300 }],
  startsToday: [{ status: "verified", start: 0, end: 300 }],
  currentThenLaterFuture: [{ status: "verified", start: -10, end: 100 }, { status: "verified", start: 50, end: 500 }],
  sameEndTwoPolicies: [{ status: "verified", start: 5, end: 200 }, { status: "verified", start: -5, end: 200 }],
};
type Dbs = { decision: "suitable" | "not_suitable" | "needs_review" | null; recheck: number | null }[];
const DBS: Record<string, Dbs> = {
  none: [],
  undecided: [{ decision: null, recheck: null }],
  suitable: [{ decision: "suitable", recheck: 100 }],
  recheckToday: [{ decision: "suitable", recheck: 0 }],
  recheckPast: [{ decision: "suitable", recheck: -1 }],
  recheckMissing: [{ decision: "suitable", recheck: null }],
  notSuitable: [{ decision: "not_suitable", recheck: 100 }],
  needsReview: [{ decision: "needs_review", recheck: 100 }],
  suitableThenUndecided: [{ decision: "suitable", recheck: 100 }, { decision: null, recheck: null }],
};
type Qual = { status: "verified" | "submitted"; kind: "personal_training" | "other"; level: number }[];
const QUALIFICATIONS: Record<string, Qual> = {
  none: [],
  pt3: [{ status: "verified", kind: "personal_training", level: 3 }],
  pt2: [{ status: "verified", kind: "personal_training", level: 2 }],
  other4: [{ status: "verified", kind: "other", level: 4 }],
  submittedPt3: [{ status: "submitted", kind: "personal_training", level: 3 }],
};
/** The trainer's current certificate: suspended or not, validity end and expiry relative to today. */
const CURRENT = [false, true].flatMap((suspended) => [-1, 0, 1].flatMap((validity) => [-1, 0, 1].map((expires) => ({ suspended, validity, expires }))));

/**
 * The agreement in force is "v2"; each trainer accepted it, only "v1", or nothing, turning with
 * the insurance case and the certificate state, so the valid facts meet every standing.
 */
const ACCEPTANCE = [["v1", "v2"], ["v1"], []] as const;
const rule = (windowEndsIn: number): AgreementRule => ({ currentVersion: "v2", label: "2026.2", publishedAt: iso(now), windowDays: 30, windowEndsOn: d(windowEndsIn) });
/** Each trainer's next supervision due date relative to today (null: no supervisor), turning like the acceptance. */
const SUPERVISION = [null, 10, -7, -8, 0] as const;
const OFF: SupervisionRule = { intervalMonths: 3, graceDays: 7, suspendsWhenOverdue: false };
const ON: SupervisionRule = { intervalMonths: 3, graceDays: 7, suspendsWhenOverdue: true };
const RULES: [string, StatusRules][] = [
  ["no agreement", { agreement: null, supervision: OFF }],
  ["inside the window", { agreement: rule(1), supervision: OFF }],
  ["the window ends today", { agreement: rule(0), supervision: OFF }],
  ["after the window", { agreement: rule(-5), supervision: OFF }],
  ["supervision switch on, inside the agreement window", { agreement: rule(1), supervision: ON }],
  ["supervision switch on, no grace, no agreement", { agreement: null, supervision: { ...ON, graceDays: 0 } }],
];

let db: DB;
let certCount = 0;

async function addTrainer(ins: Ins, dbs: Dbs, quals: Qual, accepted: readonly string[], supervisionDue: number | null, evidenceId: string | null): Promise<{ userId: number; evidenceId: string }> {
  const at = iso(now);
  const user = await db
    .insertInto("user")
    .values({ email: `t${Math.random().toString(36).slice(2)}@example.test`, name: "T", role: "trainer", password_hash: "x", disabled_at: null, created_at: at, updated_at: at })
    .returning("id")
    .executeTakeFirstOrThrow();
  let fileId = evidenceId;
  if (!fileId) {
    fileId = `file-${user.id}`;
    await db.insertInto("evidence_file").values({ id: fileId, owner_user_id: user.id, storage_name: fileId, media_type: "application/pdf", size_bytes: 1, sha256: "0", display_name: "x.pdf", created_at: at }).execute();
  }
  for (const p of ins) {
    await db
      .insertInto("insurance_policy")
      .values({ user_id: user.id, insurer: "I", policy_number: "P", public_liability_pence: 1, professional_indemnity_pence: 1, limit_basis: "aggregate", covered_activities: "x", territory: "UK", start_date: d(p.start), end_date: d(p.end), evidence_file_id: fileId, status: p.status, decided_by_user_id: null, decided_at: at, rejection_reason: null, expired_at: null, created_at: at })
      .execute();
  }
  for (const c of dbs) {
    await db
      .insertInto("dbs_check")
      .values({ user_id: user.id, certificate_number: null, issue_date: null, adults_barred_list: 1, children_barred_list: 0, workforce: "adult", update_service_subscribed: 0, status_check_consent: 0, will_show_original: 1, decision: c.decision, decided_by_user_id: null, decided_at: c.decision ? at : null, original_seen_on: null, original_seen_by_user_id: null, recheck_due_on: c.recheck === null ? null : d(c.recheck), recheck_flagged_at: null, details_erased_at: null, created_at: at })
      .execute();
  }
  for (const q of quals) {
    await db
      .insertInto("qualification")
      .values({ user_id: user.id, kind: q.kind, level: q.level, awarding_organisation: "A", title: "T", qualification_number: "600/0000/0", certificate_number: "C", issue_date: d(-100), evidence_file_id: fileId, cpd_evidence_file_id: null, status: q.status, decided_by_user_id: null, decided_at: at, rejection_reason: null, created_at: at })
      .execute();
  }
  for (const version of accepted) {
    await db.insertInto("agreement_acceptance").values({ user_id: user.id, agreement_version: version, typed_name: "T", accepted_at: at }).execute();
  }
  if (supervisionDue !== null) {
    await db.insertInto("supervision").values({ trainer_user_id: user.id, supervisor_user_id: user.id, assigned_at: at, assigned_by_user_id: null, next_due_on: d(supervisionDue) }).execute();
  }
  return { userId: user.id, evidenceId: fileId };
}

async function addCertificate(userId: number, state: { suspended?: boolean; validity: number; expires: number; superseded?: boolean; revoked?: boolean }) {
  certCount += 1;
  const at = iso(now);
  await db
    .insertInto("certificate")
    .values({
      id: `cert${String(certCount).padStart(8, "0")}`,
      user_id: userId,
      trainer_name: "T",
      issued_at: at,
      expires_on: d(state.expires),
      expiry_basis: "validity period",
      validity_ends_on: d(state.validity),
      agreement_version: "v",
      modules_json: "[]",
      report_json: "{}",
      scope_json: "{}",
      issuer: "RMR",
      eligibility_key: "k",
      superseded_by: state.superseded ? "someothercertificate" : null,
      superseded_at: state.superseded ? at : null,
      suspended_at: state.suspended ? at : null,
      suspension_reason: null,
      suspended_by: null,
      // Half the staff suspensions are "under review" (ADR 0027).
      suspension_category: state.suspended && certCount % 2 === 0 ? "under_review" : null,
      revoked_at: state.revoked ? at : null,
      revocation_reason: null,
      revoked_by: null,
      pdf: null,
    })
    .execute();
}

beforeAll(async () => {
  const base = await createTestDb();
  // One transaction for the whole set-up: tens of thousands of rows with one commit, not one
  // commit (and one flush to disk) per row, which takes minutes on PostgreSQL.
  await base.transaction().execute(async (trx) => {
    db = trx;
    let evidence: string | null = null;
    for (const [i, ins] of Object.values(INSURANCE).entries())
      for (const dbs of Object.values(DBS))
        for (const quals of Object.values(QUALIFICATIONS))
          for (const [c, current] of CURRENT.entries()) {
            const trainer = await addTrainer(ins, dbs, quals, ACCEPTANCE[(i + c) % ACCEPTANCE.length]!, SUPERVISION[(i + c) % SUPERVISION.length]!, evidence);
            evidence = trainer.evidenceId;
            await addCertificate(trainer.userId, current);
            // History that must never read as current, whatever the facts.
            if (current.validity === 1 && current.expires === 1 && !current.suspended) {
              await addCertificate(trainer.userId, { validity: 1, expires: 1, superseded: true });
              await addCertificate(trainer.userId, { validity: 1, expires: 1, revoked: true });
              await addCertificate(trainer.userId, { validity: 1, expires: 1, revoked: true, superseded: true, suspended: true });
            }
          }
  });
  db = base;
}, 300_000); // About 7,300 trainers.

describe.each(RULES)("the SQL live status (%s)", (_name, rules) => {
  const { agreement } = rules;
  it("agrees with the pure rule (fed by the real facts loaders) on every combination", async () => {
    const rows = await db
      .selectFrom("certificate")
      .select(["id", "user_id"])
      .select((eb) => [...statusFactColumns(eb, rules), liveStatusSql(eb, today, rules).as("sql_status")])
      .execute();
    expect(rows.length).toBe(Object.keys(INSURANCE).length * Object.keys(DBS).length * Object.keys(QUALIFICATIONS).length * (CURRENT.length + 3));
    const facts = new Map<number, Parameters<typeof certificateStatus>[1] & object>();
    const mismatches: string[] = [];
    const seen = new Set<CertificateStatus>();
    const reasons = new Set<string | null>();
    for (const row of rows) {
      if (!facts.has(row.user_id))
        facts.set(row.user_id, {
          ...(await getEntryRequirementFacts(db, row.user_id)),
          agreement: await agreementStanding(db, row.user_id, agreement),
          supervision: await supervisionStanding(db, row.user_id, rules.supervision),
        });
      const live = certificateStatus(row, facts.get(row.user_id)!, today);
      const pure = live.status;
      const fromRow = liveStatusOfRow(row, today, rules);
      if (fromRow.status !== live.status || fromRow.reason !== live.reason) mismatches.push(`${row.id}: pure ${live.status} (${live.reason}), row ${fromRow.status} (${fromRow.reason})`);
      seen.add(pure);
      reasons.add(live.reason);
      if (pure !== row.sql_status) mismatches.push(`${row.id}: pure ${pure}, sql ${row.sql_status}`);
    }
    expect(mismatches).toEqual([]);
    expect([...seen].sort()).toEqual(Object.keys(STATUS_LABELS).sort());
    // The agreement suspends only once its window has ended (today >= windowEndsOn).
    expect(reasons.has("agreement not accepted")).toBe(agreement !== null && today >= agreement.windowEndsOn);
    // Overdue supervision suspends only with the switch on; a staff suspension under review says so.
    expect(reasons.has("supervision overdue")).toBe(rules.supervision.suspendsWhenOverdue);
    expect(reasons.has("under review")).toBe(true);
  }, 120_000);

  it("the set-based facts (a query per fact table for a set of trainers) give every certificate the per-certificate rule's status, reason and fresh-until date", async () => {
    const rows = await db.selectFrom("certificate").select(["certificate.id", "certificate.user_id", ...CERTIFICATE_STATUS_COLUMNS]).orderBy("certificate.id").execute();
    // Shuffled and with each trainer several times, as a stale batch comes.
    const setBased = await withStatusFacts(db, [...rows].reverse(), rules);
    const correlated = new Map((await db.selectFrom("certificate").select((eb) => ["certificate.id", ...statusFactColumns(eb, rules)]).execute()).map((r) => [r.id, r]));
    const mismatches: string[] = [];
    const reference = new Map<number, Parameters<typeof certificateStatus>[1] & object>();
    for (const row of setBased) {
      // The reference: the rule in app/certificates, fed by the real per-trainer loaders, one certificate at a time.
      if (!reference.has(row.user_id))
        reference.set(row.user_id, {
          ...(await getEntryRequirementFacts(db, row.user_id)),
          agreement: await agreementStanding(db, row.user_id, agreement),
          supervision: await supervisionStanding(db, row.user_id, rules.supervision),
        });
      const pure = certificateStatus(row, reference.get(row.user_id)!, today);
      const fromSet = liveStatusOfRow(row, today, rules);
      if (fromSet.status !== pure.status || fromSet.reason !== pure.reason) mismatches.push(`${row.id}: pure ${pure.status} (${pure.reason}), set-based ${fromSet.status} (${fromSet.reason})`);
      const one = correlated.get(row.id)!;
      const single = liveStatusOfRow(one, today, rules);
      if (single.status !== fromSet.status || single.reason !== fromSet.reason) mismatches.push(`${row.id}: per-certificate SQL ${single.status}, set-based ${fromSet.status}`);
      for (const day of [today, d(1), d(31), d(400)])
        if (freshUntil(row, day, rules) !== freshUntil(one, day, rules)) mismatches.push(`${row.id}: fresh until ${freshUntil(one, day, rules)} per certificate, ${freshUntil(row, day, rules)} set-based (${day})`);
      for (const fact of ["insurance_start", "insurance_end", "dbs_decision", "dbs_recheck_due_on", "supervision_next_due_on"] as const)
        if ((one[fact] ?? null) !== row[fact]) mismatches.push(`${row.id}: ${fact} ${one[fact]} per certificate, ${row[fact]} set-based`);
      for (const fact of ["has_qualification", "accepted_agreement"] as const)
        if (Number(one[fact]) !== Number(row[fact])) mismatches.push(`${row.id}: ${fact} ${String(one[fact])} per certificate, ${String(row[fact])} set-based`);
    }
    expect(setBased.length).toBe(rows.length);
    expect(mismatches).toEqual([]);
  }, 120_000);

  it("filters by each status exactly as the CASE expression labels it", async () => {
    const all = await db.selectFrom("certificate").select("id").select((eb) => liveStatusSql(eb, today, rules).as("s")).execute();
    for (const status of Object.keys(STATUS_LABELS) as CertificateStatus[]) {
      const filtered = await db.selectFrom("certificate").select("id").where((eb) => liveStatusIs(eb, status, today, rules)).orderBy("id").execute();
      expect(filtered.map((r) => r.id), status).toEqual(all.filter((r) => r.s === status).map((r) => r.id).sort());
      expect(filtered.length, status).toBeGreaterThan(0);
    }
  });
});
