import { Migrator } from "kysely";
import { openDatabase, type DB } from "~db/connection";
import { isPostgres, PostgresSchemaPlugin } from "~db/dialect";
import { migrations } from "~db/migrations/index";
import { createDatabase, databaseName, testPostgresUrl, uniqueDatabaseName } from "./postgres";

/** An empty database (no migrations yet): in-memory SQLite, or a new PostgreSQL database. */
export async function emptyDatabase(): Promise<DB> {
  const url = testPostgresUrl();
  if (!url) return openDatabase(":memory:").db;
  const name = uniqueDatabaseName(process.env.ATA_TEST_PG_RUN ?? `${databaseName(url)}_adhoc`);
  return openDatabase({ engine: "postgres", url: await createDatabase(url, name), poolSize: 2 }).db;
}

/** A migrator over `list` (for example every migration before the one a test is about). */
export const migrator = (db: DB, list: typeof migrations) =>
  new Migrator({ db: isPostgres(db) ? db.withPlugin(new PostgresSchemaPlugin()) : db, provider: { getMigrations: async () => list } });

/** Every migration whose name sorts before `name`. */
export const migrationsBefore = (name: string) => Object.fromEntries(Object.entries(migrations).filter(([n]) => n < name));
