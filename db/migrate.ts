import { Migrator, type MigrationResultSet } from "kysely";
import type { DB } from "./connection";
import { isPostgres, PostgresSchemaPlugin } from "./dialect";
import { migrations } from "./migrations/index";

/**
 * Applies every pending migration. On PostgreSQL the migrations run through
 * `PostgresSchemaPlugin` (SQLite column types translated, see db/dialect.ts), in one
 * transaction under Kysely's advisory lock, so several nodes starting at once migrate once.
 */
export async function migrateToLatest(db: DB): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db: isPostgres(db) ? db.withPlugin(new PostgresSchemaPlugin()) : db,
    provider: { getMigrations: async () => migrations },
  });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error");
    throw new Error(`Migration ${failed?.migrationName ?? "(unknown)"} failed: ${String(result.error)}`, {
      cause: result.error,
    });
  }
  return result;
}

/** The migrations this code knows and the database has not applied yet (empty when current). */
export async function pendingMigrations(db: DB): Promise<string[]> {
  const migrator = new Migrator({
    db: isPostgres(db) ? db.withPlugin(new PostgresSchemaPlugin()) : db,
    provider: { getMigrations: async () => migrations },
  });
  const known = await migrator.getMigrations();
  return known.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
