import type { Kysely } from "kysely";

// Frozen in time: never import application code here and never edit after it has shipped.
// "Download my data" (issue 17 item 3, ADR 0033): a request for everything the academy holds about
// a trainer, asked by the trainer or by an admin for a subject access request (with a reason).
// A background worker claims it (claimed_at/claimed_by, a conditional update), writes the ZIP into
// the evidence store (storage_name) and emails the requester a link `id.secret` (only the SHA-256
// of the secret is kept), which works for the requester alone until expires_at (7 days); the
// hourly job then deletes the file (deleted_at).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("data_export")
    .addColumn("id", "text", (c) => c.primaryKey())
    // Set when the ZIP is ready and its link is emailed.
    .addColumn("secret_hash", "text")
    .addColumn("subject_user_id", "integer", (c) => c.notNull().references("user.id"))
    .addColumn("requested_by_user_id", "integer", (c) => c.notNull().references("user.id"))
    // A staff request's reason (a subject access request); null when the trainer asked.
    .addColumn("reason", "text")
    .addColumn("requested_at", "text", (c) => c.notNull())
    .addColumn("claimed_at", "text")
    .addColumn("claimed_by", "text")
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("ready_at", "text")
    .addColumn("expires_at", "text")
    .addColumn("storage_name", "text")
    .addColumn("size_bytes", "integer")
    .addColumn("sha256", "text")
    .addColumn("failed_at", "text")
    .addColumn("last_error", "text")
    .addColumn("deleted_at", "text")
    .addColumn("downloaded_at", "text")
    .execute();
  await db.schema.createIndex("data_export_subject").on("data_export").columns(["subject_user_id", "requested_at"]).execute();
  await db.schema.createIndex("data_export_requester").on("data_export").columns(["requested_by_user_id", "requested_at"]).execute();
  await db.schema.createIndex("data_export_pending").on("data_export").columns(["ready_at", "failed_at"]).execute();
  await db.schema.createIndex("data_export_expires").on("data_export").columns(["deleted_at", "expires_at"]).execute();
}
