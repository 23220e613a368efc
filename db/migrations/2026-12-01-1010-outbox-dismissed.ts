import type { Kysely } from "kysely";

// Frozen in time: never import application code here and never edit after it has shipped.
// Emails the outbox worker gave up on (failed_at set) are listed for admins on
// /admin/failed-emails (issue 12, ADR 0028), who retry or dismiss each. A dismissed email stays in
// the table (the record of what was not sent) and leaves the list. The index serves the list:
// failed emails, newest failure first.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("email_outbox").addColumn("dismissed_at", "text").execute();
  await db.schema
    .alterTable("email_outbox")
    .addColumn("dismissed_by_user_id", "integer", (c) => c.references("user.id"))
    .execute();
  await db.schema.createIndex("email_outbox_failed").on("email_outbox").columns(["failed_at", "id"]).execute();
}
