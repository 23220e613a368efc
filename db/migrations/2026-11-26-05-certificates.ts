import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here and never edit after it has shipped.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("agreement_acceptance")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("user_id", "integer", (c) => c.notNull().references("user.id"))
    .addColumn("agreement_version", "text", (c) => c.notNull())
    .addColumn("typed_name", "text", (c) => c.notNull())
    .addColumn("accepted_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("agreement_acceptance_user").on("agreement_acceptance").columns(["user_id", "agreement_version"]).execute();

  await db.schema
    .createTable("certificate")
    // At least 128 bits of randomness, URL-safe (base32).
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("user.id"))
    .addColumn("trainer_name", "text", (c) => c.notNull())
    .addColumn("issued_at", "text", (c) => c.notNull())
    .addColumn("expires_on", "text", (c) => c.notNull())
    .addColumn("expiry_basis", "text", (c) => c.notNull())
    .addColumn("validity_ends_on", "text", (c) => c.notNull())
    .addColumn("agreement_version", "text", (c) => c.notNull())
    .addColumn("modules_json", "text", (c) => c.notNull())
    .addColumn("report_json", "text", (c) => c.notNull())
    .addColumn("scope_json", "text", (c) => c.notNull())
    .addColumn("issuer", "text", (c) => c.notNull())
    .addColumn("eligibility_key", "text", (c) => c.notNull())
    // The newer certificate's id (not a foreign key: the old row is updated before the new one exists).
    .addColumn("superseded_by", "text")
    .addColumn("superseded_at", "text")
    .addColumn("suspended_at", "text")
    .addColumn("suspension_reason", "text")
    .addColumn("suspended_by", "integer", (c) => c.references("user.id"))
    .addColumn("revoked_at", "text")
    .addColumn("revocation_reason", "text")
    .addColumn("revoked_by", "integer", (c) => c.references("user.id"))
    .addColumn("pdf", "blob")
    .addColumn("credential_jwt", "text")
    .execute();
  await db.schema.createIndex("certificate_user").on("certificate").column("user_id").execute();
  // Once per eligibility: a trainer has at most one current certificate, whatever races.
  await sql`CREATE UNIQUE INDEX certificate_one_current ON certificate (user_id) WHERE superseded_by IS NULL AND revoked_at IS NULL`.execute(db);
}
