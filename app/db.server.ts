import { openDatabase, type DB } from "~db/connection";
import { getEnv } from "./env.server";

declare global {
  // Survives module re-evaluation in development.
  var __academyDb: DB | undefined;
}

/**
 * The process-wide database handle: PostgreSQL when DATABASE_URL is set, otherwise the SQLite
 * file at DATABASE_PATH. Domain functions take `db` as their first argument.
 */
export function getDb(): DB {
  if (!globalThis.__academyDb) {
    const env = getEnv();
    globalThis.__academyDb = openDatabase(
      env.DATABASE_URL ? { engine: "postgres", url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE } : { engine: "sqlite", path: env.DATABASE_PATH },
    ).db;
  }
  return globalThis.__academyDb;
}
