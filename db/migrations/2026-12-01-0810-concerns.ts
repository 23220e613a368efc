import type { Kysely } from "kysely";

// Frozen in time: never import application code here and never edit after it has shipped.
// Concerns about Approved Trainers (issue 12 item 2, ADR 0030): raised by anyone from a
// verification page (confirmed by an emailed link) or by staff, triaged by admins. Every step is
// a row of concern_event, the timeline. Nothing here is ever shown publicly.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("concern")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("reference", "text", (c) => c.notNull().unique())
    .addColumn("trainer_user_id", "integer", (c) => c.notNull().references("user.id"))
    .addColumn("certificate_id", "text", (c) => c.notNull().references("certificate.id"))
    .addColumn("raised_by_user_id", "integer", (c) => c.references("user.id"))
    .addColumn("raiser_name", "text", (c) => c.notNull())
    .addColumn("raiser_organisation", "text")
    .addColumn("raiser_email", "text", (c) => c.notNull())
    .addColumn("relationship", "text", (c) => c.notNull())
    .addColumn("category", "text", (c) => c.notNull())
    .addColumn("what_happened", "text", (c) => c.notNull())
    .addColumn("happened_when", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("confirm_secret_hash", "text")
    .addColumn("confirmed_at", "text")
    .addColumn("severity", "text")
    .addColumn("handler_user_id", "integer", (c) => c.references("user.id"))
    .addColumn("outcome", "text")
    .addColumn("closed_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("concern_status_id").on("concern").columns(["status", "id"]).execute();
  await db.schema
    .createTable("concern_event")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("concern_id", "integer", (c) => c.notNull().references("concern.id"))
    .addColumn("occurred_at", "text", (c) => c.notNull())
    .addColumn("actor_user_id", "integer", (c) => c.references("user.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .execute();
  await db.schema.createIndex("concern_event_concern").on("concern_event").columns(["concern_id", "id"]).execute();
}
