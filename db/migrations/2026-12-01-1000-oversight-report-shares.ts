import type { Kysely } from "kysely";

// Frozen in time: never import application code here and never edit after it has shipped.
// Oversight reports shared with commissioners (issue 15 item 4, ADR 0043): a trainer sends the
// report's link to a named recipient, or approves an admin's request to send it. The link is
// `id.secret`; only the SHA-256 of the secret is stored. It works until it expires or is revoked.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("oversight_report_share")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("secret_hash", "text", (c) => c.notNull())
    .addColumn("trainer_user_id", "integer", (c) => c.notNull().references("user.id"))
    .addColumn("requested_by_user_id", "integer", (c) => c.notNull().references("user.id"))
    .addColumn("recipient_name", "text", (c) => c.notNull())
    .addColumn("recipient_organisation", "text", (c) => c.notNull())
    .addColumn("recipient_email", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    // Set when the trainer sends it (at once for their own request, on approval for an admin's).
    .addColumn("sent_at", "text")
    .addColumn("expires_at", "text")
    .addColumn("declined_at", "text")
    .addColumn("revoked_at", "text")
    .addColumn("revoked_by_user_id", "integer", (c) => c.references("user.id"))
    .addColumn("view_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("last_viewed_at", "text")
    .execute();
  await db.schema.createIndex("oversight_report_share_trainer").on("oversight_report_share").columns(["trainer_user_id", "created_at"]).execute();
}
