import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type DB } from "~db/connection";
import { migrations } from "~db/migrations/index";
import { checkReadiness } from "~/http/health.server";
import { contentBuildDir, registerModuleVersions } from "~/content/catalog.server";
import { currentIssuerKey } from "~/certificates/credentials/keys.server";
import { createTestDb } from "../helpers/db";
import { testPostgresUrl } from "../helpers/postgres";
import { emptyDatabase, migrator } from "../helpers/migrations";

const NOW = new Date("2026-06-01T09:00:00Z");
const open: DB[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) await db.destroy();
});

async function readyDb(): Promise<DB> {
  const db = await createTestDb();
  open.push(db);
  await registerModuleVersions(db, NOW);
  await currentIssuerKey(db, NOW);
  return db;
}

const failed = (readiness: Awaited<ReturnType<typeof checkReadiness>>) => readiness.checks.filter((c) => !c.ok).map((c) => [c.name, c.reason]);

describe("/readyz checks (issue 18)", () => {
  it("is ready when the database answers, migrations are current, content versions are registered and the signing key exists", async () => {
    const readiness = await checkReadiness(await readyDb(), contentBuildDir());
    expect(failed(readiness)).toEqual([]);
    expect(readiness.ready).toBe(true);
    expect(readiness.checks.map((c) => c.name)).toEqual(["database", "migrations", "content", "signing-key"]);
  });

  it("fails naming the pending migration when the database is one migration behind", async () => {
    const db = await emptyDatabase();
    open.push(db);
    const names = Object.keys(migrations).sort();
    const last = names.at(-1)!;
    await migrator(db, Object.fromEntries(Object.entries(migrations).filter(([n]) => n !== last))).migrateToLatest();
    const readiness = await checkReadiness(db, contentBuildDir());
    expect(readiness.ready).toBe(false);
    const migrationsCheck = readiness.checks.find((c) => c.name === "migrations")!;
    expect(migrationsCheck.ok).toBe(false);
    expect(migrationsCheck.reason).toBe(`1 migration(s) not applied: ${last}`);
  });

  it("fails with the missing file when the compiled content is not there", async () => {
    const readiness = await checkReadiness(await readyDb(), "tests/.tmp/no-content-here");
    expect(readiness.ready).toBe(false);
    expect(failed(readiness)).toEqual([["content", expect.stringMatching(/no-content-here\/modules\.json is missing: run `npm run build`$/)]]);
  });

  it("fails when the served content's module versions are not registered, and when there is no signing key", async () => {
    const db = await createTestDb();
    open.push(db);
    const readiness = await checkReadiness(db, contentBuildDir());
    expect(readiness.ready).toBe(false);
    expect(failed(readiness).map(([name]) => name)).toEqual(["content", "signing-key"]);
    expect(readiness.checks.find((c) => c.name === "content")!.reason).toMatch(/^module version\(s\) not registered yet: /);
  });

  it("fails on the database alone when it does not answer", async () => {
    // SQLite: a closed handle. PostgreSQL: a server address where nothing listens (port 1).
    const db = testPostgresUrl() ? openDatabase({ engine: "postgres", url: "postgres://postgres@127.0.0.1:1/nowhere", poolSize: 1 }).db : await createTestDb();
    if (!testPostgresUrl()) await db.destroy();
    const readiness = await checkReadiness(db, contentBuildDir());
    if (testPostgresUrl()) await db.destroy();
    expect(readiness.ready).toBe(false);
    expect(readiness.checks).toEqual([{ name: "database", ok: false, reason: expect.stringMatching(/^the database does not answer: /) }]);
  });
});
