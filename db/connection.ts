import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, SqliteDriver, type DatabaseConnection, type SqliteDialectConfig, type Transaction } from "kysely";
import pg from "pg";
import type { Database } from "./schema";

export type DB = Kysely<Database>;
/** A transaction, for functions that must run inside the caller's. */
export type Trx = Transaction<Database>;

export const DEFAULT_DATABASE_PATH = "data/academy.sqlite";

/**
 * Which database to open: a SQLite file (the default, embedded) or a PostgreSQL server
 * (`DATABASE_URL=postgres://…`, for several app nodes). See ADR 0011.
 */
export type DatabaseConfig = { engine: "sqlite"; path: string } | { engine: "postgres"; url: string; poolSize?: number };

export interface OpenedDatabase {
  db: DB;
  config: DatabaseConfig;
  /** The better-sqlite3 handle (SQLite only): for the online backup API and file-level tools. */
  sqlite?: SQLite.Database;
  /** The connection pool (PostgreSQL only). */
  pool?: pg.Pool;
}

export const isPostgresUrl = (value: string | undefined): value is string => !!value && /^postgres(ql)?:\/\//.test(value.trim());

/** A short description for logs, without the password. */
export function describeDatabase(config: DatabaseConfig): string {
  if (config.engine === "sqlite") return `SQLite ${config.path}`;
  const url = new URL(config.url);
  return `PostgreSQL ${url.host}${url.pathname}`;
}

/**
 * Opens the database. A string is a SQLite file name (`:memory:` for tests).
 */
export function openDatabase(filename: string): OpenedDatabase & { sqlite: SQLite.Database };
export function openDatabase(config: DatabaseConfig): OpenedDatabase;
export function openDatabase(target: string | DatabaseConfig): OpenedDatabase {
  const config: DatabaseConfig = typeof target === "string" ? { engine: "sqlite", path: target } : target;
  if (config.engine === "postgres") return openPostgres(config);
  const sqlite = openSqlite(config.path);
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, sqlite, config };
}

/** How many times a transaction's BEGIN is retried after SQLite's busy timeout (5 s each) ran out. */
const BEGIN_ATTEMPTS = 3;

/**
 * Several server processes (ADR 0009) share one SQLite file. A transaction that starts with
 * SQLite's default deferred BEGIN takes its read snapshot first and asks for the write lock only
 * at its first write; if another process committed in between, SQLite cannot upgrade it and
 * fails at once with SQLITE_BUSY_SNAPSHOT, which the busy timeout does not cover: a 500 for the
 * user. So every transaction begins IMMEDIATE: it takes the write lock at BEGIN, waits for it
 * under the busy timeout, and then reads and writes a state nobody else can change. A BEGIN that
 * still finds the database busy has done nothing yet, so it is safe to try again (ADR 0017).
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await connection.executeQuery(CompiledQuery.raw("begin immediate"));
        return;
      } catch (error) {
        if ((error as { code?: unknown }).code !== "SQLITE_BUSY" || attempt >= BEGIN_ATTEMPTS) throw error;
      }
    }
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver() {
    return new ImmediateSqliteDriver(this.#config);
  }
}

/**
 * Opens the SQLite database with the settings the project relies on: WAL so readers never
 * block the writer, foreign keys enforced, a busy timeout instead of immediate SQLITE_BUSY,
 * synchronous=FULL because attempts, marks and certificates must survive a power cut, and
 * secure_delete so that what is erased is overwritten, not merely unlinked.
 * SQLite-specific settings live here, in db/, and nowhere else.
 */
function openSqlite(filename: string): SQLite.Database {
  if (filename !== ":memory:") {
    fs.mkdirSync(path.dirname(path.resolve(filename)), { recursive: true });
  }
  const sqlite = new SQLite(filename);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = FULL");
  // Deleted or overwritten content is zeroed on its page, so erased personal data (the DBS
  // certificate number after the retention period) leaves no bytes behind in the file.
  sqlite.pragma("secure_delete = ON");
  return sqlite;
}

/**
 * PostgreSQL returns 64-bit integers (our `integer` columns, `count(*)`) and numerics as
 * strings, since they may exceed JavaScript's safe range. Ours never do (ids, pence, epoch
 * milliseconds, counts), so they come back as numbers, exactly as from SQLite; a value outside
 * the safe range is an error rather than a silent rounding.
 */
const INT8 = 20;
const NUMERIC = 1700;
function toSafeNumber(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) && Number.isInteger(value)) throw new RangeError(`Integer ${text} is outside JavaScript's safe range`);
  return value;
}
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === INT8 || oid === NUMERIC) return toSafeNumber;
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

function openPostgres(config: Extract<DatabaseConfig, { engine: "postgres" }>): OpenedDatabase {
  const pool = new pg.Pool({ connectionString: config.url, max: config.poolSize ?? 10, types });
  // An idle client that loses its connection (server restart) must not crash the process.
  pool.on("error", (error) => console.error("PostgreSQL pool error:", error.message));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool, config };
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
