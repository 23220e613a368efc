import type { Kysely } from "kysely";

// Frozen in time: never import application code here and never edit after it has shipped.
// When each version of the scope of practice agreement was first served: the re-acceptance
// window for certified trainers runs from this moment (issue 9, ADR 0015).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("agreement_version")
    .addColumn("version", "text", (c) => c.primaryKey())
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("published_at", "text", (c) => c.notNull())
    .execute();
}
