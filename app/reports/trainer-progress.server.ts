/**
 * Each account's place in the approval funnel, stored in `trainer_progress` (migration
 * 2026-12-01-1220-trainer-progress, ADR 0038) so the governance dashboard counts the funnel in one
 * pass over a narrow table instead of ten index seeks per trainer.
 *
 * The answers always come from the facts, by the checks below (the same as the straightforward
 * query, `funnelFromFacts`). None of them depends on the calendar, so a row holds until a fact
 * changes: triggers set `stale = 1` in the same transaction as any change to a column a check
 * reads, whoever makes it, and readers call `freshTrainerProgress` first: one index seek when
 * nothing is stale; otherwise the stale rows are recomputed by one set-based UPDATE per 1,000.
 */
import { sql, type Expression, type SqlBool } from "kysely";
import type { DB } from "~db/connection";
import { containsText, daysBetween, isPostgres } from "~db/dialect";

const BATCH = 1_000;

/** The funnel's checks for the account whose id is `user` (a column reference), as SQL. */
export function progressChecks(user: Expression<number>) {
  return {
    entry: sql<SqlBool>`exists (select 1 from qualification q where q.user_id = ${user} and q.status = 'verified')
      and exists (select 1 from insurance_policy i where i.user_id = ${user} and i.status = 'verified')
      and exists (select 1 from dbs_check d where d.user_id = ${user} and d.decision = 'suitable')`,
    passedModule: (slug: string) => sql<SqlBool>`exists (select 1 from assessment_attempt a where a.user_id = ${user} and a.module_slug = ${slug} and a.passed = 1)`,
    report: sql<SqlBool>`exists (select 1 from report_submission r where r.user_id = ${user} and r.status = 'released' and r.outcome = 'pass')`,
    agreement: sql<SqlBool>`exists (select 1 from agreement_acceptance aa where aa.user_id = ${user})`,
    certified: sql<SqlBool>`exists (select 1 from certificate c where c.user_id = ${user})`,
    firstCertifiedAt: sql<string | null>`(select min(c.issued_at) from certificate c where c.user_id = ${user})`,
  };
}

/**
 * Recomputes every stale row, 1,000 per transaction, each batch one UPDATE whose values are the
 * checks above. On PostgreSQL each batch first takes a lock that makes fact changes wait (their
 * triggers write to this table), so no change can slip between reading the facts and storing
 * the answer; on SQLite every write transaction is exclusive already. Returns the rows recomputed.
 */
export async function refreshTrainerProgress(db: DB): Promise<number> {
  const postgres = isPostgres(db);
  const user = sql.ref<number>("trainer_progress.user_id");
  const checks = progressChecks(user);
  const modules = postgres
    ? sql<string>`(select ',' || string_agg(distinct a.module_slug, ',') || ',' from assessment_attempt a where a.user_id = ${user} and a.passed = 1)`
    : sql<string>`(select ',' || group_concat(distinct a.module_slug) || ',' from assessment_attempt a where a.user_id = ${user} and a.passed = 1)`;
  const flag = (condition: Expression<SqlBool>) => sql<number>`case when ${condition} then 1 else 0 end`;
  let total = 0;
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      if (postgres) await sql`LOCK TABLE trainer_progress IN SHARE ROW EXCLUSIVE MODE`.execute(trx);
      const result = await trx
        .updateTable("trainer_progress")
        .set({
          entry: flag(checks.entry),
          modules_passed: sql<string>`coalesce(${modules}, ',')`,
          report: flag(checks.report),
          agreement: flag(checks.agreement),
          first_certified_at: checks.firstCertifiedAt,
          certified_days: sql<number | null>`(select ${daysBetween(db, "c.issued_at", "trainer_progress.signed_up_at")} from certificate c where c.user_id = ${user} order by c.issued_at limit 1)`,
          stale: 0,
        })
        .where("trainer_progress.user_id", "in", (eb) => eb.selectFrom("trainer_progress as s").select("s.user_id").where("s.stale", "=", sql.lit(1)).orderBy("s.user_id").limit(BATCH))
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    });
    total += done;
    if (done < BATCH) return total;
  }
}

/** Call before a read that uses `trainer_progress`: afterwards every row agrees with the facts. */
export async function freshTrainerProgress(db: DB): Promise<void> {
  const stale = await db.selectFrom("trainer_progress").select("user_id").where("stale", "=", sql.lit(1)).limit(1).executeTakeFirst();
  if (stale) await refreshTrainerProgress(db);
}

/**
 * Whether `trainer_progress.modules_passed` lists `slug`: the text holds `,slug,` (`instr` on
 * SQLite, `strpos` on PostgreSQL; an exact match, where a LIKE needed its wildcards escaped and
 * cost four times as much over 10,000 rows, ADR 0045).
 */
export function listsModule(db: DB, slug: string) {
  return containsText(db, "trainer_progress.modules_passed", `,${slug},`);
}
