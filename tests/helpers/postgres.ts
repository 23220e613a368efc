/**
 * Throw-away PostgreSQL databases for tests. Names start with the database named in
 * DATABASE_URL (e.g. `academy_ci` gives `academy_ci_u1a2b3_…`), so runs by different people or
 * CI jobs on one server never touch each other's databases, and every database a run creates
 * can be found and dropped by its prefix.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { isPostgresUrl } from "~db/connection";

export { isPostgresUrl };

/** The PostgreSQL server the tests use, or null for SQLite. */
export function testPostgresUrl(env: NodeJS.ProcessEnv = process.env): string | null {
  return isPostgresUrl(env.DATABASE_URL) ? env.DATABASE_URL.trim() : null;
}

/** `url` pointing at another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, "")) || "postgres";
}

/** PostgreSQL truncates identifiers longer than this, so two long names could become one. */
export const MAX_DATABASE_NAME = 63;

/**
 * A fresh lower-case name under `prefix`, within PostgreSQL's 63-character limit. The prefix is
 * kept whole (cleanup finds a run's databases by it) and so is the random part; the label only
 * helps a person reading a list of databases, so it is shortened to fit (CI's run prefix is long).
 */
export function uniqueDatabaseName(prefix: string, label = ""): string {
  const clean = (text: string) => text.toLowerCase().replace(/[^a-z0-9_]/g, "_");
  const head = clean(prefix);
  const tail = randomBytes(4).toString("hex");
  const room = MAX_DATABASE_NAME - head.length - tail.length - 2;
  if (room < 0) throw new Error(`Database name prefix too long: ${head}`);
  const shortLabel = clean(label).slice(0, room).replace(/_+$/, "");
  return shortLabel ? `${head}_${shortLabel}_${tail}` : `${head}_${tail}`;
}

async function onMaintenanceDb<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Creates database `name` (optionally as a copy of `template`) and returns its URL. */
export async function createDatabase(url: string, name: string, template?: string): Promise<string> {
  await onMaintenanceDb(url, (client) => client.query(`CREATE DATABASE ${ident(name)}${template ? ` TEMPLATE ${ident(template)}` : ""}`));
  return withDatabase(url, name);
}

/** Drops database `name` if it exists, closing any connection still open to it. */
export async function dropDatabase(url: string, name: string): Promise<void> {
  await onMaintenanceDb(url, (client) => client.query(`DROP DATABASE IF EXISTS ${ident(name)} WITH (FORCE)`));
}

/** Drops every database whose name starts with `prefix_`. */
export async function dropDatabasesWithPrefix(url: string, prefix: string): Promise<string[]> {
  return onMaintenanceDb(url, async (client) => {
    const rows = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [`${prefix}_`]);
    for (const { datname } of rows.rows) await client.query(`DROP DATABASE IF EXISTS ${ident(datname)} WITH (FORCE)`);
    return rows.rows.map((r) => r.datname);
  });
}

/** True when a PostgreSQL server answers at `url`. */
export async function postgresReachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: withDatabase(url, "postgres"), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
