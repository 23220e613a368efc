import { execFile, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { promisify } from "node:util";
import SQLite from "better-sqlite3";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DB } from "~db/connection";
import { cache, getPublicCertificateView } from "~/certificates/public.server";
import { verifyCredentialForRelyingParty } from "~/certificates/credentials/verify-credential.server";
import { readEvidenceBytes } from "~/evidence/files.server";
import { seedCertifiedTrainer } from "../../scripts/lib/seed-certified";
import { createUser } from "../helpers/db";
import { createSharedDatabase, removeSharedDatabase } from "../helpers/shared-db";
import { createDatabase, databaseName, testPostgresUrl, uniqueDatabaseName } from "../helpers/postgres";

/**
 * The restore drill of issue 11 (ADR 0024), on the engine the suite runs on: SQLite, or
 * PostgreSQL with DATABASE_URL. Three writer processes write through the app's functions for
 * 30 s; `npm run backup` (the real script, in its own process) runs in the middle; `npm run
 * restore` puts the archive into a fresh, empty location; the restored database passes its
 * integrity check, holds every write acknowledged before the backup began (and their evidence
 * files, byte for byte), and serves the certificate seeded before the drill as Valid.
 */
const exec = promisify(execFile);
const TSX = path.resolve("node_modules/.bin/tsx");
const BASE = "https://academy.example.test";
const DRILL_MS = 30_000;
const WRITERS = 3;
const pgUrl = testPostgresUrl();
const work = path.resolve(`tests/.tmp/backup-drill-${process.pid}`);
const evidenceDir = path.resolve(process.env.EVIDENCE_DIR ?? "tests/.tmp/evidence-unit");
const opened: DB[] = [];

let source: { target: string; db: DB };
let archive = "";
let certificateId = "";

