import { openDatabase, type DB } from "~db/connection";
import { getEnv } from "~/utils/env.server";

declare global {
  // Survives module re-evaluation in development.
  var __academyDb: DB | undefined;
}

/** The process-wide database handle. Domain functions take `db` as their first argument. */
export function getDb(): DB {
  if (!globalThis.__academyDb) {
    globalThis.__academyDb = openDatabase(getEnv().DATABASE_PATH).db;
  }
  return globalThis.__academyDb;
}
