/**
 * The database `npm run bench`'s governance-dashboard part measures (scripts/bench-reports.ts):
 * an admin, one certified trainer made by the real code (its PDF and credential shared by the
 * seeded certificates), `trainers` more with the project's own seeding (`growAcademy`), and the
 * assessment attempts topped up to `attempts` with earlier ones (`addAttemptHistory`).
 */
import { openDatabase } from "~db/connection";
import { migrateToLatest } from "~db/migrate";
import { latestCredentialJson } from "~/certificates/credentials/issue-credential.server";
import { seedAccounts, type SeedAccount } from "./seed-accounts";
import { addAttemptHistory } from "./seed-attempt-history";
import { seedCertifiedTrainer } from "./seed-certified";
import { growAcademy, seedContext } from "./seed-scale";

export async function seedReportsBench(file: string, options: { trainers: number; attempts: number; admin: SeedAccount; baseUrl: string }): Promise<void> {
  const { db } = openDatabase(file);
  await migrateToLatest(db);
  const now = new Date();
  await seedAccounts(db, [options.admin], now);
  const admin = await db.selectFrom("user").select("id").where("email", "=", options.admin.email).executeTakeFirstOrThrow();
  const real = await seedCertifiedTrainer(db, { name: "Reports Certified Trainer", email: "certified@reports.academy.invalid", password: "reports seeded password", staffUserId: admin.id }, options.baseUrl, now);
  const documents = await db.selectFrom("certificate").select("pdf").where("id", "=", real.certificateId).executeTakeFirstOrThrow();
  const ctx = await seedContext(db, now, [admin.id], { pdf: documents.pdf, credential: await latestCredentialJson(db, real.certificateId) });
  await growAcademy(db, { from: 1, to: options.trainers + 1 }, ctx, (done) => process.stdout.write(`\r  seeded ${done.toLocaleString("en-GB")} trainers`));
  process.stdout.write("\n");
  await addAttemptHistory(db, ctx, options.attempts, (added) => process.stdout.write(`\r  added ${added.toLocaleString("en-GB")} earlier attempts`));
  process.stdout.write("\n");
  await db.destroy();
}
