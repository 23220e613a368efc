/** `npm run db:migrate`: apply every pending migration to the configured database (DATABASE_URL, or DATABASE_PATH, default data/academy.sqlite). */
import { describeDatabase, openDatabase } from "~db/connection";
import { databaseConfig } from "~/db.server";
import { migrateToLatest } from "~db/migrate";
import { getEnvOrExit } from "~/utils/env.server";

const config = databaseConfig(getEnvOrExit());
const { db } = openDatabase(config);
const result = await migrateToLatest(db);
const applied = result.results ?? [];
console.log(applied.length === 0 ? `${describeDatabase(config)}: already up to date.` : applied.map((r) => `${r.migrationName}: ${r.status}`).join("\n"));
await db.destroy();
