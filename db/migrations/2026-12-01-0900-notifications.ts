import type { Kysely } from "kysely";

// Frozen in time: never import application code here and never edit after it has shipped.
// Notifications (issue 12 item 3, ADR 0028): an in-app list per person, their choice of email
// (immediate or a daily digest), and an outbox worker that retries with backoff and gives up.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // The outbox worker (ADR 0028): how many sends were tried, when the next may be, and when it
  // gave up (a permanent failure is kept, with its error, and never claimed again).
  await db.schema.alterTable("email_outbox").addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("email_outbox").addColumn("next_attempt_at", "text").execute();
  await db.schema.alterTable("email_outbox").addColumn("failed_at", "text").execute();

  // One row per event for one person. `email` is how it reaches their inbox: 'immediate' (queued
  // with the event), 'digest' (waiting for the daily digest until `digested_at`), or 'none'.
  await db.schema
    .createTable("notification")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("user_id", "integer", (c) => c.notNull().references("user.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("link", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("read_at", "text")
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("digested_at", "text")
    .execute();
  await db.schema.createIndex("notification_user").on("notification").columns(["user_id", "id"]).execute();
  await db.schema.createIndex("notification_unread").on("notification").columns(["user_id", "read_at"]).execute();
  await db.schema.createIndex("notification_digest_due").on("notification").columns(["email", "digested_at", "user_id"]).execute();

  // A person's choice for non-urgent email; no row means the default ('digest' for staff,
  // 'immediate' for trainers: notify.server.ts).
  await db.schema
    .createTable("notification_preference")
    .addColumn("user_id", "integer", (c) => c.primaryKey().references("user.id"))
    .addColumn("email_mode", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  // One digest per person per UK day, whichever node's job sends it.
  await db.schema
    .createTable("notification_digest")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("user_id", "integer", (c) => c.notNull().references("user.id"))
    .addColumn("digest_day", "text", (c) => c.notNull())
    .addColumn("item_count", "integer", (c) => c.notNull())
    .addColumn("sent_at", "text", (c) => c.notNull())
    .addUniqueConstraint("notification_digest_user_day", ["user_id", "digest_day"])
    .execute();
}
