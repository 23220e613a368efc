import type { Kysely } from "kysely";

// Frozen in time: never import application code here and never edit after it has shipped.
// The public register of Approved Trainers (issue 12, ADR 0029): one row per trainer who has
// consented to be listed, with when they consented and, once they withdraw, when they did.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("register_listing")
    // A random public id: the contact link names the listing, never the user id.
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().unique().references("user.id"))
    .addColumn("area", "text", (c) => c.notNull())
    .addColumn("postcode_district", "text")
    .addColumn("profile", "text")
    .addColumn("consented_at", "text", (c) => c.notNull())
    .addColumn("withdrawn_at", "text")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  // The register's search: listed trainers in one area.
  await db.schema.createIndex("register_listing_area").on("register_listing").columns(["area", "withdrawn_at"]).execute();
}
