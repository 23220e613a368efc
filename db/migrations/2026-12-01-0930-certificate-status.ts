import { sql, type Kysely } from "kysely";
import { isPostgres } from "../dialect";

// Frozen in time: never import application code here and never edit after it has shipped.
// Each certificate's live status, stored so the certificates list can filter, count and sort by
// it through an index, and the dashboard and the credential sync can count and find by it
// (issue 19, ADR 0025). The rule stays in app/certificates/status.ts; this table holds its
// answer and the first date on which that answer could change by the calendar alone
// (`fresh_until`). Triggers on every table the rule reads (insurance, DBS, qualifications,
// acceptances, supervision) mark the rows of the trainer
// concerned stale (`fresh_until = ''`) in the same transaction as the change, whoever makes it;
// app/certificates/stored-status.server.ts recomputes stale and date-passed rows before any read
// that relies on the stored answer. A new agreement version or a changed policy marks every row
// stale. Every existing certificate starts stale: the first refresh (at start) computes them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("certificate_status")
    .addColumn("certificate_id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("expires_on", "text", (c) => c.notNull())
    // The list's sort columns, copied: a page filtered by stored status sorts its candidates
    // from this narrow table without reading their certificate rows (each beside its PDF).
    .addColumn("issued_at", "text", (c) => c.notNull())
    .addColumn("trainer_name", "text", (c) => c.notNull())
    // '' (stale) or the first UK date on which the stored status may no longer hold.
    .addColumn("fresh_until", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("certificate_status_user").on("certificate_status").column("user_id").execute();
  await db.schema.createIndex("certificate_status_fresh").on("certificate_status").column("fresh_until").execute();
  // Filter and sort by status (keyset on status, id); count one status.
  await db.schema.createIndex("certificate_status_status").on("certificate_status").columns(["status", "certificate_id"]).execute();
  // "Valid and expiring within N days": a range of this index.
  await db.schema.createIndex("certificate_status_status_expires").on("certificate_status").columns(["status", "expires_on", "certificate_id"]).execute();

  // The facts the rule reads, each from an index alone (no read of the wide rows beside them:
  // a certificate row sits on its own page next to its PDF): the certificate's own dates and
  // marks by id, the longest-running verified policy's dates, the latest DBS record's decision
  // and re-check date. The sync's "has a live credential" (certificate_id, revoked_at) and its "never signed" credentials.
  await db.schema
    .createIndex("certificate_status_facts")
    .on("certificate")
    .columns(["id", "user_id", "validity_ends_on", "expires_on", "superseded_by", "suspended_at", "revoked_at"])
    .execute();
  await db.schema.createIndex("insurance_policy_user_status_end_start").on("insurance_policy").columns(["user_id", "status", "end_date", "id", "start_date"]).execute();
  await db.schema.createIndex("dbs_check_user_facts").on("dbs_check").columns(["user_id", "id", "decision", "recheck_due_on"]).execute();
  await db.schema.createIndex("issued_credential_certificate_revoked").on("issued_credential").columns(["certificate_id", "revoked_at"]).execute();
  await db.schema
    .createIndex("issued_credential_unsigned")
    .on("issued_credential")
    .column("certificate_id")
    .where(sql.ref("json"), "is", null)
    .where(sql.ref("revoked_at"), "is", null)
    .execute();

  await sql`INSERT INTO certificate_status (certificate_id, user_id, status, expires_on, issued_at, trainer_name, fresh_until)
    SELECT id, user_id, 'valid', expires_on, issued_at, trainer_name, '' FROM certificate`.execute(db);

  // Each table the rule reads, with its column naming the trainer.
  const factTables: [string, string][] = [
    ["insurance_policy", "user_id"],
    ["dbs_check", "user_id"],
    ["qualification", "user_id"],
    ["agreement_acceptance", "user_id"],
    ["supervision", "trainer_user_id"],
  ];
  const everything = ["agreement_version", "policy_setting"];
  if (isPostgres(db)) {
    // TG_ARGV[0]: the column naming the trainer.
    await sql`CREATE FUNCTION certificate_status_stale_user() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' THEN UPDATE certificate_status SET fresh_until = '' WHERE user_id = (to_jsonb(OLD) ->> TG_ARGV[0])::integer AND fresh_until <> ''; END IF;
        IF TG_OP <> 'DELETE' THEN UPDATE certificate_status SET fresh_until = '' WHERE user_id = (to_jsonb(NEW) ->> TG_ARGV[0])::integer AND fresh_until <> ''; END IF;
        RETURN NULL;
      END $$`.execute(db);
    await sql`CREATE FUNCTION certificate_status_stale_all() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN UPDATE certificate_status SET fresh_until = '' WHERE fresh_until <> ''; RETURN NULL; END $$`.execute(db);
    await sql`CREATE FUNCTION certificate_status_follow_certificate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO certificate_status (certificate_id, user_id, status, expires_on, issued_at, trainer_name, fresh_until)
            VALUES (NEW.id, NEW.user_id, 'valid', NEW.expires_on, NEW.issued_at, NEW.trainer_name, '');
        ELSIF TG_OP = 'DELETE' THEN
          DELETE FROM certificate_status WHERE certificate_id = OLD.id;
        ELSE
          UPDATE certificate_status SET user_id = NEW.user_id, expires_on = NEW.expires_on, issued_at = NEW.issued_at, trainer_name = NEW.trainer_name, fresh_until = '' WHERE certificate_id = NEW.id;
        END IF;
        RETURN NULL;
      END $$`.execute(db);
    for (const [table, column] of factTables) {
      await sql`CREATE TRIGGER ${sql.id(`${table}_certificate_status`)} AFTER INSERT OR UPDATE OR DELETE ON ${sql.table(table)}
        FOR EACH ROW EXECUTE FUNCTION certificate_status_stale_user(${sql.lit(column)})`.execute(db);
    }
    for (const table of everything) {
      await sql`CREATE TRIGGER ${sql.id(`${table}_certificate_status`)} AFTER INSERT OR UPDATE OR DELETE ON ${sql.table(table)}
        FOR EACH ROW EXECUTE FUNCTION certificate_status_stale_all()`.execute(db);
    }
    await sql`CREATE TRIGGER certificate_certificate_status_insert AFTER INSERT OR DELETE ON certificate
      FOR EACH ROW EXECUTE FUNCTION certificate_status_follow_certificate()`.execute(db);
    await sql`CREATE TRIGGER certificate_certificate_status_update AFTER UPDATE OF user_id, expires_on, validity_ends_on, superseded_by, suspended_at, revoked_at, issued_at, trainer_name ON certificate
      FOR EACH ROW EXECUTE FUNCTION certificate_status_follow_certificate()`.execute(db);
    return;
  }
  for (const [table, column] of factTables) {
    const stale = (row: "NEW" | "OLD") => `UPDATE certificate_status SET fresh_until = '' WHERE user_id = ${row}.${column} AND fresh_until <> '';`;
    await sql.raw(`CREATE TRIGGER ${table}_certificate_status_insert AFTER INSERT ON ${table} BEGIN ${stale("NEW")} END`).execute(db);
    await sql.raw(`CREATE TRIGGER ${table}_certificate_status_update AFTER UPDATE ON ${table} BEGIN ${stale("OLD")} ${stale("NEW")} END`).execute(db);
    await sql.raw(`CREATE TRIGGER ${table}_certificate_status_delete AFTER DELETE ON ${table} BEGIN ${stale("OLD")} END`).execute(db);
  }
  for (const table of everything) {
    for (const event of ["INSERT", "UPDATE", "DELETE"]) {
      await sql.raw(`CREATE TRIGGER ${table}_certificate_status_${event.toLowerCase()} AFTER ${event} ON ${table} BEGIN UPDATE certificate_status SET fresh_until = '' WHERE fresh_until <> ''; END`).execute(db);
    }
  }
  await sql`CREATE TRIGGER certificate_certificate_status_insert AFTER INSERT ON certificate BEGIN
      INSERT INTO certificate_status (certificate_id, user_id, status, expires_on, issued_at, trainer_name, fresh_until)
            VALUES (NEW.id, NEW.user_id, 'valid', NEW.expires_on, NEW.issued_at, NEW.trainer_name, '');
    END`.execute(db);
  await sql`CREATE TRIGGER certificate_certificate_status_delete AFTER DELETE ON certificate BEGIN
      DELETE FROM certificate_status WHERE certificate_id = OLD.id;
    END`.execute(db);
  await sql`CREATE TRIGGER certificate_certificate_status_update AFTER UPDATE OF user_id, expires_on, validity_ends_on, superseded_by, suspended_at, revoked_at, issued_at, trainer_name ON certificate BEGIN
      UPDATE certificate_status SET user_id = NEW.user_id, expires_on = NEW.expires_on, issued_at = NEW.issued_at, trainer_name = NEW.trainer_name, fresh_until = '' WHERE certificate_id = NEW.id;
    END`.execute(db);
}
