/**
 * The programme dashboard (issue 15): where trainers are on the way to approval, how long it
 * takes, what certificates say today, what lapses soon and what is waiting. Every figure is a
 * count or an aggregate in SQL; no list of trainers is loaded. A fixed number of queries
 * whatever the size of the academy. The funnel and the time to certificate read each trainer's
 * stored progress row (`trainer_progress`, kept by triggers: trainer-progress.server.ts), one
 * pass over a narrow table; `funnelFromFacts` is the same funnel straight from the facts.
 *
 * The funnel and the time to certificate are about a population of trainers, which the filters
 * choose (a sign-up cohort month, or a range of sign-up days); the other figures describe the
 * academy today and are not filtered.
 */
import { sql, type Expression, type SqlBool } from "kysely";
import type { DB } from "~db/connection";
import { freshCertificateStatuses } from "~/certificates/stored-status.server";
import { STATUS_LABELS, type CertificateStatus } from "~/certificates/status";
import { listModules } from "~/content/catalog.server";
import { getStaffWork, type StaffWork } from "~/staff/work.server";
import { countOverdueSupervisions, getSupervisionRule } from "~/supervision/supervision.server";
import { formatWaiting } from "~/marking/rules";
import { iso } from "~/utils/clock";
import { addDays, addMonths, londonDayStart, ukToday } from "~/utils/dates";
import { invalid, ok, type Result } from "~/utils/result";
import { readDayRange } from "./day-range";
import { freshTrainerProgress, listsModule, progressChecks } from "./trainer-progress.server";

