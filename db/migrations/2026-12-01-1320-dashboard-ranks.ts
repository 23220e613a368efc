import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here and never edit after it has shipped.
// The governance dashboard at 10,000 trainers and 200,000 attempts (issue 15, ADR 0045):
// - trainer_progress_certified_days: the median and 90th percentile of the days to a first
//   certificate are read as the value at a rank, in order with an OFFSET, from this index
//   (covering, with the sign-up instant for a cohort or date range) instead of numbering every
//   certified trainer with a window function after a sort. Partial, with literal conditions the
//   query repeats: an index led by `trainer` would be taken for the funnel's pass over every
//   trainer, which then reads each row through it (2.5 times as long as reading the table).
// - dbs_check_decision_recheck: DBS re-checks overdue are a range of the suitable decisions whose
//   re-check date has come (a few hundred), not every suitable decision with a seek each.
// Justified by the query-plan test in tests/unit/reports-programme-plan.test.ts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex("trainer_progress_certified_days")
    .on("trainer_progress")
    .columns(["certified_days", "signed_up_at"])
    .where(sql.ref("trainer"), "=", sql.lit(1))
    .where(sql.ref("certified_days"), "is not", null)
    .execute();
  await db.schema.createIndex("dbs_check_decision_recheck").on("dbs_check").columns(["decision", "recheck_due_on", "user_id", "id"]).execute();
}