/** Runs a project script as the operator would, on the drill's database; never throws. */
async function script(file: string, args: string[], database: string) {
  const env = { ...process.env, DATABASE_URL: /^postgres/.test(database) ? database : "", DATABASE_PATH: /^postgres/.test(database) ? "" : database, EVIDENCE_DIR: evidenceDir };
  try {
    const { stdout, stderr } = await exec(TSX, [file, ...args], { env, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

/** A fresh, empty restore target: a folder that does not exist yet, or an empty PostgreSQL database. */
async function emptyTarget(label: string): Promise<string> {
  if (!pgUrl) return path.join(work, `${label}-${Math.random().toString(36).slice(2, 8)}`);
  return createDatabase(pgUrl, uniqueDatabaseName(process.env.ATA_TEST_PG_RUN ?? `${databaseName(pgUrl)}_adhoc`, label));
}

/** Opens what a restore wrote (and remembers to close it). */
function openRestored(target: string): { db: DB; evidence: string } {
  const db = pgUrl ? openDatabase({ engine: "postgres", url: target, poolSize: 2 }).db : openDatabase(path.join(target, "academy.sqlite")).db;
  opened.push(db);
  return { db, evidence: pgUrl ? path.join(work, "unused-evidence") : path.join(target, "evidence") };
}

beforeAll(async () => {
  fs.mkdirSync(work, { recursive: true });
  source = await createSharedDatabase("drill");
  opened.push(source.db);
});

afterAll(async () => {
  for (const db of opened) await db.destroy();
  removeSharedDatabase(source.target);
  fs.rmSync(work, { recursive: true, force: true });
});

describe("restore drill", () => {
  it("30 s of writes by three processes, a backup in the middle, a restore: intact, every acknowledged write present, the certificate Valid", async () => {
    const now = new Date();
    const staff = await createUser(source.db, { role: "assessor" });
    const trainer = await seedCertifiedTrainer(source.db, { name: "Drill Certified Trainer", email: "drill-certified@example.test", password: "seeded password 1", staffUserId: staff.id }, BASE, now);
    certificateId = trainer.certificateId;

    const acks: { kind: string; key: string }[] = [];
    let ready = 0;
    let allReady: () => void = () => undefined;
    const writing = new Promise<void>((resolve) => (allReady = resolve));
    const children = Array.from({ length: WRITERS }, (_, i) => {
      const child = spawn(TSX, ["tests/unit/support/drill-writer.ts", source.target, `w${i}`, String(trainer.userId), evidenceDir], { stdio: ["pipe", "pipe", "pipe"] });
      let errors = "";
      child.stderr.on("data", (chunk: Buffer) => (errors += chunk.toString()));
      readline.createInterface({ input: child.stdout }).on("line", (line) => {
        const ack = JSON.parse(line) as { kind: string; key: string };
        if (ack.kind !== "ready") acks.push(ack);
        else if ((ready += 1) === WRITERS) allReady();
      });
      const exited = new Promise<void>((resolve, reject) => child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`writer w${i} exited ${code}: ${errors}`)))));
      return { child, exited };
    });
    const exited = Promise.all(children.map((c) => c.exited));
    await Promise.race([writing, exited]);
    const started = Date.now();
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    await sleep(DRILL_MS / 2);
    // Every write acknowledged up to this instant must be in the backup.
    const acknowledged = acks.slice();
    const backup = await script("scripts/backup.ts", ["--out", path.join(work, "backups")], source.target);
    const afterBackup = acks.length;
    expect(backup.stderr).toBe("");
    expect(backup.code).toBe(0);
    archive = /Backup written: (\S+)/.exec(backup.stdout)![1]!;
    // Writing goes on for the drill's 30 s, and (on a slow machine) until writes have followed the backup.
    await sleep(Math.max(0, DRILL_MS - (Date.now() - started)));
    while (acks.length < afterBackup + 3 * WRITERS) await sleep(200);
    for (const { child } of children) child.stdin.end("stop\n");
    await exited;
    expect(acknowledged.length).toBeGreaterThan(100);

    const target = await emptyTarget("restored");
    const restore = await script("scripts/restore.ts", [archive, "--target", target], source.target);
    expect(restore.stderr).toBe("");
    expect(restore.code).toBe(0);
    expect(restore.stdout).toContain("Restored");
    const restored = openRestored(target);

    if (!pgUrl) {
      const check = new SQLite(path.join(target, "academy.sqlite"), { readonly: true });
      expect(check.prepare("pragma integrity_check").pluck().all()).toEqual(["ok"]);
      check.close();
      expect(restore.stdout).toContain("PRAGMA integrity_check ok");
    } else {
      const { rows } = await sql<{ ok: number }>`select count(*) as ok from pg_tables where schemaname = 'public'`.execute(restored.db);
      expect(rows[0]!.ok).toBeGreaterThan(30);
    }

    const keysOf = (kind: string) => acknowledged.filter((a) => a.kind === kind).map((a) => a.key);
    const audits = await restored.db.selectFrom("audit_event").select("subject_id").where("action", "=", "drill.write").execute();
    const auditKeys = new Set(audits.map((r) => r.subject_id));
    expect(keysOf("audit").filter((key) => !auditKeys.has(key))).toEqual([]);
    const emails = await restored.db.selectFrom("email_outbox").select("subject").where("subject", "like", "Drill %").execute();
    const emailKeys = new Set(emails.map((r) => r.subject.slice("Drill ".length)));
    expect(keysOf("email").filter((key) => !emailKeys.has(key))).toEqual([]);
    // Every evidence row in the restored database has its file, byte for byte.
    const evidence = await restored.db.selectFrom("evidence_file").select(["display_name", "storage_name", "sha256"]).execute();
    const evidenceKeys = new Set(evidence.map((r) => r.display_name));
    expect(keysOf("evidence").length).toBeGreaterThan(5);
    expect(keysOf("evidence").filter((key) => !evidenceKeys.has(key))).toEqual([]);
    for (const row of evidence) {
      const bytes = await readEvidenceBytes(restored.db, restored.evidence, row.storage_name);
      expect(bytes, row.display_name).not.toBeNull();
      expect(createHash("sha256").update(bytes!).digest("hex")).toBe(row.sha256);
    }
    // A snapshot from the middle: writes after it are in the source, not in the backup.
    const sourceAudits = await source.db.selectFrom("audit_event").select((eb) => eb.fn.countAll<number>().as("n")).where("action", "=", "drill.write").executeTakeFirstOrThrow();
    expect(Number(sourceAudits.n)).toBeGreaterThan(audits.length);

    // The restored site serves the certificate issued before the drill, and its credential verifies.
    cache().clear();
    const view = await getPublicCertificateView(restored.db, certificateId, now);
    expect(view?.status).toBe("valid");
    expect(view?.name).toBe("Drill Certified Trainer");
    const credential = await restored.db.selectFrom("issued_credential").select("json").where("certificate_id", "=", certificateId).executeTakeFirstOrThrow();
    const report = await verifyCredentialForRelyingParty(restored.db, JSON.parse(credential.json!) as Record<string, unknown>, BASE, now);
    expect(report.headline).toBe("Valid, issued by Approved Trainer Academy");
  }, 300_000);

  it("refuses, in one line and with exit 1, a target that is not empty, a damaged archive and a schema newer than the code", async () => {
    expect(archive).not.toBe("");
    // Not empty: a folder with a file in it, or a database that already has tables.
    const occupied = pgUrl ? source.target : path.join(work, "occupied");
    if (!pgUrl) {
      fs.mkdirSync(occupied, { recursive: true });
      fs.writeFileSync(path.join(occupied, "keep.txt"), "someone's file");
    }
    const notEmpty = await script("scripts/restore.ts", [archive, "--target", occupied], source.target);
    expect(notEmpty.code).toBe(1);
    expect(notEmpty.stderr.trim().split("\n")).toHaveLength(1);
    expect(notEmpty.stderr).toMatch(/^Restore refused: .* is not empty/);
    if (!pgUrl) expect(fs.readdirSync(occupied)).toEqual(["keep.txt"]);

    // A damaged database file: the checksum catches it before anything is written.
    const unpacked = path.join(work, "unpacked");
    const repack = async (name: string, change: (top: string) => void) => {
      fs.rmSync(unpacked, { recursive: true, force: true });
      fs.mkdirSync(unpacked, { recursive: true });
      await exec("tar", ["-xf", archive, "-C", unpacked]);
      const [top] = fs.readdirSync(unpacked);
      change(path.join(unpacked, top!));
      const out = path.join(work, name);
      await exec("tar", ["-czf", out, "-C", unpacked, top!]);
      return out;
    };
    const databaseFile = pgUrl ? "database.pgdump" : "database.sqlite";
    const damaged = await repack("damaged.tar.gz", (top) => {
      const file = path.join(top, databaseFile);
      const bytes = fs.readFileSync(file);
      const middle = Math.floor(bytes.length / 2);
      bytes[middle] = bytes[middle]! ^ 0xff;
      fs.writeFileSync(file, bytes);
    });
    const damagedTarget = await emptyTarget("damaged");
    const refused = await script("scripts/restore.ts", [damaged, "--target", damagedTarget], source.target);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(`Restore refused: checksum mismatch for ${databaseFile}: the archive is damaged; nothing was restored`);
    if (!pgUrl) expect(fs.existsSync(damagedTarget)).toBe(false);

    // A schema newer than this code.
    const newer = await repack("newer.tar.gz", (top) => {
      const manifest = JSON.parse(fs.readFileSync(path.join(top, "manifest.json"), "utf8")) as { schemaVersion: string };
      manifest.schemaVersion = "2099-01-01-01-from-the-future";
      fs.writeFileSync(path.join(top, "manifest.json"), JSON.stringify(manifest));
    });
    const newerRefused = await script("scripts/restore.ts", [newer, "--target", await emptyTarget("newer")], source.target);
    expect(newerRefused.code).toBe(1);
    expect(newerRefused.stderr).toMatch(/^Restore refused: The archive has schema version 2099-01-01-01-from-the-future, newer than this code/);

    if (!pgUrl) {
      // A corrupt b-tree whose checksums were recomputed: PRAGMA integrity_check catches it.
      const corrupt = await repack("corrupt.tar.gz", (top) => {
        const file = path.join(top, "database.sqlite");
        const db = new SQLite(file, { readonly: true });
        const pageSize = Number(db.pragma("page_size", { simple: true }));
        const root = Number(db.prepare("select rootpage from sqlite_master where name = 'audit_event'").pluck().get());
        db.close();
        const bytes = fs.readFileSync(file);
        bytes.fill(0xee, (root - 1) * pageSize + 8, (root - 1) * pageSize + 64);
        fs.writeFileSync(file, bytes);
        const manifestFile = path.join(top, "manifest.json");
        const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as { files: { path: string; sha256: string }[] };
        manifest.files.find((f) => f.path === "database.sqlite")!.sha256 = createHash("sha256").update(bytes).digest("hex");
        fs.writeFileSync(manifestFile, JSON.stringify(manifest));
      });
      const corruptTarget = await emptyTarget("corrupt");
      const corruptRefused = await script("scripts/restore.ts", [corrupt, "--target", corruptTarget], source.target);
      expect(corruptRefused.code).toBe(1);
      expect(corruptRefused.stderr).toMatch(/^Restore refused: PRAGMA integrity_check failed on the archived database: .*; nothing was restored/);
      expect(fs.existsSync(corruptTarget)).toBe(false);
    }
  }, 240_000);
});
