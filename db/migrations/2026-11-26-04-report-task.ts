import { sql, type Kysely } from "kysely";
import { createAppendOnlyTriggers, createRefusalTrigger, isPostgres } from "../dialect";

// Frozen in time: never import application code here and never edit after it has shipped.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // A trainer's working draft: one per trainer, overwritten by autosave, deleted on submit.
  await db.schema
    .createTable("report_draft")
    .addColumn("user_id", "integer", (c) => c.primaryKey().references("user.id").onDelete("cascade"))
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("word_count", "integer", (c) => c.notNull())
    .addColumn("saved_at", "text", (c) => c.notNull())
    .execute();

  // One row per submitted version. The text, the task snapshot and who wrote it never change;
  // only the workflow columns (status, who holds it, the released outcome) move forward.
  await db.schema
    .createTable("report_submission")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("user_id", "integer", (c) => c.notNull().references("user.id"))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("module_slug", "text", (c) => c.notNull())
    .addColumn("module_version_id", "integer", (c) => c.notNull().references("module_version.id"))
    .addColumn("task_json", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("word_count", "integer", (c) => c.notNull())
    .addColumn("candidate_number", "text", (c) => c.notNull())
    .addColumn("submitted_at", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().check(sql`status IN ('submitted', 'in_marking', 'marked', 'in_moderation', 'disputed', 'released')`))
    .addColumn("marker_id", "integer", (c) => c.references("user.id"))
    .addColumn("marking_started_at", "text")
    .addColumn("marked_at", "text")
    .addColumn("moderation_required", "integer")
    .addColumn("moderator_id", "integer", (c) => c.references("user.id"))
    .addColumn("moderation_started_at", "text")
    .addColumn("released_mark_id", "integer")
    .addColumn("outcome", "text", (c) => c.check(sql`outcome IN ('pass', 'refer')`))
    .addColumn("released_at", "text")
    .addUniqueConstraint("report_submission_user_version", ["user_id", "version"])
    .execute();
  // At most one open (not yet released) submission per trainer, enforced by the database.
  await sql`CREATE UNIQUE INDEX report_submission_one_open ON report_submission (user_id) WHERE status <> 'released'`.execute(db);
  await db.schema.createIndex("report_submission_status").on("report_submission").columns(["status", "submitted_at"]).execute();
  // PostgreSQL branch added after shipping (ADR 0011): the same refusals through db/dialect.ts;
  // the SQLite statements are unchanged.
  if (isPostgres(db)) {
    const frozen = ["user_id", "version", "module_slug", "module_version_id", "task_json", "body", "word_count", "candidate_number", "submitted_at"];
    await createRefusalTrigger(db, { name: "report_submission_text_frozen", table: "report_submission", on: "UPDATE", columns: frozen, message: "a submitted report never changes" });
    await createRefusalTrigger(db, { name: "report_submission_released_final", table: "report_submission", on: "UPDATE", when: "OLD.status = 'released'", message: "a released outcome never changes" });
    await createRefusalTrigger(db, { name: "report_submission_no_delete", table: "report_submission", on: "DELETE", message: "report submissions are kept" });
  } else {
  await sql`CREATE TRIGGER report_submission_text_frozen BEFORE UPDATE OF user_id, version, module_slug, module_version_id, task_json, body, word_count, candidate_number, submitted_at ON report_submission
    BEGIN SELECT RAISE(ABORT, 'a submitted report never changes'); END`.execute(db);
  await sql`CREATE TRIGGER report_submission_released_final BEFORE UPDATE ON report_submission WHEN OLD.status = 'released'
    BEGIN SELECT RAISE(ABORT, 'a released outcome never changes'); END`.execute(db);
  await sql`CREATE TRIGGER report_submission_no_delete BEFORE DELETE ON report_submission
    BEGIN SELECT RAISE(ABORT, 'report submissions are kept'); END`.execute(db);
  }

  // Every mark: the first marker's, and a moderator's (agreeing, or a different outcome with a reason).
  await db.schema
    .createTable("report_mark")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("submission_id", "integer", (c) => c.notNull().references("report_submission.id"))
    .addColumn("assessor_id", "integer", (c) => c.notNull().references("user.id"))
    .addColumn("role", "text", (c) => c.notNull().check(sql`role IN ('marker', 'moderator')`))
    .addColumn("outcome", "text", (c) => c.notNull().check(sql`outcome IN ('pass', 'refer')`))
    .addColumn("feedback", "text", (c) => c.notNull())
    .addColumn("agrees_with_mark_id", "integer", (c) => c.references("report_mark.id"))
    .addColumn("reason", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("report_mark_submission").on("report_mark").column("submission_id").execute();

  await db.schema
    .createTable("report_mark_criterion")
    .addColumn("mark_id", "integer", (c) => c.notNull().references("report_mark.id"))
    .addColumn("criterion_id", "text", (c) => c.notNull())
    .addColumn("level_id", "text", (c) => c.notNull())
    .addColumn("met", "integer", (c) => c.notNull())
    .addColumn("comment", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("report_mark_criterion_pk", ["mark_id", "criterion_id"])
    .execute();

  // An admin's decision between a marker and a moderator who disagree.
  await db.schema
    .createTable("report_resolution")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("submission_id", "integer", (c) => c.notNull().references("report_submission.id"))
    .addColumn("admin_id", "integer", (c) => c.notNull().references("user.id"))
    .addColumn("chosen_mark_id", "integer", (c) => c.notNull().references("report_mark.id"))
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  for (const table of ["report_mark", "report_mark_criterion", "report_resolution"]) {
    if (isPostgres(db)) {
      await createAppendOnlyTriggers(db, table, `${table} is append-only`);
      continue;
    }
    await sql`CREATE TRIGGER ${sql.raw(`${table}_no_update`)} BEFORE UPDATE ON ${sql.table(table)}
      BEGIN SELECT RAISE(ABORT, ${sql.lit(`${table} is append-only`)}); END`.execute(db);
    await sql`CREATE TRIGGER ${sql.raw(`${table}_no_delete`)} BEFORE DELETE ON ${sql.table(table)}
      BEGIN SELECT RAISE(ABORT, ${sql.lit(`${table} is append-only`)}); END`.execute(db);
  }
}
