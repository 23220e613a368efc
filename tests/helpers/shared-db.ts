import fs from "node:fs";
import { openDatabase, type DB } from "~db/connection";
import { migrateToLatest } from "~db/migrate";
import { createDatabase, databaseName, testPostgresUrl, uniqueDatabaseName } from "./postgres";

/**
 * A database several processes can open at once, for races that must really happen: a SQLite
 * file (each process its own connection), or, when DATABASE_URL is a postgres:// URL, a new
 * PostgreSQL database. `target` is what a child process passes to `openSharedDatabase`.
 */
export async function createSharedDatabase(label: string): Promise<{ target: string; db: DB }> {
  const url = testPostgresUrl();
  if (url) {
    const target = await createDatabase(url, uniqueDatabaseName(process.env.ATA_TEST_PG_RUN ?? `${databaseName(url)}_adhoc`, label), process.env.ATA_TEST_PG_TEMPLATE);
    const { db } = openDatabase({ engine: "postgres", url: target, poolSize: 2 });
    if (!process.env.ATA_TEST_PG_TEMPLATE) await migrateToLatest(db);
    return { target, db };
  }
  fs.mkdirSync("tests/.tmp", { recursive: true });
  const target = `tests/.tmp/${label}-${process.pid}-${Date.now()}.sqlite`;
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${target}${suffix}`, { force: true });
  const { db } = openDatabase(target);
  await migrateToLatest(db);
  return { target, db };
}

/** Opens what `createSharedDatabase` made, from another process: one connection of its own. */
export function openSharedDatabase(target: string): DB {
  return (/^postgres(ql)?:\/\//.test(target) ? openDatabase({ engine: "postgres", url: target, poolSize: 1 }) : openDatabase({ engine: "sqlite", path: target })).db;
}

/** Removes a shared SQLite file and its WAL (PostgreSQL test databases are dropped by the run). */
export function removeSharedDatabase(target: string): void {
  if (/^postgres(ql)?:\/\//.test(target)) return;
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${target}${suffix}`, { force: true });
}
