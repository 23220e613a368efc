/**
 * Backup archives (ADR 0024): one `.tar.gz` holding a consistent snapshot of the database, the
 * evidence files it refers to (SQLite; on PostgreSQL they are in the database, ADR 0022), and a
 * `manifest.json` with the SHA-256 of every file, the schema version, the time and the engine.
 * `scripts/backup.ts` and `scripts/restore.ts` are the commands; everything they do is here.
 */
import { createHash } from "node:crypto";
import { execFile } from "node:child_process";
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import SQLite from "better-sqlite3";
import pg from "pg";
import { describeDatabase, openDatabase, type DatabaseConfig } from "~db/connection";
import { migrations } from "~db/migrations/index";
import { evidenceDirectories } from "~/evidence/files.server";

const run = promisify(execFile);

export const ARCHIVE_FORMAT = "academy-backup";
export const ARCHIVE_FORMAT_VERSION = 1;
export const SQLITE_FILE = "database.sqlite";
export const PG_DUMP_FILE = "database.pgdump";
export const EVIDENCE_FOLDER = "evidence";
export const MANIFEST = "manifest.json";
/** The same checksums as the manifest, in the format `sha256sum -c` reads. */
export const CHECKSUMS = "SHA256SUMS";
/** Where the signing key is: ADR 0013 keeps it in the database, never in a file. */
const SIGNING_KEY_NOTE = "in the database (tables credential_issuer_key and app_secret): this archive holds the academy's private signing key and personal data; keep it as safe as the server";

export interface ManifestFile {
  path: string;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  format: typeof ARCHIVE_FORMAT;
  formatVersion: number;
  createdAt: string;
  engine: "sqlite" | "postgres";
  /** The newest migration applied to the database when the snapshot was taken. */
  schemaVersion: string;
  source: string;
  signingKey: string;
  /** Rows per table in the snapshot; a restore checks them. */
  tables: Record<string, number>;
  /** Evidence files the snapshot refers to that were not in the folder (normally none). */
  missingEvidence: string[];
  files: ManifestFile[];
}

/** A refusal or failure the operator can act on: printed as one line, exit code 1. */
export class OperatorError extends Error {}

const LATEST_KNOWN_MIGRATION = Object.keys(migrations).sort().at(-1)!;

async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function describeFiles(root: string, relativePaths: string[]): Promise<ManifestFile[]> {
  const files: ManifestFile[] = [];
  for (const relative of relativePaths) {
    const full = path.join(root, relative);
    files.push({ path: relative, bytes: (await fsp.stat(full)).size, sha256: await sha256File(full) });
  }
  return files;
}

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
}

