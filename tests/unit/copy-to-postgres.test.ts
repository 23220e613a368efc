import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, type DB } from "~db/connection";
import { cache, getPublicCertificateView } from "~/certificates/public.server";
import { verifyCredentialForRelyingParty } from "~/certificates/credentials/verify-credential.server";
import { readEvidenceBytes } from "~/evidence/files.server";
import { compareInstallations, formatComparison, MIGRATION_SEEDED_TABLES } from "../../scripts/lib/copy-to-postgres";
import { createTestDb } from "../helpers/db";
import { createDatabase, databaseName, testPostgresUrl, uniqueDatabaseName } from "../helpers/postgres";

/**
 * `npm run db:copy-to-postgres` (issue 11 item 4) on the demo installation that `npm run demo`
 * makes: every table and the evidence folder are copied into an empty PostgreSQL database, row
 * counts and per-table checksums match, and the copy serves the demo certificate as Valid.
 * Needs a PostgreSQL server: runs when the suite runs with DATABASE_URL=postgres://… (as `.ci/run`
 * does on its second pass); on a SQLite-only run it is skipped.
 */
const exec = promisify(execFile);
const TSX = path.resolve("node_modules/.bin/tsx");
const BASE = "https://academy.example.test";
const pgUrl = testPostgresUrl();
const work = path.resolve(`tests/.tmp/copy-to-postgres-${process.pid}`);
const sqlitePath = path.join(work, "academy.sqlite");
const evidenceDir = path.join(work, "evidence");
const opened: DB[] = [];

async function run(file: string, env: Record<string, string>) {
  try {
    const { stdout, stderr } = await exec(TSX, [file], { env: { ...process.env, DATABASE_URL: "", PUBLIC_BASE_URL: BASE, DATABASE_PATH: sqlitePath, EVIDENCE_DIR: evidenceDir, ...env }, timeout: 180_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

afterAll(async () => {
  for (const db of opened) await db.destroy();
  fs.rmSync(work, { recursive: true, force: true });
});

describe.skipIf(!pgUrl)("db:copy-to-postgres (needs DATABASE_URL=postgres://…; skipped on a SQLite-only run)", () => {
  it("copies the demo installation: counts and checksums match, the ids continue, and the copy serves the demo certificate as Valid", async () => {
    fs.mkdirSync(work, { recursive: true });
    const demo = await run("scripts/demo.ts", {});
    expect(demo.code, demo.stderr).toBe(0);
    const certificateId = /\/verify\/([a-z2-7]{32})/.exec(demo.stdout)![1]!;

    const target = await createDatabase(pgUrl!, uniqueDatabaseName(process.env.ATA_TEST_PG_RUN ?? `${databaseName(pgUrl!)}_adhoc`, "copy"));
    const copy = await run("scripts/copy-to-postgres.ts", { DATABASE_URL: target });
    expect(copy.stderr).toBe("");
    expect(copy.code).toBe(0);
    expect(copy.stdout).toContain("Copied and verified");
    const tableLines = copy.stdout.split("\n").filter((line) => / (ok|MISMATCH)$/.test(line));
    expect(tableLines.length).toBeGreaterThan(30);
    expect(tableLines.filter((line) => !line.endsWith(" ok"))).toEqual([]);
    expect(tableLines.find((line) => line.startsWith("certificate "))).toMatch(/^certificate\s+1\s+1\s/);
    expect(tableLines.find((line) => line.startsWith("evidence files"))).toMatch(/\s2\s+2\s/);

    const { db } = openDatabase({ engine: "postgres", url: target, poolSize: 2 });
    opened.push(db);
    const now = new Date();
    cache().clear();
    const view = await getPublicCertificateView(db, certificateId, now);
    expect(view?.status).toBe("valid");
    expect(view?.name).toBe("Demo Certified Trainer (demo account)");
    const credential = await db.selectFrom("issued_credential").select("json").where("certificate_id", "=", certificateId).executeTakeFirstOrThrow();
    const report = await verifyCredentialForRelyingParty(db, JSON.parse(credential.json!) as Record<string, unknown>, BASE, now);
    expect(report.headline).toBe("Valid, issued by Approved Trainer Academy");
    // The evidence is now in the database (ADR 0022), byte for byte.
    const files = await db.selectFrom("evidence_file").select(["storage_name", "sha256"]).execute();
    expect(files).toHaveLength(2);
    for (const file of files) {
      const bytes = await readEvidenceBytes(db, path.join(work, "no-folder"), file.storage_name);
      expect(createHash("sha256").update(bytes!).digest("hex")).toBe(file.sha256);
    }
    // Sequences were restarted: the next account gets a new id instead of a duplicate-key error.
    const highest = await db.selectFrom("user").select((eb) => eb.fn.max<number>("id").as("id")).executeTakeFirstOrThrow();
    const added = await db
      .insertInto("user")
      .values({ email: "after-the-move@example.test", name: "After The Move", role: "trainer", password_hash: "x", disabled_at: null, created_at: now.toISOString(), updated_at: now.toISOString() })
      .returning("id")
      .executeTakeFirstOrThrow();
    expect(added.id).toBeGreaterThan(highest.id);

    // A second copy into the same (no longer empty) database is refused in one line.
    const again = await run("scripts/copy-to-postgres.ts", { DATABASE_URL: target });
    expect(again.code).toBe(1);
    expect(again.stderr.trim()).toMatch(/^Copy refused: PostgreSQL .* is not empty \(table \w+ has rows\)/);

    // The comparison notices one changed value in one table, and only there.
    await db.updateTable("user").set({ name: "Changed After Copy" }).where("id", "=", added.id).execute();
    await db.deleteFrom("user").where("id", "=", added.id).execute();
    await db.updateTable("certificate").set({ trainer_name: "Someone Else" }).where("id", "=", certificateId).execute();
    const source = openDatabase(sqlitePath);
    opened.push(source.db);
    const compared = await compareInstallations(source.sqlite, source.db, db, evidenceDir);
    expect(compared.ok).toBe(false);
    expect(compared.comparisons.filter((c) => !c.ok).map((c) => c.table)).toEqual(["certificate"]);
    expect(formatComparison(compared)).toMatch(/^certificate\s+1\s+1\s+\w{7}≠\w{7}\s+MISMATCH$/m);
  }, 240_000);

  it("a freshly migrated database has rows only where the copy expects them (the migration tables and MIGRATION_SEEDED_TABLES)", async () => {
    const db = await createTestDb();
    opened.push(db);
    const { rows } = await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = 'public' order by tablename`.execute(db);
    const filled: string[] = [];
    for (const { tablename } of rows) {
      const found = await sql`select 1 from ${sql.table(tablename)} limit 1`.execute(db);
      if (found.rows.length > 0) filled.push(tablename);
    }
    expect(filled.filter((t) => !t.startsWith("kysely_migration"))).toEqual([...MIGRATION_SEEDED_TABLES].sort());
  });
});
