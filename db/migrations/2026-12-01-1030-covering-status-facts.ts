import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here and never edit after it has shipped.
// Issue 19, ADR 0014 and 0025, measured at 50,000 trainers:
// - certificate_status_facts gains suspension_category, the one column the stored-status refresh
//   read from the certificate row itself: each of the 40,000 rows of a backlog was a random read
//   of a wide row (beside its PDF); now the refresh reads the index alone.
// - certificate_current_validity: current certificates by the end of their validity period, for
//   the admin dashboard's "certified trainers without a supervisor" (it read every certificate).
//   Partial on the same condition as certificate_one_current; both engines use it for
//   `revoked_at IS NULL AND superseded_by IS NULL AND validity_ends_on > ?`. The two null
//   columns are in it too: SQLite reads a partial index alone only when it holds every column
//   the query names, the ones its condition already implies included.
// Justified by query-plan tests in tests/unit/staff-lists-scale.test.ts.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("certificate_status_facts").execute();
  await db.schema
    .createIndex("certificate_status_facts")
    .on("certificate")
    .columns(["id", "user_id", "validity_ends_on", "expires_on", "superseded_by", "suspended_at", "suspension_category", "revoked_at"])
    .execute();
  await db.schema
    .createIndex("certificate_current_validity")
    .on("certificate")
    .columns(["validity_ends_on", "user_id", "revoked_at", "superseded_by"])
    .where(sql.ref("revoked_at"), "is", null)
    .where(sql.ref("superseded_by"), "is", null)
    .execute();
}
