/** Starts the production server (compiled, plain node) for Playwright on a fresh database holding three staff accounts. */
import fs from "node:fs";
import { openDatabase } from "~db/connection";
import { databaseConfig } from "~/db.server";
import { getEnv } from "~/utils/env.server";
import { migrateToLatest } from "~db/migrate";
import { seedAccounts } from "../../../scripts/lib/seed-accounts";
import { E2E_ADMIN, E2E_ASSESSOR, E2E_ASSESSOR_2 } from "./accounts";
import { resetDatabase } from "./database";
import { runCompiledServer } from "./compiled-server";

// playwright.config.ts sets DATABASE_PATH (SQLite) or DATABASE_URL (PostgreSQL) for this server.
const config = databaseConfig(getEnv());
await resetDatabase(config);

// Evidence uploaded by earlier runs goes with the old database.
if (process.env.EVIDENCE_DIR) fs.rmSync(process.env.EVIDENCE_DIR, { recursive: true, force: true });
const { db } = openDatabase(config);
await migrateToLatest(db);
await seedAccounts(db, [E2E_ADMIN, E2E_ASSESSOR, E2E_ASSESSOR_2], new Date());
await db.destroy();

// The compiled server, as `npm start` runs it; it copies the output to E2E_SERVER_LOG.
runCompiledServer();
