/**
 * The e2e servers' databases, whatever the engine: a SQLite file under tests/.tmp, or, when
 * DATABASE_URL is a postgres:// URL, a database on that server named after it and the port
 * (`<name>_e2e_<port>`), recreated at each start.
 */
import fs from "node:fs";
import path from "node:path";
import { openDatabase, type DatabaseConfig, type DB } from "~db/connection";
import { createDatabase, databaseName, dropDatabase, testPostgresUrl, withDatabase } from "../../helpers/postgres";

/** Where a server labelled `label` on `port` keeps its data. */
export function e2eDatabaseConfig(label: string, port: number, env: NodeJS.ProcessEnv = process.env): DatabaseConfig {
  const url = testPostgresUrl(env);
  if (url) return { engine: "postgres", url: withDatabase(url, `${databaseName(url)}_${label}_${port}`) };
  return { engine: "sqlite", path: `tests/.tmp/${label}-${port}.sqlite` };
}

/** The environment a server needs to use `config`. */
export function databaseEnv(config: DatabaseConfig): Record<string, string> {
  return config.engine === "postgres" ? { DATABASE_URL: config.url } : { DATABASE_URL: "", DATABASE_PATH: config.path };
}

/** Removes what an earlier run left and leaves an empty database (PostgreSQL) or no file (SQLite). */
export async function resetDatabase(config: DatabaseConfig): Promise<void> {
  if (config.engine === "sqlite") {
    fs.mkdirSync(path.dirname(config.path), { recursive: true });
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${config.path}${suffix}`, { force: true });
    return;
  }
  const name = databaseName(config.url);
  await dropDatabase(config.url, name);
  await createDatabase(config.url, name);
}

/** Runs `work` with a connection to a server's database (to read what the UI does not show), then closes it. */
export async function withDatabaseOf<T>(config: DatabaseConfig, work: (db: DB) => Promise<T>): Promise<T> {
  const { db } = openDatabase(config.engine === "postgres" ? { ...config, poolSize: 1 } : config);
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}
