/**
 * A migrated SQLite database in a file of its own, for the tests that search the file's bytes
 * for what an erasure must leave unreadable (erasure, dbs-erasure-bytes).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase, type DB } from "~db/connection";
import { migrateToLatest } from "~db/migrate";

const folders: string[] = [];

/** Opens and migrates `academy.sqlite` in a new temporary folder; `removeSqliteFiles` deletes it. */
export async function migratedSqliteFile(): Promise<{ db: DB; file: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ata-erasure-"));
  folders.push(dir);
  const file = path.join(dir, "academy.sqlite");
  const { db } = openDatabase(file);
  await migrateToLatest(db);
  return { db, file };
}

/** Deletes every folder `migratedSqliteFile` made (call it in `afterEach`). */
export function removeSqliteFiles(): void {
  for (const dir of folders.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** The database file's bytes with its write-ahead log and rollback journal, where they exist. */
export function bytesOnDisk(file: string): Buffer {
  return Buffer.concat([file, `${file}-wal`, `${file}-journal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f)));
}
