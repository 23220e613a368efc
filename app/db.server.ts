import { openDatabase, type DatabaseConfig, type DB } from "~db/connection";
import { getEnv, type Env } from "~/utils/env.server";

declare global {
  // Survives module re-evaluation in development.
  var __academyDb: DB | undefined;
}

/** PostgreSQL when DATABASE_URL is set, otherwise the SQLite file at DATABASE_PATH (ADR 0011). */
export function databaseConfig(env: Env = getEnv()): DatabaseConfig {
  return env.DATABASE_URL ? { engine: "postgres", url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE } : { engine: "sqlite", path: env.DATABASE_PATH };
}

/** The process-wide database handle. Domain functions take `db` as their first argument. */
export function getDb(): DB {
  globalThis.__academyDb ??= openDatabase(databaseConfig()).db;
  return globalThis.__academyDb;
}
