import { sql, type Kysely } from "kysely";
import { isPostgres } from "../dialect";

// Frozen in time: never import application code here and never edit after it has shipped.
// Issue 13, items 9 and 15 (ADR 0019):
// - one-time links gain two purposes: an administrator's invitation and the confirmation of a
//   new account's email address;
// - `user.email_confirmed_at`: accounts that existed before this migration count as confirmed
//   (they were created by an administrator, by the set-up link, or signed up before confirmation
//   existed, and have been using the address);
// - `user_invitation`: who invited which address with which role, and which account accepted it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const purposes = sql`purpose in ('password_reset', 'first_admin', 'invitation', 'email_confirmation')`;
  if (isPostgres(db)) {
    await sql`ALTER TABLE one_time_token DROP CONSTRAINT one_time_token_purpose_check`.execute(db);
    await sql`ALTER TABLE one_time_token ADD CONSTRAINT one_time_token_purpose_check CHECK (${purposes})`.execute(db);
  } else {
    // SQLite cannot change a CHECK constraint: the (small, short-lived) table is rebuilt.
    await db.schema
      .createTable("one_time_token_next")
      .addColumn("id", "text", (c) => c.primaryKey())
      .addColumn("purpose", "text", (c) => c.notNull().check(purposes))
      .addColumn("user_id", "integer", (c) => c.references("user.id").onDelete("cascade"))
      .addColumn("secret_hash", "text", (c) => c.notNull())
      .addColumn("created_at", "text", (c) => c.notNull())
      .addColumn("expires_at", "text", (c) => c.notNull())
      .addColumn("used_at", "text")
      .execute();
    await sql`INSERT INTO one_time_token_next (id, purpose, user_id, secret_hash, created_at, expires_at, used_at)
      SELECT id, purpose, user_id, secret_hash, created_at, expires_at, used_at FROM one_time_token`.execute(db);
    await db.schema.dropTable("one_time_token").execute();
    await db.schema.alterTable("one_time_token_next").renameTo("one_time_token").execute();
  }
  await db.schema.createIndex("one_time_token_user_purpose").on("one_time_token").columns(["user_id", "purpose"]).execute();

  await db.schema.alterTable("user").addColumn("email_confirmed_at", "text").execute();
  await db.updateTable("user").set({ email_confirmed_at: sql`created_at` }).execute();

  await db.schema
    .createTable("user_invitation")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("token_id", "text", (c) => c.notNull().unique())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('trainer', 'assessor', 'admin')`))
    .addColumn("invited_by", "integer", (c) => c.notNull().references("user.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("accepted_user_id", "integer", (c) => c.references("user.id"))
    .addColumn("accepted_at", "text")
    .addColumn("revoked_at", "text")
    .execute();
  await db.schema.createIndex("user_invitation_email").on("user_invitation").column("email").execute();
}
