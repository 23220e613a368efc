import { sql, type Kysely } from "kysely";
import { isPostgres } from "../dialect";

// Frozen in time: never import application code here and never edit after it has shipped.
// The stored certificate status (ADR 0025) is marked stale by triggers on the tables the rule
// reads. On insurance policies and DBS records they fired on an update of any column, so the
// hourly jobs' own writes, which change nothing the rule reads (an insurance policy marked
// expired_at, a DBS record's re-check flag, its certificate number and issue date erased after
// retention), marked every certificate of those trainers stale, and the credential sync then
// recomputed them all (a backlog of 32,179 erasures at 50,000 trainers re-staled most of the
// 40,000 certificates just refreshed; issue 19). Now an update fires only when it changes a
// column the rule reads: a policy's trainer, status and dates; a DBS record's trainer, decision
// and re-check date (the latest record is found by id, which never changes). Inserts and
// deletes still fire.
const COLUMNS: [string, string[]][] = [
  ["insurance_policy", ["user_id", "status", "start_date", "end_date"]],
  ["dbs_check", ["user_id", "decision", "recheck_due_on"]],
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    for (const [table, columns] of COLUMNS) {
      await sql`DROP TRIGGER ${sql.id(`${table}_certificate_status`)} ON ${sql.table(table)}`.execute(db);
      await sql`CREATE TRIGGER ${sql.id(`${table}_certificate_status`)} AFTER INSERT OR DELETE OR UPDATE OF ${sql.join(columns.map((c) => sql.id(c)))} ON ${sql.table(table)}
        FOR EACH ROW EXECUTE FUNCTION certificate_status_stale_user('user_id')`.execute(db);
    }
    return;
  }
  for (const [table, columns] of COLUMNS) {
    const stale = (row: "NEW" | "OLD") => `UPDATE certificate_status SET fresh_until = '' WHERE user_id = ${row}.user_id AND fresh_until <> '';`;
    await sql.raw(`DROP TRIGGER ${table}_certificate_status_update`).execute(db);
    await sql.raw(`CREATE TRIGGER ${table}_certificate_status_update AFTER UPDATE OF ${columns.join(", ")} ON ${table} BEGIN ${stale("OLD")} ${stale("NEW")} END`).execute(db);
  }
}
