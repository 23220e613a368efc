/**
 * Statement counting and query plans for the scale tests (issue 19).
 *
 * SQLite: EXPLAIN QUERY PLAN, whose lines say "SCAN t" for a full table scan and "SEARCH t USING
 * INDEX i" for an index read. PostgreSQL (when DATABASE_URL selects it): EXPLAIN with sequential
 * scans discouraged (`SET LOCAL enable_seqscan = off`, since a small test table is otherwise
 * read whole whatever its indexes), its lines mapped to the same words ("Seq Scan on t" is
 * "SCAN t", "Index Scan using i on t" is "SEARCH t USING INDEX i"): a plan that still scans
 * has no usable index. The tests read the same on both engines.
 */
import { CompiledQuery, Kysely, SqliteDialect, sql, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from "kysely";
import { isPostgres } from "~db/dialect";
import type SQLite from "better-sqlite3";
import type { DB } from "~db/connection";
import type { Database } from "~db/schema";

/** A second handle on the same database that records every statement it runs while `recording`. */
export function recordingDb(sqlite: SQLite.Database): { db: DB; record: <T>(run: (db: DB) => Promise<T>) => Promise<{ result: T; queries: CompiledQuery[] }> } {
  let sink: CompiledQuery[] | null = null;
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: sqlite }),
    log: (event) => {
      if (sink) sink.push(event.query);
    },
  });
  return {
    db,
    record: async (run) => {
      const queries: CompiledQuery[] = [];
      sink = queries;
      try {
        return { result: await run(db), queries };
      } finally {
        sink = null;
      }
    },
  };
}

/**
 * The same database (either engine) with every statement run through it counted, by the kind of
 * its root node ("SelectQueryNode", …): a Kysely plugin, so code under test is handed `db` and
 * runs as in production. `recordingDb` above records compiled statements, on SQLite only.
 */
export function countingStatements(db: DB): { db: DB; statements: string[] } {
  const statements: string[] = [];
  const counter: KyselyPlugin = {
    transformQuery: ({ node }: PluginTransformQueryArgs): RootOperationNode => {
      statements.push(node.kind);
      return node;
    },
    transformResult: async ({ result }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> => result,
  };
  return { db: db.withPlugin(counter), statements };
}

/** The plan of a compiled query, one line per step. */
export async function queryPlan(db: DB, query: CompiledQuery): Promise<string[]> {
  if (isPostgres(db)) return postgresPlan(db, query);
  const result = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`EXPLAIN QUERY PLAN ${query.sql}`, [...query.parameters]));
  return result.rows.map((r) => r.detail);
}

/**
 * Base tables read in full (no index) according to a plan. Not counted: derived tables (CTEs,
 * unions), and a walk of a table's integer primary key in order with a LIMIT (newest first by
 * id), which SQLite also reports as "SCAN t" although it stops after LIMIT rows.
 */
export function fullScans(plan: string[], sql: string): string[] {
  return plan
    .filter((line) => /^SCAN /.test(line) && !/USING (COVERING )?INDEX/.test(line))
    .map((line) => line.replace(/^SCAN /, "").split(" ")[0]!)
    .filter((table) => !["actions", "queue", "CONSTANT"].includes(table))
    .filter((table) => !new RegExp(`order by "${table}"\\."id" (asc|desc), "${table}"\\."id" (asc|desc) limit`).test(sql));
}

/** PostgreSQL's plan in SQLite's words (see the top of this file). */
async function postgresPlan(db: DB, query: CompiledQuery): Promise<string[]> {
  const lines = await db.transaction().execute(async (trx) => {
    await sql`SET LOCAL enable_seqscan = off`.execute(trx);
    const result = await trx.executeQuery<{ "QUERY PLAN": string }>(CompiledQuery.raw(`EXPLAIN ${query.sql}`, [...query.parameters]));
    return result.rows.map((r) => r["QUERY PLAN"]);
  });
  let heap = "";
  return lines.flatMap((line) => {
    const seq = /Seq Scan on (\S+)/.exec(line);
    if (seq) return [`SCAN ${seq[1]}`];
    const index = /Index (?:Only )?Scan (?:Backward )?using (\S+) on (\S+)/.exec(line);
    if (index) return [`SEARCH ${index[2]} USING INDEX ${index[1]}`];
    const bitmapHeap = /Bitmap Heap Scan on (\S+)/.exec(line);
    if (bitmapHeap) heap = bitmapHeap[1]!;
    const bitmapIndex = /Bitmap Index Scan on (\S+)/.exec(line);
    if (bitmapIndex) return [`SEARCH ${heap} USING INDEX ${bitmapIndex[1]}`];
    return [];
  });
}
