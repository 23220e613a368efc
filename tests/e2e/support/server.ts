/** Starts the production server for Playwright on a fresh database holding three staff accounts. */
import fs from "node:fs";
import path from "node:path";
import { openDatabase } from "~db/connection";
import { databaseConfig } from "~/db.server";
import { getEnv } from "~/utils/env.server";
import { migrateToLatest } from "~db/migrate";
import { seedAccounts } from "../../../scripts/lib/seed-accounts";
import { E2E_ADMIN, E2E_ASSESSOR, E2E_ASSESSOR_2 } from "./accounts";
import { resetDatabase } from "./database";

// playwright.config.ts sets DATABASE_PATH (SQLite) or DATABASE_URL (PostgreSQL) for this server.
const config = databaseConfig(getEnv());
await resetDatabase(config);

// Evidence uploaded by earlier runs goes with the old database.
if (process.env.EVIDENCE_DIR) fs.rmSync(process.env.EVIDENCE_DIR, { recursive: true, force: true });
// Keep a copy of the server's output for tests that prove what never reaches the logs.
if (process.env.E2E_SERVER_LOG) {
  const log = process.env.E2E_SERVER_LOG;
  // On PostgreSQL nothing else creates tests/.tmp before this (SQLite's file does on its own).
  fs.mkdirSync(path.dirname(log), { recursive: true });
  fs.writeFileSync(log, "");
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      fs.appendFileSync(log, typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array));
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
}

const { db } = openDatabase(config);
await migrateToLatest(db);
await seedAccounts(db, [E2E_ADMIN, E2E_ASSESSOR, E2E_ASSESSOR_2], new Date());
await db.destroy();

await import("../../../scripts/start");
