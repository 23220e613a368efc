import type { Kysely } from "kysely";

// Frozen in time: never import application code here and never edit after it has shipped.
// Showing the original DBS certificate (issue 13 item 5, ADR 0037): assessors offer times to see
// it (in person, or by video with the certificate held to the camera); a trainer books one, or
// asks to be contacted and sees who will; the assessor records when and how they saw it. None of
// this is a DBS certificate detail: the number and issue date stay on dbs_check, admins only.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("dbs_viewing_slot")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("assessor_user_id", "integer", (c) => c.notNull().references("user.id"))
    // UK local time as typed, "YYYY-MM-DDTHH:MM".
    .addColumn("starts_at", "text", (c) => c.notNull())
    .addColumn("method", "text", (c) => c.notNull())
    .addColumn("place", "text", (c) => c.notNull())
    .addColumn("booked_dbs_check_id", "integer", (c) => c.unique().references("dbs_check.id"))
    .addColumn("booked_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("dbs_viewing_slot_open").on("dbs_viewing_slot").columns(["booked_dbs_check_id", "starts_at"]).execute();
  // The slot's booked_dbs_check_id is the foreign key; this copy on the check has none, so the two
  // tables form no cycle of foreign keys (db:copy-to-postgres copies tables in foreign-key order).
  await db.schema.alterTable("dbs_check").addColumn("viewing_slot_id", "integer").execute();
  await db.schema.alterTable("dbs_check").addColumn("viewing_contact_requested_at", "text").execute();
  await db.schema.alterTable("dbs_check").addColumn("viewing_contact_note", "text").execute();
  await db.schema.alterTable("dbs_check").addColumn("viewing_contact_user_id", "integer", (c) => c.references("user.id")).execute();
  await db.schema.alterTable("dbs_check").addColumn("original_seen_how", "text").execute();
}
