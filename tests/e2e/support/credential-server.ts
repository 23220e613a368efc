/**
 * A server of its own for credentials.spec.ts: a fresh database with an admin and a trainer who
 * is already certified (seeded through the real rules), then the production server. Prints the
 * certificate id as `CERTIFIED <id>` for the test to read. Also used with several workers
 * (multi-process.spec.ts): the compiled server is a child process, so only this script seeds.
 */
import fs from "node:fs";
import { openDatabase } from "~db/connection";
import { migrateToLatest } from "~db/migrate";
import { databaseConfig } from "~/db.server";
import { seedAccounts } from "../../../scripts/lib/seed-accounts";
import { seedCertifiedTrainer } from "../../../scripts/lib/seed-certified";
import { getEnv } from "~/utils/env.server";
import { E2E_ADMIN, E2E_ASSESSOR } from "./accounts";
import { runCompiledServer } from "./compiled-server";

{
  // startOwnServer has reset the database (a SQLite file or a PostgreSQL database).
  fs.rmSync(getEnv().EVIDENCE_DIR, { recursive: true, force: true });
  const { db } = openDatabase(databaseConfig(getEnv()));
  await migrateToLatest(db);
  await seedAccounts(db, [E2E_ADMIN, E2E_ASSESSOR], new Date());
  const assessor = await db.selectFrom("user").select("id").where("email", "=", E2E_ASSESSOR.email).executeTakeFirstOrThrow();
  const trainer = await seedCertifiedTrainer(db, { name: "Zoë Ó Briain", email: "zoe.credential@e2e.test", password: "zoe credential password", staffUserId: assessor.id }, getEnv().PUBLIC_BASE_URL, new Date());
  await db.destroy();
  console.log(`CERTIFIED ${trainer.certificateId}`);
}

// Then the compiled server, as `npm start` runs it.
runCompiledServer();
