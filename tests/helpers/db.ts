import { openDatabase, type DB } from "~db/connection";
import { migrateToLatest } from "~db/migrate";
import type { Role } from "~db/schema";
import { hashPassword } from "~/auth/password.server";
import { createDatabase, databaseName, testPostgresUrl, uniqueDatabaseName } from "./postgres";

/**
 * A fresh database with every migration applied: in-memory SQLite, or, when DATABASE_URL is a
 * postgres:// URL, a new PostgreSQL database copied from the run's migrated template (see
 * tests/unit/global-setup.ts, which drops them all when the run ends). `connections` sizes the
 * PostgreSQL pool, so concurrent calls really run at once on separate connections.
 */
export async function createTestDb(options: { connections?: number } = {}): Promise<DB> {
  const url = testPostgresUrl();
  if (!url) {
    const { db } = openDatabase(":memory:");
    await migrateToLatest(db);
    return db;
  }
  const run = process.env.ATA_TEST_PG_RUN;
  const template = process.env.ATA_TEST_PG_TEMPLATE;
  const name = uniqueDatabaseName(run ?? `${databaseName(url)}_adhoc`);
  const { db } = openDatabase({ engine: "postgres", url: await createDatabase(url, name, template), poolSize: options.connections ?? 4 });
  if (!template) await migrateToLatest(db);
  return db;
}

let counter = 0;

export async function createUser(db: DB, overrides: { role?: Role; email?: string; name?: string; password?: string } = {}) {
  counter += 1;
  const now = new Date("2026-01-01T09:00:00Z").toISOString();
  const password = overrides.password ?? "correct horse battery";
  const row = await db
    .insertInto("user")
    .values({
      email: overrides.email ?? `user${counter}@example.test`,
      name: overrides.name ?? `User ${counter}`,
      role: overrides.role ?? "trainer",
      password_hash: await hashPassword(password),
      disabled_at: null,
      created_at: now,
      updated_at: now,
    })
    .returning(["id", "email"])
    .executeTakeFirstOrThrow();
  return { ...row, password };
}
