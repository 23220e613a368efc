import { openDatabase, type DB } from "~db/connection";
import { migrateToLatest } from "~db/migrate";
import { recordAgreementPublication } from "~/agreement/reacceptance.server";
import { growAcademy, seedContext } from "../../scripts/lib/seed-scale";
import { createUser } from "./db";
import { recordingDb } from "./query-plan";

/**
 * An in-memory SQLite database ready for `growAcademy` (the scale tests, issue 19): migrated, the
 * agreement's publication recorded once as the server does at start, an admin and two assessors,
 * the seeding context, and a handle that records the statements a piece of work runs.
 */
export async function openScaleDb(now: Date): Promise<{ db: DB; record: ReturnType<typeof recordingDb>["record"]; staff: { id: number }[]; ctx: Awaited<ReturnType<typeof seedContext>> }> {
  const opened = openDatabase(":memory:");
  const db = opened.db;
  await migrateToLatest(db);
  await recordAgreementPublication(db, now);
  const { record } = recordingDb(opened.sqlite);
  const staff = [await createUser(db, { role: "admin" }), await createUser(db, { role: "assessor" }), await createUser(db, { role: "assessor" })];
  const ctx = await seedContext(db, now, staff.map((s) => s.id), { pdf: null, credential: null });
  return { db, record, staff, ctx };
}

/**
 * Seeds trainers `range.from` to `range.to` (exclusive) into a test database of either engine
 * (`createTestDb`), as `openScaleDb` prepares its own: the agreement's publication recorded, an
 * admin and an assessor, the seeding context, then `growAcademy`.
 */
export async function growTestAcademy(db: DB, now: Date, range: { from: number; to: number }): Promise<void> {
  await recordAgreementPublication(db, now);
  const staff = [await createUser(db, { role: "admin" }), await createUser(db, { role: "assessor" })];
  const ctx = await seedContext(db, now, staff.map((s) => s.id), { pdf: null, credential: null });
  await growAcademy(db, range, ctx);
}
