import { execFileSync } from "node:child_process";
import path from "node:path";
import { openDatabase } from "~db/connection";
import { migrateToLatest } from "~db/migrate";
import { createDatabase, databaseName, dropDatabasesWithPrefix, testPostgresUrl, uniqueDatabaseName } from "../helpers/postgres";

/**
 * Unit tests use the real content: build it once with the real pipeline into a temporary
 * folder, so `npm test` works on a fresh clone before any `npm run build`.
 *
 * With DATABASE_URL=postgres://…, each test database is a copy of one template migrated here
 * (faster than migrating each), named under a prefix unique to this run; all are dropped at the end.
 */
export default async function setup() {
  const out = path.resolve("tests/.tmp/content-unit");
  execFileSync(path.resolve("node_modules/.bin/tsx"), ["scripts/build-content.ts", "--out", out], { stdio: "pipe" });
  process.env.CONTENT_BUILD_DIR = out;

  const url = testPostgresUrl();
  if (!url) return;
  const run = uniqueDatabaseName(databaseName(url), "u");
  const template = `${run}_template`;
  const { db } = openDatabase({ engine: "postgres", url: await createDatabase(url, template), poolSize: 1 });
  await migrateToLatest(db);
  await db.destroy();
  process.env.ATA_TEST_PG_RUN = run;
  process.env.ATA_TEST_PG_TEMPLATE = template;
  return async () => {
    await dropDatabasesWithPrefix(url, run);
  };
}
