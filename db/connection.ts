import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import type { Database } from "./schema";

export type DB = Kysely<Database>;

export const DEFAULT_DATABASE_PATH = "data/academy.sqlite";

/**
 * Opens the SQLite database with the settings the project relies on: WAL so readers never
 * block the writer, foreign keys enforced, a busy timeout instead of immediate SQLITE_BUSY,
 * and synchronous=FULL because attempts, marks and certificates must survive a power cut.
 * SQLite-specific settings live here, in db/, and nowhere else.
 */
export function openDatabase(filename: string): { db: DB; sqlite: SQLite.Database } {
  if (filename !== ":memory:") {
    fs.mkdirSync(path.dirname(path.resolve(filename)), { recursive: true });
  }
  const sqlite = new SQLite(filename);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = FULL");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, sqlite };
}

/**
 * Kysely prepares every query afresh; preparing costs more than running most of ours. The
 * query builder produces the same SQL text for the same query shape (values are bound
 * parameters), so prepared statements are kept by SQL text. Statements run synchronously,
 * so a cached one is never in use twice at once.
 */
function withStatementCache(sqlite: SQLite.Database) {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (sql: string) => {
      let statement = statements.get(sql);
      if (!statement) {
        statement = sqlite.prepare(sql);
        if (statements.size >= 500) statements.clear();
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

export function databasePathFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_PATH && env.DATABASE_PATH.trim() !== "" ? env.DATABASE_PATH : DEFAULT_DATABASE_PATH;
}
