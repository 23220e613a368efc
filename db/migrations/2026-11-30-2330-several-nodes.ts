import type { Kysely } from "kysely";

// Frozen in time: never import application code here and never edit after it has shipped.
// Several app nodes against one database (issue 11, ADR 0021).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  // The email worker claims a batch before sending it, so two nodes never send the same email:
  // `claimed_at` (ISO time) and `claimed_by` (a random token per delivery run). A claim older
  // than the lease (outbox.server.ts) is taken over, so a node that died mid-batch loses it.
  await db.schema.alterTable("email_outbox").addColumn("claimed_at", "text").execute();
  await db.schema.alterTable("email_outbox").addColumn("claimed_by", "text").execute();
  await db.schema.createIndex("email_outbox_pending").on("email_outbox").columns(["sent_at", "id"]).execute();

  // Evidence files kept in the database, so any node serves them (PostgreSQL deployments;
  // SQLite keeps its folder). One row per stored file, named by evidence_file.storage_name.
  await db.schema
    .createTable("evidence_blob")
    .addColumn("storage_name", "text", (c) => c.primaryKey())
    .addColumn("content", "blob", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
}
