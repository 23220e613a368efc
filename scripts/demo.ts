/**
 * `npm run demo`: adds three clearly-marked demonstration accounts to the database
 * (DATABASE_PATH, default data/academy.sqlite) and prints them; `npm run demo` then starts the
 * site. Never run this against a real installation.
 */
import { databasePathFromEnv, openDatabase } from "~db/connection";
import { migrateToLatest } from "~db/migrate";
import { seedAccounts, type SeedAccount } from "./lib/seed-accounts";

export const DEMO_ACCOUNTS: SeedAccount[] = [
  { role: "trainer", name: "Demo Trainer (demo account)", email: "trainer@demo.academy.invalid", password: "demo-trainer-password" },
  { role: "assessor", name: "Demo Assessor (demo account)", email: "assessor@demo.academy.invalid", password: "demo-assessor-password" },
  { role: "admin", name: "Demo Admin (demo account)", email: "admin@demo.academy.invalid", password: "demo-admin-password" },
];

const { db } = openDatabase(databasePathFromEnv());
await migrateToLatest(db);
const created = await seedAccounts(db, DEMO_ACCOUNTS, new Date());
await db.destroy();

console.log(`\nDemo accounts (${created} created now; the rest already existed). FOR DEMONSTRATION ONLY:\n`);
for (const account of DEMO_ACCOUNTS) console.log(`  ${account.role.padEnd(9)} ${account.email.padEnd(32)} password: ${account.password}`);
console.log("");
