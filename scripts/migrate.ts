/** `npm run db:migrate`: apply every pending migration to DATABASE_PATH (default data/academy.sqlite). */
import { openDatabase } from "~db/connection";
import { migrateToLatest } from "~db/migrate";
import { getEnvOrExit } from "~/utils/env.server";

const file = getEnvOrExit().DATABASE_PATH;
const { db } = openDatabase(file);
const result = await migrateToLatest(db);
const applied = result.results ?? [];
console.log(applied.length === 0 ? `${file}: already up to date.` : applied.map((r) => `${r.migrationName}: ${r.status}`).join("\n"));
await db.destroy();
