import { sql, type Kysely } from "kysely";
import { createRefusalTrigger, isPostgres } from "../dialect";

// Frozen in time: never import application code here and never edit after it has shipped.
// Erasure requests (issue 17 item 4, ADR 0034): a trainer asks to close their account and have
// their data erased; an admin carries it out or refuses with a reason. Carrying it out marks the
// account (`user.erased_at`), the certificates it held (`certificate.holder_erased_at`: the
// verification page then reads "No longer listed") and the report submissions whose text was
// overwritten (`report_submission.body_erased_at`).
//
// A submitted report's text is frozen by triggers (2026-11-26-04). They are put back with one
// exception: the single update that erases the text (body_erased_at set from null, the
// submission's identity, task and time unchanged). Once erased, the text is frozen again.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("erasure_request")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("user_id", "integer", (c) => c.notNull().references("user.id"))
    .addColumn("status", "text", (c) => c.notNull().check(sql`status IN ('pending', 'withdrawn', 'refused', 'carried_out')`))
    .addColumn("requested_at", "text", (c) => c.notNull())
    .addColumn("withdrawn_at", "text")
    .addColumn("decided_at", "text")
    .addColumn("decided_by_user_id", "integer", (c) => c.references("user.id"))
    .addColumn("refusal_reason", "text")
    .execute();
  // At most one pending request per person, enforced by the database.
  await sql`CREATE UNIQUE INDEX erasure_request_one_pending ON erasure_request (user_id) WHERE status = 'pending'`.execute(db);
  // The admins' list: pending requests, oldest first (keyset on requested_at, id).
  await db.schema.createIndex("erasure_request_status").on("erasure_request").columns(["status", "requested_at", "id"]).execute();

  await db.schema.alterTable("user").addColumn("erased_at", "text").execute();
  await db.schema.alterTable("certificate").addColumn("holder_erased_at", "text").execute();
  await db.schema.alterTable("report_submission").addColumn("body_erased_at", "text").execute();

  const erasing =
    "OLD.body_erased_at IS NULL AND NEW.body_erased_at IS NOT NULL AND NEW.user_id = OLD.user_id AND NEW.version = OLD.version AND NEW.module_slug = OLD.module_slug" +
    " AND NEW.module_version_id = OLD.module_version_id AND NEW.task_json = OLD.task_json AND NEW.candidate_number = OLD.candidate_number AND NEW.submitted_at = OLD.submitted_at";
  if (isPostgres(db)) {
    await sql`DROP TRIGGER report_submission_text_frozen ON report_submission`.execute(db);
    await sql`DROP TRIGGER report_submission_released_final ON report_submission`.execute(db);
    const frozen = ["user_id", "version", "module_slug", "module_version_id", "task_json", "body", "word_count", "candidate_number", "submitted_at", "body_erased_at"];
    await createRefusalTrigger(db, { name: "report_submission_text_frozen", table: "report_submission", on: "UPDATE", columns: frozen, when: `NOT (${erasing})`, message: "a submitted report never changes" });
    await createRefusalTrigger(db, { name: "report_submission_released_final", table: "report_submission", on: "UPDATE", when: `OLD.status = 'released' AND NOT (${erasing} AND NEW.status = OLD.status)`, message: "a released outcome never changes" });
  } else {
    await sql`DROP TRIGGER report_submission_text_frozen`.execute(db);
    await sql`DROP TRIGGER report_submission_released_final`.execute(db);
    await sql`CREATE TRIGGER report_submission_text_frozen BEFORE UPDATE OF user_id, version, module_slug, module_version_id, task_json, body, word_count, candidate_number, submitted_at, body_erased_at ON report_submission
    WHEN NOT (${sql.raw(erasing)})
    BEGIN SELECT RAISE(ABORT, 'a submitted report never changes'); END`.execute(db);
    await sql`CREATE TRIGGER report_submission_released_final BEFORE UPDATE ON report_submission WHEN OLD.status = 'released' AND NOT (${sql.raw(erasing)} AND NEW.status = OLD.status)
    BEGIN SELECT RAISE(ABORT, 'a released outcome never changes'); END`.execute(db);
  }
}
