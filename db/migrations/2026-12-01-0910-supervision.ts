import type { Kysely } from "kysely";

// Frozen in time: never import application code here and never edit after it has shipped.
// Supervision of certified trainers (issue 12 item 1, ADR 0026) and the public category of a
// staff suspension (ADR 0027): "under review" (a concern) or the framework's governance.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("certificate").addColumn("suspension_category", "text").execute();
  // One row per supervised trainer: who supervises them and when the next session is due. The
  // live certificate status reads next_due_on by primary key (one seek per certificate).
  await db.schema
    .createTable("supervision")
    .addColumn("trainer_user_id", "integer", (c) => c.primaryKey().references("user.id"))
    .addColumn("supervisor_user_id", "integer", (c) => c.notNull().references("user.id"))
    .addColumn("assigned_at", "text", (c) => c.notNull())
    .addColumn("assigned_by_user_id", "integer", (c) => c.references("user.id"))
    .addColumn("next_due_on", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("supervision_supervisor_due").on("supervision").columns(["supervisor_user_id", "next_due_on"]).execute();
  await db.schema.createIndex("supervision_next_due").on("supervision").columns(["next_due_on"]).execute();
  await db.schema
    .createTable("supervision_session")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("trainer_user_id", "integer", (c) => c.notNull().references("user.id"))
    .addColumn("supervisor_user_id", "integer", (c) => c.notNull().references("user.id"))
    .addColumn("held_on", "text", (c) => c.notNull())
    .addColumn("mode", "text", (c) => c.notNull())
    .addColumn("topics", "text", (c) => c.notNull())
    .addColumn("summary", "text", (c) => c.notNull())
    .addColumn("next_due_on", "text", (c) => c.notNull())
    .addColumn("recorded_at", "text", (c) => c.notNull())
    .addColumn("confirmed_at", "text")
    .execute();
  await db.schema.createIndex("supervision_session_trainer").on("supervision_session").columns(["trainer_user_id", "id"]).execute();
  await db.schema
    .createTable("supervision_action")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("session_id", "integer", (c) => c.notNull().references("supervision_session.id"))
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("due_on", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("supervision_action_session").on("supervision_action").columns(["session_id", "id"]).execute();
}
