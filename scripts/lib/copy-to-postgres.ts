/**
 * Moving up from SQLite to PostgreSQL (issue 11 item 4; README "Moving up to PostgreSQL"): copy
 * every table of a SQLite installation, and its evidence folder into `evidence_blob` (ADR 0022),
 * into an empty PostgreSQL database migrated to the same schema; then compare both sides, table
 * by table, by row count and by a checksum of their rows in primary-key order.
 */
import { createHash } from "node:crypto";
import fsp from "node:fs/promises";
import path from "node:path";
import type SQLite from "better-sqlite3";
import { sql, type Kysely } from "kysely";
import { describeDatabase, openDatabase, type DB } from "~db/connection";
import { migrateToLatest } from "~db/migrate";
import { migrations } from "~db/migrations/index";
import { evidenceDirectories } from "~/evidence/files.server";
import { OperatorError, sqliteSchemaVersion } from "./backup";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** Kysely's own bookkeeping: made by migrating the target, compared by name, not copied. */
const MIGRATION_TABLES = new Set(["kysely_migration", "kysely_migration_lock"]);
/**
 * Derived tables, kept by the target's own triggers while the copy inserts the rows they derive
 * from, so neither copied nor compared: certificate_status (ADR 0025) gets one stale row per
 * certificate copied, recomputed by the first refresh (at start); trainer_progress (ADR 0038)
 * one stale row per account copied, recomputed by the dashboard's first read.
 */
const DERIVED_TABLES = new Set(["certificate_status", "trainer_progress"]);
/**
 * Tables a migration fills with a default row (the assessment policy). A migrated database is
 * still "empty" with those rows; the copy replaces them with the source's. The copy test checks
 * that a freshly migrated database has rows nowhere else, so a new seeding migration must be
 * added here.
 */
export const MIGRATION_SEEDED_TABLES = new Set(["assessment_policy"]);
const EVIDENCE_BLOB = "evidence_blob";
const BATCH_ROWS = 500;
const LATEST_MIGRATION = Object.keys(migrations).sort().at(-1)!;

export interface TableShape {
  name: string;
  columns: string[];
  primaryKey: string[];
  /** Tables this one refers to (not itself). */
  references: string[];
}

export interface TableComparison {
  table: string;
  sourceRows: number;
  targetRows: number;
  sourceChecksum: string;
  targetChecksum: string;
  ok: boolean;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Every table of the SQLite database with its columns, primary key and references, parents first. */
export function sqliteTables(sqlite: SQLite.Database): TableShape[] {
  const names = sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").pluck().all() as string[];
  const shapes = names
    .filter((name) => !MIGRATION_TABLES.has(name) && !DERIVED_TABLES.has(name))
    .map((name): TableShape => {
      const info = sqlite.prepare(`select name, pk from pragma_table_info(?) order by cid`).all(name) as { name: string; pk: number }[];
      const references = (sqlite.prepare(`select distinct "table" from pragma_foreign_key_list(?)`).pluck().all(name) as string[]).filter((t) => t !== name);
      return {
        name,
        columns: info.map((c) => c.name),
        primaryKey: info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name),
        references,
      };
    });
  // Parents before children, so every foreign key finds its row (self-references point to
  // earlier rows: they are copied in primary-key order).
  const ordered: TableShape[] = [];
  const placed = new Set<string>();
  while (ordered.length < shapes.length) {
    const next = shapes.filter((s) => !placed.has(s.name) && s.references.every((r) => placed.has(r) || !shapes.some((t) => t.name === r)));
    if (next.length === 0) throw new OperatorError(`the tables' foreign keys form a cycle: ${shapes.filter((s) => !placed.has(s.name)).map((s) => s.name).join(", ")}`);
    for (const shape of next) {
      ordered.push(shape);
      placed.add(shape.name);
    }
  }
  return ordered;
}

/**
 * One row in a form both engines give alike: column values in the table's column order, bytes as
 * hex. SQLite and PostgreSQL (with the pool's integer parser, db/connection.ts) both return
 * integers as numbers and text as strings.
 */
function canonicalRow(row: Record<string, unknown>, columns: string[]): string {
  return JSON.stringify(columns.map((c) => {
    const value = row[c];
    if (value instanceof Uint8Array) return { bytes: Buffer.from(value).toString("hex") };
    return value ?? null;
  }));
}

