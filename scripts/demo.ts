/**
 * `npm run demo`: adds four clearly-marked demonstration accounts to the database (a trainer, an
 * assessor, an admin, and a trainer who is already certified; DATABASE_URL, or DATABASE_PATH,
 * default data/academy.sqlite) and prints them; `npm run demo` then starts the
 * site. Never run this against a real installation.
 */
import { openDatabase } from "~db/connection";
import { databaseConfig } from "~/db.server";
import { migrateToLatest } from "~db/migrate";
import { seedAccounts, type SeedAccount } from "./lib/seed-accounts";
import { seedCertifiedTrainer } from "./lib/seed-certified";
import { getEnvOrExit } from "~/utils/env.server";

export const DEMO_ACCOUNTS: SeedAccount[] = [
  { role: "trainer", name: "Demo Trainer (demo account)", email: "trainer@demo.academy.invalid", password: "demo-trainer-password" },
  { role: "assessor", name: "Demo Assessor (demo account)", email: "assessor@demo.academy.invalid", password: "demo-assessor-password" },
  { role: "admin", name: "Demo Admin (demo account)", email: "admin@demo.academy.invalid", password: "demo-admin-password" },
];

const env = getEnvOrExit();
const { db } = openDatabase(databaseConfig(env));
await migrateToLatest(db);
const created = await seedAccounts(db, DEMO_ACCOUNTS, new Date());
// A trainer who has completed everything, so a newcomer can see a certificate and its public page.
const CERTIFIED = { name: "Demo Certified Trainer (demo account)", email: "certified@demo.academy.invalid", password: "demo-certified-password" };
let certificateId: string | null = null;
let certifiedCreated = 0;
if (!(await db.selectFrom("user").select("id").where("email", "=", CERTIFIED.email).executeTakeFirst())) {
  const assessor = await db.selectFrom("user").select("id").where("email", "=", "assessor@demo.academy.invalid").executeTakeFirstOrThrow();
  certificateId = (await seedCertifiedTrainer(db, { ...CERTIFIED, staffUserId: assessor.id }, env.PUBLIC_BASE_URL, new Date())).certificateId;
  certifiedCreated = 1;
}
await db.destroy();

// Every account printed below is counted, the certified trainer included.
const total = DEMO_ACCOUNTS.length + 1;
const createdNow = created + certifiedCreated;
const already = total - createdNow;
console.log(`\nDemo accounts: ${createdNow} of ${total} created now${already ? `, ${already} already existed` : ""}. FOR DEMONSTRATION ONLY:\n`);
for (const account of DEMO_ACCOUNTS) console.log(`  ${account.role.padEnd(9)} ${account.email.padEnd(32)} password: ${account.password}`);
console.log(`  ${"trainer".padEnd(9)} ${CERTIFIED.email.padEnd(32)} password: ${CERTIFIED.password}   (already certified)`);
if (certificateId) console.log(`\n  Its certificate: ${env.PUBLIC_BASE_URL}/verify/${certificateId}`);
console.log("");
