import type { Kysely } from "kysely";

// Frozen in time: never import application code here and never edit after it has shipped.
// Two-factor sign-in (issue 17 item 1, ADR 0032): one TOTP secret per person (encrypted with a key
// from app_secret), unconfirmed until the person types a code from their app; the time steps of the
// codes accepted lately, so a code cannot be used twice; ten recovery codes, stored as SHA-256 hashes.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("second_factor")
    .addColumn("user_id", "integer", (c) => c.primaryKey().references("user.id"))
    .addColumn("secret_encrypted", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("confirmed_at", "text")
    .execute();
  // One row per accepted code: the primary key makes a second use of the same code fail, even
  // from two requests at once. Rows far from the current step are deleted as codes are used.
  await db.schema
    .createTable("second_factor_used_step")
    .addColumn("user_id", "integer", (c) => c.notNull().references("user.id"))
    .addColumn("step", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("second_factor_used_step_pk", ["user_id", "step"])
    .execute();
  await db.schema
    .createTable("recovery_code")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("user_id", "integer", (c) => c.notNull().references("user.id"))
    .addColumn("code_hash", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .execute();
  await db.schema.createIndex("recovery_code_user").on("recovery_code").columns(["user_id", "code_hash"]).execute();
}
