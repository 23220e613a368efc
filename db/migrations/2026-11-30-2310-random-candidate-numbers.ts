import { randomInt } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { createRefusalTrigger, isPostgres } from "../dialect";

// Frozen in time: never import application code here and never edit after it has shipped.
// Blind marking (issue 16.11): candidate numbers were an unkeyed hash of the trainer's user id,
// so anyone with the list of ids could undo them. Every submission gets a random number instead
// (new ones from app/utils/random.server.ts); this renumbers the submissions already made. The
// triggers that freeze a submission are lifted for this one statement and put back unchanged.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const rows = (await db.selectFrom("report_submission").select("id").orderBy("id").execute()) as { id: number }[];
  if (rows.length === 0) return;
  const postgres = isPostgres(db);
  if (postgres) {
    await sql`DROP TRIGGER report_submission_text_frozen ON report_submission`.execute(db);
    await sql`DROP TRIGGER report_submission_released_final ON report_submission`.execute(db);
  } else {
    await sql`DROP TRIGGER report_submission_text_frozen`.execute(db);
    await sql`DROP TRIGGER report_submission_released_final`.execute(db);
  }
  const used = new Set<string>();
  for (const row of rows) {
    let number: string;
    do number = `C-${String(randomInt(10_000_000, 100_000_000))}`;
    while (used.has(number));
    used.add(number);
    await db.updateTable("report_submission").set({ candidate_number: number }).where("id", "=", row.id).execute();
  }
  if (postgres) {
    const frozen = ["user_id", "version", "module_slug", "module_version_id", "task_json", "body", "word_count", "candidate_number", "submitted_at"];
    await createRefusalTrigger(db, { name: "report_submission_text_frozen", table: "report_submission", on: "UPDATE", columns: frozen, message: "a submitted report never changes" });
    await createRefusalTrigger(db, { name: "report_submission_released_final", table: "report_submission", on: "UPDATE", when: "OLD.status = 'released'", message: "a released outcome never changes" });
  } else {
    await sql`CREATE TRIGGER report_submission_text_frozen BEFORE UPDATE OF user_id, version, module_slug, module_version_id, task_json, body, word_count, candidate_number, submitted_at ON report_submission
    BEGIN SELECT RAISE(ABORT, 'a submitted report never changes'); END`.execute(db);
    await sql`CREATE TRIGGER report_submission_released_final BEFORE UPDATE ON report_submission WHEN OLD.status = 'released'
    BEGIN SELECT RAISE(ABORT, 'a released outcome never changes'); END`.execute(db);
  }
}