export interface ProgrammeFilter {
  /** A sign-up month, 'YYYY-MM' (UK time). */
  cohort: string | null;
  /** Sign-up days (UK), inclusive. */
  from: string | null;
  to: string | null;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function parseProgrammeFilter(params: URLSearchParams, now: Date): Result<ProgrammeFilter> {
  const errors: Record<string, string> = {};
  const cohortRaw = (params.get("cohort") ?? "").trim();
  const cohort = cohortRaw === "" ? null : MONTH.test(cohortRaw) ? cohortRaw : null;
  if (cohortRaw !== "" && !cohort) errors.cohort = "Choose a sign-up month from the list.";
  const { from, to } = readDayRange(params, now, errors);
  if (cohort && (from || to) && !errors.from && !errors.to) errors.cohort = "Choose either a cohort month or a date range, not both.";
  if (Object.keys(errors).length > 0) return invalid(errors, "The filters could not be applied. Check the fields marked below.");
  return ok({ cohort, from, to });
}

export interface FunnelStep {
  key: string;
  label: string;
  count: number;
}

export interface ProgrammeDashboard {
  funnel: FunnelStep[];
  timeToCertificate: { certified: number; medianDays: number | null; p90Days: number | null };
  certificatesByStatus: { status: CertificateStatus; label: string; count: number }[];
  expiring: { days: 30 | 60 | 90; count: number }[];
  dbsRechecksOverdue: number;
  /** Supervisions past their due date and the policy's grace period. */
  supervisionOverdue: number;
  work: StaffWork;
  concerns: { count: number; oldestAge: string | null };
  /** Months with sign-ups, newest first, for the cohort filter. */
  cohorts: string[];
}

/** The sign-up instants a filter selects: [from, before). */
function signUpRange(filter: ProgrammeFilter): { from: string | null; before: string | null } {
  if (filter.cohort) {
    const first = `${filter.cohort}-01`;
    return { from: iso(londonDayStart(first)), before: iso(londonDayStart(addMonths(first, 1))) };
  }
  return { from: filter.from ? iso(londonDayStart(filter.from)) : null, before: filter.to ? iso(londonDayStart(addDays(filter.to, 1))) : null };
}

/** The stored progress rows of the trainers who signed up in the range. */
function storedProgress(db: DB, range: { from: string | null; before: string | null }) {
  let q = db.selectFrom("trainer_progress").where("trainer_progress.trainer", "=", sql.lit(1));
  if (range.from) q = q.where("trainer_progress.signed_up_at", ">=", range.from);
  if (range.before) q = q.where("trainer_progress.signed_up_at", "<", range.before);
  return q;
}

const sum = (name: string, condition: Expression<SqlBool>) => sql<number>`sum(case when ${condition} then 1 else 0 end)`.as(name);

function funnelSteps(row: Record<string, unknown>): FunnelStep[] {
  const n = (key: string) => Number(row[key] ?? 0);
  return [
    { key: "signed_up", label: "Signed up", count: n("signed_up") },
    { key: "entry", label: "Entry requirements verified", count: n("entry") },
    ...listModules().map((m, i) => ({ key: `module:${m.slug}`, label: `Passed: ${m.title}`, count: n(`module_${i}`) })),
    { key: "report", label: "Report task passed", count: n("report") },
    { key: "agreement", label: "Agreement accepted", count: n("agreement") },
    { key: "certified", label: "Certified", count: n("certified") },
  ];
}

/**
 * The funnel straight from the facts, each check a seek per trainer (about ten per trainer): what
 * the stored progress rows must always agree with (tests/unit/reports-programme.test.ts). Not
 * used by the dashboard.
 */
export async function funnelFromFacts(db: DB, filter: ProgrammeFilter): Promise<FunnelStep[]> {
  const range = signUpRange(filter);
  const checks = progressChecks(sql.ref<number>("user.id"));
  let q = db.selectFrom("user").where("user.role", "=", "trainer");
  if (range.from) q = q.where("user.created_at", ">=", range.from);
  if (range.before) q = q.where("user.created_at", "<", range.before);
  const row = await q
    .select([
      sql<number>`count(*)`.as("signed_up"),
      sum("entry", checks.entry),
      ...listModules().map((m, i) => sum(`module_${i}`, checks.passedModule(m.slug))),
      sum("report", checks.report),
      sum("agreement", checks.agreement),
      sum("certified", checks.certified),
    ])
    .executeTakeFirstOrThrow();
  return funnelSteps(row as Record<string, unknown>);
}

export async function programmeDashboard(db: DB, filter: ProgrammeFilter, now: Date): Promise<ProgrammeDashboard> {
  const today = ukToday(now);
  // Certificates by live status and the expiry windows are counts over the stored statuses
  // (ADR 0025), brought up to date first: an index range each, not the rule over every certificate.
  await freshCertificateStatuses(db, now);
  const range = signUpRange(filter);
  const modules = listModules();
  // The funnel and the time to certificate: one pass over the stored progress rows (kept by
  // triggers, recomputed here when stale), not ten seeks per trainer.
  await freshTrainerProgress(db);
  const [funnelRow, certified, byStatus, expiring, overdue, supervisionOverdue, work, concerns, cohorts] = await Promise.all([
    storedProgress(db, range)
      .select([
        sql<number>`count(*)`.as("signed_up"),
        sum("entry", sql<SqlBool>`trainer_progress.entry = 1`),
        ...modules.map((m, i) => sum(`module_${i}`, listsModule(db, m.slug))),
        sum("report", sql<SqlBool>`trainer_progress.report = 1`),
        sum("agreement", sql<SqlBool>`trainer_progress.agreement = 1`),
        sum("certified", sql<SqlBool>`trainer_progress.first_certified_at is not null`),
      ])
      .executeTakeFirstOrThrow() as Promise<Record<string, unknown>>,
    timeToCertificate(db, range),
    db
      .selectFrom("certificate_status")
      .select((eb) => ["certificate_status.status", eb.fn.countAll().as("n")])
      .groupBy("certificate_status.status")
      .execute(),
    db
      .selectFrom("certificate_status")
      .select([
        sql<number>`sum(case when certificate_status.expires_on <= ${addDays(today, 30)} then 1 else 0 end)`.as("d30"),
        sql<number>`sum(case when certificate_status.expires_on <= ${addDays(today, 60)} then 1 else 0 end)`.as("d60"),
        sql<number>`count(*)`.as("d90"),
      ])
      .where("certificate_status.status", "=", "valid")
      .where("certificate_status.expires_on", "<=", addDays(today, 90))
      .executeTakeFirstOrThrow(),
    // A range of dbs_check_decision_recheck (the suitable decisions whose re-check date has come,
    // a few hundred), each a seek for the trainer's newest check: not every suitable decision.
    db
      .selectFrom("dbs_check as d")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("d.decision", "=", "suitable")
      .where("d.recheck_due_on", "<=", today)
      .where((eb) => eb("d.id", "=", eb.selectFrom("dbs_check as newer").select((e) => e.fn.max("newer.id").as("id")).whereRef("newer.user_id", "=", "d.user_id")))
      .executeTakeFirstOrThrow(),
    getSupervisionRule(db).then((rule) => countOverdueSupervisions(db, today, rule.graceDays)),
    getStaffWork(db, "admin", now),
    db
      .selectFrom("concern")
      .select((eb) => [eb.fn.countAll().as("n"), eb.fn.min("concern.confirmed_at").as("oldest")])
      .where("concern.status", "=", "open")
      .executeTakeFirstOrThrow(),
    signUpMonths(db),
  ]);
  const funnel = funnelSteps(funnelRow);
  const statusCounts = new Map(byStatus.map((r) => [r.status as CertificateStatus, Number(r.n)]));
  const oldest = concerns.oldest as string | null;
  return {
    funnel,
    timeToCertificate: certified,
    certificatesByStatus: (Object.keys(STATUS_LABELS) as CertificateStatus[]).map((status) => ({ status, label: STATUS_LABELS[status], count: statusCounts.get(status) ?? 0 })),
    expiring: [
      { days: 30, count: Number(expiring.d30 ?? 0) },
      { days: 60, count: Number(expiring.d60 ?? 0) },
      { days: 90, count: Number(expiring.d90 ?? 0) },
    ],
    dbsRechecksOverdue: Number(overdue.n),
    supervisionOverdue,
    work,
    concerns: { count: Number(concerns.n), oldestAge: oldest ? formatWaiting(new Date(oldest), now) : null },
    cohorts,
  };
}

/**
 * Median and 90th percentile of the days from sign-up to a trainer's first certificate, by the
 * nearest-rank method (rank ⌈p·n⌉, in integers: (n + 1) / 2 and (9n + 9) / 10), in one statement
 * (one snapshot): the count, and the value at each rank read in order with an OFFSET of rank − 1,
 * all from trainer_progress_certified_days (days and sign-up of the trainers with days), so no
 * sort. Portable: SQLite has no percentile function. The first version numbered every certified
 * trainer with a window function after a sort (33 ms at 10,000 trainers under load, ADR 0045).
 * The first certificate per trainer is stored in its progress row (freshened by the caller).
 */
async function timeToCertificate(db: DB, range: { from: string | null; before: string | null }): Promise<ProgrammeDashboard["timeToCertificate"]> {
  const withDays = () => storedProgress(db, range).where("trainer_progress.certified_days", "is not", null);
  const count = () => withDays().select(sql<number>`count(*)`.as("n"));
  const at = (offset: Expression<number>) => withDays().select("trainer_progress.certified_days").orderBy("trainer_progress.certified_days").limit(1).offset(offset);
  // OFFSET rank − 1: (n − 1) / 2 and (9n − 1) / 10. With n = 0 both are 0, not −1 (integer
  // division truncates toward zero on both engines; PostgreSQL refuses a negative OFFSET).
  const row = await db.selectNoFrom([count().as("n"), at(sql<number>`((${count()}) - 1) / 2`).as("median"), at(sql<number>`(9 * (${count()}) - 1) / 10`).as("p90")]).executeTakeFirstOrThrow();
  const n = Number(row.n ?? 0);
  if (n === 0) return { certified: 0, medianDays: null, p90Days: null };
  const days = (value: unknown) => Math.round(Number(value) * 10) / 10;
  return { certified: n, medianDays: days(row.median), p90Days: days(row.p90) };
}

/** The months (UK) in which trainers signed up, newest first: from the first and last sign-up. */
async function signUpMonths(db: DB): Promise<string[]> {
  // One min() and one max(), each a walk of trainer_progress_signed_up from its end that stops at
  // the first trainer (SQLite does this for a lone min or max, not for both in one select).
  const edge = (fn: "min" | "max") => storedProgress(db, { from: null, before: null }).select((eb) => eb.fn[fn]("trainer_progress.signed_up_at").as("at"));
  const row = await db.selectNoFrom([edge("min").as("first"), edge("max").as("last")]).executeTakeFirstOrThrow();
  if (!row.first || !row.last) return [];
  const month = (instant: string) => ukToday(new Date(instant)).slice(0, 7);
  const months: string[] = [];
  for (let m = month(row.last as string); m >= month(row.first as string) && months.length < 120; m = addMonths(`${m}-01`, -1).slice(0, 7)) months.push(m);
  return months;
}
