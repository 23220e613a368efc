import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here and never edit after it has shipped.
// Open Badges 3.0 credentials (ADR 0013): the issuer's keys, Bitstring Status Lists, and one row
// per issued credential. The VC-JWT column goes; certificates get OB 3.0 credentials from the
// data step that runs at start after migrations (app/certificates/credentials/upgrade.server.ts).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("credential_issuer_key")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("did", "text", (c) => c.notNull().unique())
    .addColumn("public_key_multibase", "text", (c) => c.notNull())
    .addColumn("secret_key_multibase", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    // A retired key signs no new credential; it still re-signs the status lists of the
    // credentials it issued, and stays published so those credentials keep verifying.
    .addColumn("retired_at", "text")
    .execute();

  await db.schema
    .createTable("status_list")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("issuer_key_id", "integer", (c) => c.notNull().references("credential_issuer_key.id"))
    .addColumn("length", "integer", (c) => c.notNull())
    // Bumped in the transaction that changes a bit; the list is re-signed until signed_version catches up.
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("signed_version", "integer", (c) => c.notNull().defaultTo(-1))
    .addColumn("credential_json", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("signed_at", "text")
    .execute();

  await db.schema
    .createTable("issued_credential")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("certificate_id", "text", (c) => c.notNull().references("certificate.id"))
    .addColumn("status_list_id", "integer", (c) => c.notNull().references("status_list.id"))
    .addColumn("status_index", "integer", (c) => c.notNull())
    .addColumn("identity_salt", "text", (c) => c.notNull())
    .addColumn("issued_at", "text", (c) => c.notNull())
    .addColumn("revoked_at", "text")
    .addColumn("revocation_reason", "text")
    // The signed credential (JSON text); null only between allocating the index and signing.
    .addColumn("json", "text")
    .execute();
  // An index is never used twice in a list: concurrent issuers that draw the same one retry.
  await db.schema.createIndex("issued_credential_status_slot").on("issued_credential").columns(["status_list_id", "status_index"]).unique().execute();
  // At most one live (unrevoked) credential per certificate, whatever races.
  await db.schema
    .createIndex("issued_credential_one_live")
    .on("issued_credential")
    .column("certificate_id")
    .unique()
    .where(sql.ref("revoked_at"), "is", null)
    .execute();

  await db.schema.alterTable("certificate").dropColumn("credential_jwt").execute();
}
