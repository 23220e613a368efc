/**
 * `npm run bench:backup [N]`: the measured backup-and-restore drill behind the README's recovery
 * figures (ADR 0024). Grows a fresh SQLite installation to N trainers (default 2,000) with the
 * project's own seeding (scripts/lib/seed-scale.ts) plus one fully certified trainer, writes each
 * evidence row's file at its recorded size (random bytes: uploaded PDFs and photos hardly
 * compress), then times `npm run backup`'s work and a restore into an empty folder, and checks the
 * restored copy serves the certificate as Valid. With BENCH_ENGINES=sqlite,postgres (the default
 * when DATABASE_URL is set) it also times `db:copy-to-postgres` of that installation, a backup of
 * the PostgreSQL copy (pg_dump) and its restore into an empty database.
 *
 *   BENCH_POSTGRES_URL  the PostgreSQL server (default DATABASE_URL, else
 *                       postgres://postgres@127.0.0.1:5432/postgres); databases
 *                       academy_bench_backup_<pid>_* are created there and dropped at the end
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { execSync } from "node:child_process";
import pg from "pg";

const WORK = path.resolve("tests/.tmp/bench-backup");
const DATABASE = path.join(WORK, "academy.sqlite");
const EVIDENCE = path.join(WORK, "evidence");
const POSTGRES_SERVER = process.env.BENCH_POSTGRES_URL || process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const ENGINES = (process.env.BENCH_ENGINES ?? (process.env.BENCH_POSTGRES_URL || process.env.DATABASE_URL ? "sqlite,postgres" : "sqlite")).split(",").map((e) => e.trim());
// The seeding of the certified trainer writes its evidence through the configured folder; the
// installation measured first is SQLite, whatever DATABASE_URL says.
process.env.EVIDENCE_DIR = EVIDENCE;
process.env.DATABASE_URL = "";

const { openDatabase } = await import("~db/connection");
const { migrateToLatest } = await import("~db/migrate");
const { cache, getPublicCertificateView } = await import("~/certificates/public.server");
const { seedAccounts } = await import("./lib/seed-accounts");
const { seedCertifiedTrainer } = await import("./lib/seed-certified");
const { growAcademy, seedContext } = await import("./lib/seed-scale");
const { createBackup, restoreBackup, restoreTargetOf } = await import("./lib/backup");
const { copyToPostgres } = await import("./lib/copy-to-postgres");

const N = Number(process.argv[2] ?? 2_000);
const BASE = "http://localhost:3000";

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
async function sizeOf(target: string): Promise<number> {
  const stat = await fsp.stat(target);
  if (!stat.isDirectory()) return stat.size;
  let total = 0;
  for (const entry of await fsp.readdir(target)) total += await sizeOf(path.join(target, entry));
  return total;
}
async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}
const withDatabaseName = (url: string, name: string) => Object.assign(new URL(url), { pathname: `/${name}` }).toString();
async function onServer(query: string) {
  const client = new pg.Client({ connectionString: POSTGRES_SERVER });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

fs.rmSync(WORK, { recursive: true, force: true });
fs.mkdirSync(EVIDENCE, { recursive: true });
const now = new Date();
console.log(`Backup drill: ${N} trainers; commit ${execSync("git rev-parse --short HEAD").toString().trim()}; ${os.availableParallelism()} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);

const [certificateId, seedMs] = await timed(async () => {
  const { db } = openDatabase(DATABASE);
  await migrateToLatest(db);
  await seedAccounts(db, [{ role: "assessor", name: "Drill Assessor", email: "assessor@drill.invalid", password: "drill assessor password" }], now);
  const staff = await db.selectFrom("user").select("id").where("email", "=", "assessor@drill.invalid").executeTakeFirstOrThrow();
  const certified = await seedCertifiedTrainer(db, { name: "Drill Certified Trainer", email: "certified@drill.invalid", password: "drill trainer password", staffUserId: staff.id }, BASE, now);
  const documents = await db.selectFrom("certificate").select("pdf").where("id", "=", certified.certificateId).executeTakeFirstOrThrow();
  await growAcademy(db, { from: 1, to: N }, await seedContext(db, now, [staff.id], { pdf: documents.pdf, credential: null }));
  // The seeding records evidence rows without files: write each at its recorded size.
  for (const file of await db.selectFrom("evidence_file").select(["storage_name", "size_bytes"]).where("storage_name", "like", "seed-%").execute()) {
    await fsp.writeFile(path.join(EVIDENCE, file.storage_name), randomBytes(file.size_bytes));
  }
  await db.destroy();
  return certified.certificateId;
});
const [databaseBytes, evidenceBytes] = [await sizeOf(DATABASE), await sizeOf(EVIDENCE)];
console.log(`Seeded in ${seconds(seedMs)}: database ${megabytes(databaseBytes)}, evidence ${fs.readdirSync(EVIDENCE).length} files, ${megabytes(evidenceBytes)}\n`);

const report = (row: [string, string, string]) => {
  console.log(`${row[0].padEnd(60)} ${row[1].padStart(8)}  ${row[2]}`);
};
const [backup] = await timed(() => createBackup({ engine: "sqlite", path: DATABASE }, EVIDENCE, path.join(WORK, "backups"), new Date()));
report(["SQLite: npm run backup", seconds(backup.milliseconds), `archive ${megabytes(await sizeOf(backup.archive))}`]);
const target = restoreTargetOf(path.join(WORK, "restored"));
const [restored] = await timed(() => restoreBackup(backup.archive, target));
report(["SQLite: npm run restore (checksums, integrity_check, copy)", seconds(restored.milliseconds), `${restored.manifest.files.length} files`]);
{
  const { db } = openDatabase(path.join(WORK, "restored", "academy.sqlite"));
  cache().clear();
  const view = await getPublicCertificateView(db, certificateId, new Date());
  await db.destroy();
  if (view?.status !== "valid") throw new Error(`The restored SQLite copy shows the certificate as ${view?.status ?? "missing"}`);
}

let created: string[] = [];
if (ENGINES.includes("postgres")) {
  const prefix = `academy_bench_backup_${process.pid}`;
  created = [`${prefix}_copy`, `${prefix}_restored`];
  for (const name of created) await onServer(`CREATE DATABASE "${name}"`);
  const [copyUrl, restoreUrl] = created.map((name) => withDatabaseName(POSTGRES_SERVER, name));
  try {
    const copy = await copyToPostgres(DATABASE, EVIDENCE, copyUrl!);
    if (!copy.ok) throw new Error("db:copy-to-postgres reported a mismatch");
    report(["npm run db:copy-to-postgres (copy and verify)", seconds(copy.milliseconds), `${copy.comparisons.length} tables, ${copy.evidence.targetRows} files`]);
    const pgBackup = await createBackup({ engine: "postgres", url: copyUrl! }, EVIDENCE, path.join(WORK, "pg-backups"), new Date());
    report(["PostgreSQL: npm run backup (pg_dump -Fc)", seconds(pgBackup.milliseconds), `archive ${megabytes(await sizeOf(pgBackup.archive))}`]);
    const pgRestored = await restoreBackup(pgBackup.archive, { engine: "postgres", url: restoreUrl! });
    report(["PostgreSQL: npm run restore (pg_restore, counts)", seconds(pgRestored.milliseconds), `${Object.keys(pgRestored.manifest.tables).length} tables`]);
    const { db } = openDatabase({ engine: "postgres", url: restoreUrl!, poolSize: 1 });
    cache().clear();
    const view = await getPublicCertificateView(db, certificateId, new Date());
    await db.destroy();
    if (view?.status !== "valid") throw new Error(`The restored PostgreSQL copy shows the certificate as ${view?.status ?? "missing"}`);
  } finally {
    for (const name of created) await onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
  }
}

console.log(`\nEvery restored copy served the certificate ${certificateId} as Valid. Load average now ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}.`);
fs.rmSync(WORK, { recursive: true, force: true });
