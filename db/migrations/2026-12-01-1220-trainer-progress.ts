import { sql, type Kysely } from "kysely";
import { isPostgres } from "../dialect";

// Frozen in time: never import application code here and never edit after it has shipped.
// Each account's place in the approval funnel, stored so the governance dashboard (issue 15,
// ADR 0038) counts the funnel and the time to certificate in one pass over a narrow table
// instead of ten index seeks per trainer (110,000 at 10,000 trainers). One row per account:
// whether it is a trainer and when it signed up (copied from the user row by triggers), and the
// answers of the funnel's checks (entry requirements verified, the modules passed, report
// passed, agreement accepted, first certificate and the days to it), computed by
// app/reports/trainer-progress.server.ts.
// As with certificate_status (ADR 0025), triggers on every table those checks read mark the
// account's row stale (`stale = 1`) in the same transaction as the change, whoever makes it, and
// readers recompute the stale rows first. Only changes to the columns the checks read fire them
// (an answer saved, a DBS erasure or an insurance expiry do not). Every existing account starts
// stale: the first read computes them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("trainer_progress")
    .addColumn("user_id", "integer", (c) => c.primaryKey())
    .addColumn("trainer", "integer", (c) => c.notNull())
    .addColumn("signed_up_at", "text", (c) => c.notNull())
    .addColumn("entry", "integer", (c) => c.notNull().defaultTo(0))
    // The slugs of the modules passed, each between commas (',a,b,'); ',' for none.
    .addColumn("modules_passed", "text", (c) => c.notNull().defaultTo(","))
    .addColumn("report", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("agreement", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("first_certified_at", "text")
    // Days (fractional) from sign-up to the first certificate, for the median and 90th percentile.
    .addColumn("certified_days", "double precision")
    .addColumn("stale", "integer", (c) => c.notNull().defaultTo(1))
    .execute();
  // A cohort or date range: a range of sign-ups (the whole academy is one pass over the table).
  await db.schema.createIndex("trainer_progress_signed_up").on("trainer_progress").column("signed_up_at").execute();
  // "Anything stale?": one seek; the refresh takes the stale rows from it.
  await db.schema.createIndex("trainer_progress_stale").on("trainer_progress").column("user_id").where(sql.ref("stale"), "=", sql.lit(1)).execute();

  await sql`INSERT INTO trainer_progress (user_id, trainer, signed_up_at, stale)
    SELECT id, CASE WHEN role = 'trainer' THEN 1 ELSE 0 END, created_at, 1 FROM "user"`.execute(db);

  // Each table a funnel check reads, its column naming the account, and the columns the check reads.
  const factTables: [string, string, string[]][] = [
    ["qualification", "user_id", ["user_id", "status"]],
    ["insurance_policy", "user_id", ["user_id", "status"]],
    ["dbs_check", "user_id", ["user_id", "decision"]],
    ["assessment_attempt", "user_id", ["user_id", "module_slug", "passed"]],
    ["report_submission", "user_id", ["user_id", "status", "outcome"]],
    ["agreement_acceptance", "user_id", ["user_id"]],
    ["certificate", "user_id", ["user_id", "issued_at"]],
  ];
  if (isPostgres(db)) {
    // TG_ARGV[0]: the column naming the account.
    await sql`CREATE FUNCTION trainer_progress_stale() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' THEN UPDATE trainer_progress SET stale = 1 WHERE user_id = (to_jsonb(OLD) ->> TG_ARGV[0])::integer AND stale = 0; END IF;
        IF TG_OP <> 'DELETE' THEN UPDATE trainer_progress SET stale = 1 WHERE user_id = (to_jsonb(NEW) ->> TG_ARGV[0])::integer AND stale = 0; END IF;
        RETURN NULL;
      END $$`.execute(db);
    await sql`CREATE FUNCTION trainer_progress_follow_user() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO trainer_progress (user_id, trainer, signed_up_at, stale) VALUES (NEW.id, CASE WHEN NEW.role = 'trainer' THEN 1 ELSE 0 END, NEW.created_at, 1);
        ELSIF TG_OP = 'DELETE' THEN
          DELETE FROM trainer_progress WHERE user_id = OLD.id;
        ELSE
          UPDATE trainer_progress SET trainer = CASE WHEN NEW.role = 'trainer' THEN 1 ELSE 0 END, signed_up_at = NEW.created_at, stale = 1 WHERE user_id = NEW.id;
        END IF;
        RETURN NULL;
      END $$`.execute(db);
    for (const [table, column, columns] of factTables) {
      await sql`CREATE TRIGGER ${sql.id(`${table}_trainer_progress`)} AFTER INSERT OR DELETE OR UPDATE OF ${sql.join(columns.map((c) => sql.id(c)))} ON ${sql.table(table)}
        FOR EACH ROW EXECUTE FUNCTION trainer_progress_stale(${sql.lit(column)})`.execute(db);
    }
    await sql`CREATE TRIGGER user_trainer_progress AFTER INSERT OR DELETE OR UPDATE OF role, created_at ON "user"
      FOR EACH ROW EXECUTE FUNCTION trainer_progress_follow_user()`.execute(db);
    return;
  }
  for (const [table, column, columns] of factTables) {
    const stale = (row: "NEW" | "OLD") => `UPDATE trainer_progress SET stale = 1 WHERE user_id = ${row}.${column} AND stale = 0;`;
    await sql.raw(`CREATE TRIGGER ${table}_trainer_progress_insert AFTER INSERT ON ${table} BEGIN ${stale("NEW")} END`).execute(db);
    await sql.raw(`CREATE TRIGGER ${table}_trainer_progress_update AFTER UPDATE OF ${columns.join(", ")} ON ${table} BEGIN ${stale("OLD")} ${stale("NEW")} END`).execute(db);
    await sql.raw(`CREATE TRIGGER ${table}_trainer_progress_delete AFTER DELETE ON ${table} BEGIN ${stale("OLD")} END`).execute(db);
  }
  await sql`CREATE TRIGGER user_trainer_progress_insert AFTER INSERT ON "user" BEGIN
      INSERT INTO trainer_progress (user_id, trainer, signed_up_at, stale) VALUES (NEW.id, CASE WHEN NEW.role = 'trainer' THEN 1 ELSE 0 END, NEW.created_at, 1);
    END`.execute(db);
  await sql`CREATE TRIGGER user_trainer_progress_delete AFTER DELETE ON "user" BEGIN
      DELETE FROM trainer_progress WHERE user_id = OLD.id;
    END`.execute(db);
  await sql`CREATE TRIGGER user_trainer_progress_update AFTER UPDATE OF role, created_at ON "user" BEGIN
      UPDATE trainer_progress SET trainer = CASE WHEN NEW.role = 'trainer' THEN 1 ELSE 0 END, signed_up_at = NEW.created_at, stale = 1 WHERE user_id = NEW.id;
    END`.execute(db);
}
