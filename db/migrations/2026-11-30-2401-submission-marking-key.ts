import type { Kysely } from "kysely";

// Frozen in time: never import application code here and never edit after it has shipped.
// The assessor-only marking key of the task version a submission answered, kept with it like the
// task and rubric snapshot, so markers of an older submission read the key that went with it
// (issue 9). Shown to assessors and moderators only, never to trainers.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("report_submission").addColumn("marking_key", "text").execute();
}