/** Row count and SHA-256 of every row, in primary-key order, read in batches. */
export async function tableChecksum(db: AnyDb, shape: TableShape): Promise<{ rows: number; checksum: string }> {
  const hash = createHash("sha256");
  let rows = 0;
  const order = shape.primaryKey.length > 0 ? shape.primaryKey : shape.columns;
  for (let offset = 0; ; offset += BATCH_ROWS) {
    let query = db.selectFrom(shape.name).select(shape.columns);
    for (const column of order) query = query.orderBy(column);
    const batch = (await query.limit(BATCH_ROWS).offset(offset).execute()) as Record<string, unknown>[];
    for (const row of batch) hash.update(`${canonicalRow(row, shape.columns)}\n`);
    rows += batch.length;
    if (batch.length < BATCH_ROWS) break;
  }
  return { rows, checksum: hash.digest("hex") };
}

/** The evidence as `storage_name  sha256(content)` lines in name order: from the folder, or from `evidence_blob`. */
async function evidenceChecksumOfFolder(sqlite: SQLite.Database, evidenceDir: string): Promise<{ rows: number; checksum: string; missing: string[] }> {
  const { root } = evidenceDirectories(evidenceDir);
  const names = sqlite.prepare("select storage_name from evidence_file order by storage_name").pluck().all() as string[];
  const hash = createHash("sha256");
  const missing: string[] = [];
  let rows = 0;
  for (const name of names) {
    const bytes = await fsp.readFile(path.join(root, path.basename(name))).catch(() => null);
    if (!bytes) {
      missing.push(name);
      continue;
    }
    hash.update(`${name}  ${createHash("sha256").update(bytes).digest("hex")}\n`);
    rows += 1;
  }
  return { rows, checksum: hash.digest("hex"), missing };
}

async function evidenceChecksumOfBlobs(db: AnyDb): Promise<{ rows: number; checksum: string }> {
  const hash = createHash("sha256");
  let rows = 0;
  for (let offset = 0; ; offset += 50) {
    const batch = await db.selectFrom(EVIDENCE_BLOB).select(["storage_name", "content"]).orderBy("storage_name").limit(50).offset(offset).execute();
    for (const row of batch as { storage_name: string; content: Uint8Array }[]) hash.update(`${row.storage_name}  ${createHash("sha256").update(row.content).digest("hex")}\n`);
    rows += batch.length;
    if (batch.length < 50) break;
  }
  return { rows, checksum: hash.digest("hex") };
}

/** Refuses a target that holds anything but an empty, or empty-and-migrated, schema. */
async function checkTargetIsEmpty(db: DB, label: string): Promise<void> {
  const { rows: tables } = await sql<{ tablename: string }>`select tablename from pg_tables where schemaname not in ('pg_catalog', 'information_schema')`.execute(db);
  for (const { tablename } of tables) {
    if (MIGRATION_TABLES.has(tablename) || MIGRATION_SEEDED_TABLES.has(tablename)) continue;
    const { rows } = await sql<{ found: number }>`select 1 as found from ${sql.table(tablename)} limit 1`.execute(db);
    if (rows.length > 0) throw new OperatorError(`${label} is not empty (table ${tablename} has rows); copy only into a new, empty database (createdb NAME)`);
  }
}

/**
 * Identity columns were given explicit ids by the copy; start each one's sequence after the
 * highest, so the next row the app inserts gets a new id.
 */