async function tar(args: string[]): Promise<void> {
  try {
    await run("tar", args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const e = error as { code?: string; stderr?: string; message: string };
    if (e.code === "ENOENT") throw new OperatorError("the `tar` program was not found; install it (Debian: apt-get install tar)");
    throw new OperatorError(`tar failed: ${(e.stderr ?? e.message).trim().split("\n")[0]}`);
  }
}

/** Rows in every table (including the migration bookkeeping) of a SQLite file. */
function sqliteTableCounts(sqlite: SQLite.Database): Record<string, number> {
  const names = sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").pluck().all() as string[];
  return Object.fromEntries(names.map((name) => [name, Number(sqlite.prepare(`select count(*) from "${name.replace(/"/g, '""')}"`).pluck().get())]));
}

export function sqliteSchemaVersion(sqlite: SQLite.Database): string {
  const hasTable = sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'").get();
  if (!hasTable) return "(none)";
  return (sqlite.prepare("select name from kysely_migration order by name desc limit 1").pluck().get() as string | undefined) ?? "(none)";
}

async function postgresState(client: pg.Client | pg.PoolClient): Promise<{ schemaVersion: string; tables: Record<string, number> }> {
  const { rows } = await client.query<{ tablename: string }>("select tablename from pg_tables where schemaname = 'public' order by tablename");
  const tables: Record<string, number> = {};
  for (const { tablename } of rows) {
    const count = await client.query<{ n: string }>(`select count(*)::text as n from public."${tablename.replace(/"/g, '""')}"`);
    tables[tablename] = Number(count.rows[0]!.n);
  }
  let schemaVersion = "(none)";
  if (tables.kysely_migration !== undefined) {
    const latest = await client.query<{ name: string }>("select name from public.kysely_migration order by name desc limit 1");
    schemaVersion = latest.rows[0]?.name ?? "(none)";
  }
  return { schemaVersion, tables };
}

/** Refuses a schema this code does not know (an archive made by a newer version). */
function checkSchemaVersion(schemaVersion: string, where: string): void {
  if (schemaVersion === "(none)") throw new OperatorError(`${where} has no schema version (no migrations applied): it is not an academy database`);
  if (!(schemaVersion in migrations)) {
    throw new OperatorError(
      schemaVersion > LATEST_KNOWN_MIGRATION
        ? `${where} has schema version ${schemaVersion}, newer than this code (${LATEST_KNOWN_MIGRATION}): restore it with the version of the academy that made it`
        : `${where} has schema version ${schemaVersion}, which this code does not know`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Backup

export interface BackupResult {
  archive: string;
  manifest: Manifest;
  milliseconds: number;
}

/**
 * Writes one archive into `outDir` while the site keeps serving. SQLite: better-sqlite3's online
 * backup API copies the database under one read transaction (WAL: writers carry on), then the
 * evidence files that snapshot refers to are copied (files are never changed once written, and a
 * file is in the folder before its row commits). PostgreSQL: `pg_dump -Fc` in a snapshot exported
 * from the transaction that counts the rows, so the counts and the dump agree.
 */
export async function createBackup(config: DatabaseConfig, evidenceDir: string, outDir: string, now = new Date()): Promise<BackupResult> {
  const started = performance.now();
  await fsp.mkdir(outDir, { recursive: true, mode: 0o700 });
  const name = `academy-backup-${stamp(now)}`;
  const staging = await fsp.mkdtemp(path.join(path.resolve(outDir), ".staging-"));
  const top = path.join(staging, name);
  await fsp.mkdir(top, { mode: 0o700 });
  try {
    const partial = config.engine === "sqlite" ? await snapshotSqlite(config.path, evidenceDir, top) : await snapshotPostgres(config.url, top);
    const files = await describeFiles(top, partial.paths);
    const manifest: Manifest = {
      format: ARCHIVE_FORMAT,
      formatVersion: ARCHIVE_FORMAT_VERSION,
      createdAt: now.toISOString(),
      engine: config.engine,
      schemaVersion: partial.schemaVersion,
      source: describeDatabase(config),
      signingKey: SIGNING_KEY_NOTE,
      tables: partial.tables,
      missingEvidence: partial.missingEvidence,
      files,
    };
    await fsp.writeFile(path.join(top, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    await fsp.writeFile(path.join(top, CHECKSUMS), files.map((f) => `${f.sha256}  ${f.path}\n`).join(""), { mode: 0o600 });
    // A pg_dump custom-format file is compressed already: gzip would spend minutes for nothing.
    const compressed = config.engine === "sqlite";
    const archive = path.join(path.resolve(outDir), `${name}.${compressed ? "tar.gz" : "tar"}`);
    const temporary = `${archive}.part`;
    await tar([compressed ? "-czf" : "-cf", temporary, "-C", staging, name]);
    await fsp.chmod(temporary, 0o600);
    await fsp.rename(temporary, archive);
    return { archive, manifest, milliseconds: performance.now() - started };
  } finally {
    await fsp.rm(staging, { recursive: true, force: true });
  }
}

interface Snapshot {
  paths: string[];
  schemaVersion: string;
  tables: Record<string, number>;
  missingEvidence: string[];
}

async function snapshotSqlite(databasePath: string, evidenceDir: string, top: string): Promise<Snapshot> {
  if (!fs.existsSync(databasePath)) throw new OperatorError(`no database at ${databasePath} (set DATABASE_PATH, or DATABASE_URL for PostgreSQL)`);
  const source = openDatabase(databasePath);
  const target = path.join(top, SQLITE_FILE);
  try {
    // After the first step, copy every remaining page in one step: one read transaction, so the
    // copy is one consistent state however many writes other processes make meanwhile (a
    // page-at-a-time copy restarts whenever another connection writes, and might never finish).
    await source.sqlite.backup(target, { progress: () => 0x7fffffff });
  } finally {
    await source.db.destroy();
  }
  const snapshot = new SQLite(target);
  let storageNames: string[];
  let schemaVersion: string;
  let tables: Record<string, number>;
  try {
    // One self-contained file (no -wal beside it), readable by any sqlite3.
    snapshot.pragma("journal_mode = DELETE");
    schemaVersion = sqliteSchemaVersion(snapshot);
    tables = sqliteTableCounts(snapshot);
    storageNames = tables.evidence_file === undefined ? [] : (snapshot.prepare("select storage_name from evidence_file order by storage_name").pluck().all() as string[]);
  } finally {
    snapshot.close();
  }
  const { root } = evidenceDirectories(evidenceDir);
  await fsp.mkdir(path.join(top, EVIDENCE_FOLDER), { mode: 0o700 });
  const paths = [SQLITE_FILE];
  const missingEvidence: string[] = [];
  for (const storageName of storageNames) {
    const name = path.basename(storageName);
    const relative = `${EVIDENCE_FOLDER}/${name}`;
    try {
      await fsp.copyFile(path.join(root, name), path.join(top, relative));
      paths.push(relative);
    } catch {
      missingEvidence.push(name);
    }
  }
  return { paths, schemaVersion, tables, missingEvidence };
}

async function snapshotPostgres(url: string, top: string): Promise<Snapshot> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
  } catch (error) {
    throw new OperatorError(`cannot connect to ${describeDatabase({ engine: "postgres", url })}: ${(error as Error).message}`);
  }
  try {
    await client.query("begin isolation level repeatable read read only");
    const { rows } = await client.query<{ snapshot: string }>("select pg_export_snapshot() as snapshot");
    const state = await postgresState(client);
    try {
      await run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", `--snapshot=${rows[0]!.snapshot}`, "--file", path.join(top, PG_DUMP_FILE), "--dbname", url], { maxBuffer: 16 * 1024 * 1024 });
    } catch (error) {
      const e = error as { code?: string; stderr?: string; message: string };
      if (e.code === "ENOENT") throw new OperatorError("pg_dump was not found; install PostgreSQL's client programs (Debian: apt-get install postgresql-client)");
      throw new OperatorError(`pg_dump failed: ${(e.stderr ?? e.message).trim().split("\n")[0]}`);
    }
    await client.query("commit");
    return { paths: [PG_DUMP_FILE], schemaVersion: state.schemaVersion, tables: state.tables, missingEvidence: [] };
  } finally {
    await client.end().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// Restore

/** SQLite: the database file and evidence folder (and, with `--target DIR`, the folder holding both). */
export type RestoreTarget = { engine: "sqlite"; databasePath: string; evidenceDir: string; folder?: string } | { engine: "postgres"; url: string };

export interface RestoreResult {
  manifest: Manifest;
  target: RestoreTarget;
  milliseconds: number;
}

/** Where `--target` points: a folder (SQLite) or a postgres:// URL. */
export function restoreTargetOf(target: string): RestoreTarget {
  if (/^postgres(ql)?:\/\//.test(target)) return { engine: "postgres", url: target };
  const dir = path.resolve(target);
  return { engine: "sqlite", databasePath: path.join(dir, "academy.sqlite"), evidenceDir: path.join(dir, "evidence"), folder: dir };
}

export function describeTarget(target: RestoreTarget): string {
  return target.engine === "postgres" ? describeDatabase({ engine: "postgres", url: target.url }) : `${target.databasePath} with evidence in ${target.evidenceDir}`;
}

async function isEmptyDirectory(dir: string): Promise<boolean> {
  const entries = await fsp.readdir(dir).catch((error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? [] : Promise.reject(error)));
  return entries.length === 0;
}

async function checkTargetIsEmpty(target: RestoreTarget): Promise<void> {
  if (target.engine === "postgres") {
    const client = new pg.Client({ connectionString: target.url });
    try {
      await client.connect();
    } catch (error) {
      throw new OperatorError(`cannot connect to ${describeTarget(target)}: ${(error as Error).message} (create it first: createdb NAME)`);
    }
    try {
      const { rows } = await client.query<{ n: string }>("select count(*)::text as n from pg_tables where schemaname not in ('pg_catalog', 'information_schema')");
      if (Number(rows[0]!.n) > 0) throw new OperatorError(`${describeTarget(target)} is not empty (it has ${rows[0]!.n} tables); restore only into a new, empty database (createdb NAME)`);
    } finally {
      await client.end().catch(() => undefined);
    }
    return;
  }
  if (target.folder && !(await isEmptyDirectory(target.folder))) throw new OperatorError(`${target.folder} is not empty; restore only into an empty folder (choose another --target)`);
  for (const file of [target.databasePath, `${target.databasePath}-wal`]) {
    if (fs.existsSync(file)) throw new OperatorError(`${file} already exists; restore only into an empty location (choose another --target, or move it away first)`);
  }
  if (!(await isEmptyDirectory(target.evidenceDir))) throw new OperatorError(`${target.evidenceDir} is not empty; restore only into an empty location (choose another --target)`);
}

/** Reads and checks the manifest, then the checksum and size of every file it lists. */
async function verifyExtracted(extracted: string): Promise<{ top: string; manifest: Manifest }> {
  const entries = await fsp.readdir(extracted);
  if (entries.length !== 1) throw new OperatorError("the archive should hold one folder (academy-backup-…); this is not an academy backup");
  const top = path.join(extracted, entries[0]!);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(await fsp.readFile(path.join(top, MANIFEST), "utf8")) as Manifest;
  } catch {
    throw new OperatorError(`the archive has no readable ${MANIFEST}; this is not an academy backup`);
  }
  if (manifest.format !== ARCHIVE_FORMAT || !Array.isArray(manifest.files)) throw new OperatorError(`${MANIFEST} is not an academy backup manifest`);
  if (manifest.formatVersion > ARCHIVE_FORMAT_VERSION) throw new OperatorError(`the archive's format version ${manifest.formatVersion} is newer than this code reads (${ARCHIVE_FORMAT_VERSION})`);
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const file of manifest.files) {
    const full = path.join(top, file.path);
    if (path.relative(top, full).startsWith("..")) throw new OperatorError(`${MANIFEST} names a file outside the archive (${file.path})`);
    const stat = await fsp.stat(full).catch(() => null);
    if (!stat?.isFile()) throw new OperatorError(`${file.path} is listed in ${MANIFEST} but missing from the archive: it is incomplete; nothing was restored`);
    if (stat.size !== file.bytes || (await sha256File(full)) !== file.sha256) throw new OperatorError(`checksum mismatch for ${file.path}: the archive is damaged; nothing was restored`);
  }
  const evidence = path.join(top, EVIDENCE_FOLDER);
  for (const name of fs.existsSync(evidence) ? await fsp.readdir(evidence) : []) {
    if (!listed.has(`${EVIDENCE_FOLDER}/${name}`)) throw new OperatorError(`${EVIDENCE_FOLDER}/${name} is in the archive but not in ${MANIFEST}: the archive was altered; nothing was restored`);
  }
  return { top, manifest };
}

/**
 * Restores `archive` into `target`, which must be empty. Nothing is written to the target until
 * the archive's checksums, the database's integrity (`PRAGMA integrity_check`) and its schema
 * version have been checked; PostgreSQL is restored in one transaction (`pg_restore
 * --single-transaction`), so a failure leaves the database empty.
 */
export async function restoreBackup(archive: string, target: RestoreTarget): Promise<RestoreResult> {
  const started = performance.now();
  if (!fs.existsSync(archive)) throw new OperatorError(`no archive at ${archive}`);
  await checkTargetIsEmpty(target);
  const extracted = await fsp.mkdtemp(path.join(os.tmpdir(), "academy-restore-"));
  try {
    // tar recognises a gzip-compressed archive by itself (`.tar.gz` from SQLite, `.tar` from PostgreSQL).
    await tar(["-xf", path.resolve(archive), "-C", extracted, "--no-same-owner"]);
    const { top, manifest } = await verifyExtracted(extracted);
    if (manifest.engine !== target.engine) {
      throw new OperatorError(
        manifest.engine === "sqlite"
          ? "this is a SQLite backup: restore it into a folder (--target DIR), then move it to PostgreSQL with npm run db:copy-to-postgres"
          : "this is a PostgreSQL backup: restore it into an empty PostgreSQL database (--target postgres://…)",
      );
    }
    checkSchemaVersion(manifest.schemaVersion, "The archive");
    if (target.engine === "sqlite") await restoreSqlite(top, manifest, target);
    else await restorePostgres(top, manifest, target);
    return { manifest, target, milliseconds: performance.now() - started };
  } finally {
    await fsp.rm(extracted, { recursive: true, force: true });
  }
}

function checkCounts(manifest: Manifest, restored: Record<string, number>): void {
  for (const [table, expected] of Object.entries(manifest.tables)) {
    if (restored[table] !== expected) throw new OperatorError(`table ${table} has ${restored[table] ?? "no"} rows after the restore; the manifest says ${expected}`);
  }
}

async function restoreSqlite(top: string, manifest: Manifest, target: Extract<RestoreTarget, { engine: "sqlite" }>): Promise<void> {
  const source = path.join(top, SQLITE_FILE);
  const check = new SQLite(source, { readonly: true, fileMustExist: true });
  try {
    let problems: string[];
    try {
      problems = check.prepare("pragma integrity_check").pluck().all() as string[];
    } catch (error) {
      // A page too damaged to read at all (SQLITE_CORRUPT, SQLITE_NOTADB) stops the check itself.
      problems = [(error as Error).message];
    }
    if (problems.length !== 1 || problems[0] !== "ok") throw new OperatorError(`PRAGMA integrity_check failed on the archived database: ${problems.slice(0, 3).join("; ")}; nothing was restored`);
    const version = sqliteSchemaVersion(check);
    if (version !== manifest.schemaVersion) throw new OperatorError(`the database's schema version (${version}) differs from the manifest's (${manifest.schemaVersion}); nothing was restored`);
    checkCounts(manifest, sqliteTableCounts(check));
  } finally {
    check.close();
  }
  await checkTargetIsEmpty(target);
  await fsp.mkdir(path.dirname(target.databasePath), { recursive: true });
  await fsp.mkdir(target.evidenceDir, { recursive: true, mode: 0o700 });
  await fsp.copyFile(source, target.databasePath, fs.constants.COPYFILE_EXCL);
  await fsp.chmod(target.databasePath, 0o600);
  for (const file of manifest.files.filter((f) => f.path.startsWith(`${EVIDENCE_FOLDER}/`))) {
    await fsp.copyFile(path.join(top, file.path), path.join(target.evidenceDir, path.basename(file.path)), fs.constants.COPYFILE_EXCL);
  }
}

async function restorePostgres(top: string, manifest: Manifest, target: Extract<RestoreTarget, { engine: "postgres" }>): Promise<void> {
  try {
    await run("pg_restore", ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", "--dbname", target.url, path.join(top, PG_DUMP_FILE)], { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const e = error as { code?: string; stderr?: string; message: string };
    if (e.code === "ENOENT") throw new OperatorError("pg_restore was not found; install PostgreSQL's client programs (Debian: apt-get install postgresql-client)");
    throw new OperatorError(`pg_restore failed (the database was left empty): ${(e.stderr ?? e.message).trim().split("\n")[0]}`);
  }
  const { db, pool } = openDatabase({ engine: "postgres", url: target.url, poolSize: 1 });
  try {
    const client = await pool!.connect();
    try {
      const state = await postgresState(client);
      if (state.schemaVersion !== manifest.schemaVersion) throw new OperatorError(`the restored schema version (${state.schemaVersion}) differs from the manifest's (${manifest.schemaVersion})`);
      checkCounts(manifest, state.tables);
    } finally {
      client.release();
    }
  } finally {
    await db.destroy();
  }
}
