import { openDatabase, type DB } from "~db/connection";
import { migrateToLatest } from "~db/migrate";
import type { Role } from "~db/schema";
import { hashPassword } from "~/auth/password.server";

/** A fresh in-memory database with every migration applied. */
export async function createTestDb(): Promise<DB> {
  const { db } = openDatabase(":memory:");
  await migrateToLatest(db);
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