async function restartIdentities(trx: AnyDb): Promise<number> {
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns where table_schema = current_schema() and is_identity = 'YES'`.execute(trx);
  for (const { table_name, column_name } of rows) {
    await sql`select setval(pg_get_serial_sequence(${quote(table_name)}, ${column_name}), coalesce(max(${sql.ref(column_name)}), 0) + 1, false) from ${sql.table(table_name)}`.execute(trx);
  }
  return rows.length;
}

export interface CopyReport {
  comparisons: TableComparison[];
  evidence: TableComparison;
  missingEvidence: string[];
  identities: number;
  milliseconds: number;
  ok: boolean;
}

/** Compares every table of the two databases, and the folder's evidence with `evidence_blob`. */
export async function compareInstallations(sqlite: SQLite.Database, source: DB, target: DB, evidenceDir: string): Promise<Omit<CopyReport, "identities" | "milliseconds">> {
  const comparisons: TableComparison[] = [];
  for (const shape of sqliteTables(sqlite)) {
    if (shape.name === EVIDENCE_BLOB) continue;
    const [a, b] = [await tableChecksum(source, shape), await tableChecksum(target, shape)];
    comparisons.push({ table: shape.name, sourceRows: a.rows, targetRows: b.rows, sourceChecksum: a.checksum, targetChecksum: b.checksum, ok: a.rows === b.rows && a.checksum === b.checksum });
  }
  const folder = await evidenceChecksumOfFolder(sqlite, evidenceDir);
  const blobs = await evidenceChecksumOfBlobs(target);
  const evidence = { table: "evidence files → evidence_blob", sourceRows: folder.rows, targetRows: blobs.rows, sourceChecksum: folder.checksum, targetChecksum: blobs.checksum, ok: folder.rows === blobs.rows && folder.checksum === blobs.checksum };
  const ok = comparisons.every((c) => c.ok) && evidence.ok && folder.missing.length === 0;
  return { comparisons, evidence, missingEvidence: folder.missing, ok };
}

/**
 * Copies the SQLite installation (`databasePath`, `evidenceDir`) into the empty PostgreSQL
 * database at `url`: migrates it, copies every table in batches preserving ids (one
 * transaction: a failure leaves it empty but migrated, and the copy can be run again), stores
 * each evidence file in `evidence_blob`, restarts the identity sequences, then compares.
 */
export async function copyToPostgres(databasePath: string, evidenceDir: string, url: string, onTable?: (table: string, rows: number) => void): Promise<CopyReport> {
  const started = performance.now();
  const source = openDatabase(databasePath);
  const target = openDatabase({ engine: "postgres", url, poolSize: 2 });
  const label = describeDatabase(target.config);
  try {
    const version = sqliteSchemaVersion(source.sqlite);
    if (version !== LATEST_MIGRATION) {
      throw new OperatorError(`${databasePath} is at schema ${version}, this code at ${LATEST_MIGRATION}: run npm run db:migrate on it first (with this version of the academy)`);
    }
    try {
      await sql`select 1`.execute(target.db);
    } catch (error) {
      throw new OperatorError(`cannot connect to ${label}: ${(error as Error).message} (create it first: createdb NAME)`);
    }
    await checkTargetIsEmpty(target.db, label);
    await migrateToLatest(target.db);
    const shapes = sqliteTables(source.sqlite);
    // One read transaction on the source: every table is copied as of the same moment.
    source.sqlite.prepare("begin").run();
    const identities = await target.db.transaction().execute(async (db) => {
      const trx = db as AnyDb;
      for (const table of MIGRATION_SEEDED_TABLES) await trx.deleteFrom(table).execute();
      for (const shape of shapes) {
        let copied = 0;
        const statement = source.sqlite.prepare(`select ${shape.columns.map(quote).join(", ")} from ${quote(shape.name)} order by ${(shape.primaryKey.length > 0 ? shape.primaryKey : shape.columns).map(quote).join(", ")}`);
        let batch: Record<string, unknown>[] = [];
        const flush = async () => {
          if (batch.length === 0) return;
          await trx.insertInto(shape.name).values(batch).execute();
          copied += batch.length;
          batch = [];
        };
        for (const row of statement.iterate() as Iterable<Record<string, unknown>>) {
          batch.push(row);
          if (batch.length >= BATCH_ROWS) await flush();
        }
        await flush();
        onTable?.(shape.name, copied);
      }
      // The folder's files, into the database (ADR 0022), named as their evidence_file rows say.
      const { root } = evidenceDirectories(evidenceDir);
      let files = 0;
      for (const row of source.sqlite.prepare("select storage_name, created_at from evidence_file order by storage_name").iterate() as Iterable<{ storage_name: string; created_at: string }>) {
        const bytes = await fsp.readFile(path.join(root, path.basename(row.storage_name))).catch(() => null);
        if (!bytes) continue; // reported by the comparison
        await trx.insertInto(EVIDENCE_BLOB).values({ storage_name: row.storage_name, content: bytes, created_at: row.created_at }).onConflict((oc) => oc.column("storage_name").doNothing()).execute();
        files += 1;
      }
      onTable?.("evidence files → evidence_blob", files);
      return restartIdentities(trx);
    }).finally(() => source.sqlite.prepare("commit").run());
    const compared = await compareInstallations(source.sqlite, source.db, target.db, evidenceDir);
    return { ...compared, identities, milliseconds: performance.now() - started };
  } finally {
    await source.db.destroy();
    await target.db.destroy();
  }
}

/** The comparison as a table for the terminal. */
export function formatComparison(report: Pick<CopyReport, "comparisons" | "evidence">): string {
  const rows = [...report.comparisons, report.evidence];
  const width = Math.max(...rows.map((r) => r.table.length), 5);
  const lines = [`${"table".padEnd(width)}  ${"SQLite".padStart(8)}  ${"Postgres".padStart(8)}  checksum (SHA-256, first 16)  result`];
  for (const r of rows) {
    const sum = r.sourceChecksum === r.targetChecksum ? r.sourceChecksum.slice(0, 16) : `${r.sourceChecksum.slice(0, 7)}≠${r.targetChecksum.slice(0, 7)}`;
    lines.push(`${r.table.padEnd(width)}  ${String(r.sourceRows).padStart(8)}  ${String(r.targetRows).padStart(8)}  ${sum.padEnd(28)}  ${r.ok ? "ok" : "MISMATCH"}`);
  }
  return lines.join("\n");
}
