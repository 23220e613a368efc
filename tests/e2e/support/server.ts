/** Starts the production server for Playwright on a fresh database holding two staff accounts. */
import fs from "node:fs";
import path from "node:path";
import { openDatabase } from "~db/connection";
import { migrateToLatest } from "~db/migrate";
import { seedAccounts } from "../../../scripts/lib/seed-accounts";
import { E2E_ADMIN, E2E_ASSESSOR } from "./accounts";

const file = process.env.DATABASE_PATH ?? "tests/.tmp/e2e.sqlite";
fs.mkdirSync(path.dirname(file), { recursive: true });
for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${file}${suffix}`, { force: true });

const { db } = openDatabase(file);
await migrateToLatest(db);
await seedAccounts(db, [E2E_ADMIN, E2E_ASSESSOR], new Date());
await db.destroy();

await import("../../../scripts/start");
