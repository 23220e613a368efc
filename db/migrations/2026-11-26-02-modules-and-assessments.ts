import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here and never edit after it has shipped.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("module_version")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("slug", "text", (c) => c.notNull())
    .addColumn("content_hash", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("version_notes", "text", (c) => c.notNull())
    .addColumn("published_at", "text", (c) => c.notNull())
    .addUniqueConstraint("module_version_slug_hash", ["slug", "content_hash"])
    .execute();

  await db.schema
    .createTable("section_progress")
    .addColumn("user_id", "integer", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addColumn("module_slug", "text", (c) => c.notNull())
    .addColumn("section_id", "text", (c) => c.notNull())
    .addColumn("module_version_id", "integer", (c) => c.notNull().references("module_version.id"))
    .addColumn("completed_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("section_progress_pk", ["user_id", "module_slug", "section_id"])
    .execute();

  await db.schema
    .createTable("module_resume")
    .addColumn("user_id", "integer", (c) => c.notNull().references("user.id").onDelete("cascade"))
    .addColumn("module_slug", "text", (c) => c.notNull())
    .addColumn("section_id", "text", (c) => c.notNull())
    .addColumn("visited_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("module_resume_pk", ["user_id", "module_slug"])
    .execute();

  await db.schema
    .createTable("assessment_attempt")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("user.id"))
    .addColumn("module_slug", "text", (c) => c.notNull())
    .addColumn("module_version_id", "integer", (c) => c.notNull().references("module_version.id"))
    .addColumn("pass_mark", "integer", (c) => c.notNull())
    .addColumn("started_at", "text", (c) => c.notNull())
    .addColumn("submitted_at", "text")
    .addColumn("score", "integer")
    .addColumn("total", "integer", (c) => c.notNull())
    .addColumn("percent", "integer")
    .addColumn("passed", "integer")
    .execute();
  await db.schema.createIndex("assessment_attempt_user_module").on("assessment_attempt").columns(["user_id", "module_slug", "started_at"]).execute();
  // At most one open attempt per trainer and module, enforced by the database.
  await sql`CREATE UNIQUE INDEX assessment_attempt_one_open ON assessment_attempt (user_id, module_slug) WHERE submitted_at IS NULL`.execute(db);

  await db.schema
    .createTable("attempt_question")
    .addColumn("attempt_id", "text", (c) => c.notNull().references("assessment_attempt.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("question_id", "text", (c) => c.notNull())
    // Snapshot of the question as it was when the attempt started (answer key included, server-only),
    // so a later content version never changes how this attempt is graded or shown.
    .addColumn("question_json", "text", (c) => c.notNull())
    .addColumn("option_order", "text", (c) => c.notNull())
    .addColumn("answer", "text")
    .addColumn("answered_at", "text")
    .addColumn("correct", "integer")
    .addPrimaryKeyConstraint("attempt_question_pk", ["attempt_id", "position"])
    .execute();

  await db.schema
    .createTable("assessment_unlock")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("user_id", "integer", (c) => c.notNull().references("user.id"))
    .addColumn("module_slug", "text", (c) => c.notNull())
    .addColumn("unlocked_by", "integer", (c) => c.notNull().references("user.id"))
    .addColumn("unlocked_at", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("assessment_policy")
    .addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn("cooldown_hours", "integer", (c) => c.notNull())
    .addColumn("fails_before_lock", "integer", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("updated_by", "integer", (c) => c.references("user.id"))
    .execute();
  await db.insertInto("assessment_policy").values({ id: 1, cooldown_hours: 24, fails_before_lock: 3, updated_at: "2026-11-26T00:00:00.000Z", updated_by: null }).execute();
}
