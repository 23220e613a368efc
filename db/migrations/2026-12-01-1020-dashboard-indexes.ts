import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here and never edit after it has shipped.
// The governance dashboard's funnel and time to certificate (issue 15, ADR 0038) read, for every
// trainer, whether they passed each module, whether their report passed, and when their first
// certificate was issued. Without these, each check read a trainer's attempt rows one by one
// (about twenty each at 200,000 attempts), the submission rows beside their report text, and
// each certificate row beside its PDF: over a second at 10,000 trainers on SQLite. Partial
// indexes hold only the passes, and the conditions are literals in the queries, so both engines
// use them. Justified by the query-plan tests in tests/unit/reports-programme-plan.test.ts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("assessment_attempt_passed").on("assessment_attempt").columns(["user_id", "module_slug"]).where(sql.ref("passed"), "=", sql.lit(1)).execute();
  await db.schema.createIndex("report_submission_passed").on("report_submission").column("user_id").where(sql.ref("status"), "=", sql.lit("released")).where(sql.ref("outcome"), "=", sql.lit("pass")).execute();
  await db.schema.createIndex("certificate_user_issued").on("certificate").columns(["user_id", "issued_at"]).execute();
}
