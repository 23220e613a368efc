/**
 * Statement counting and query plans for the scale tests (issue 19).
 *
 * SQLite: EXPLAIN QUERY PLAN, whose lines say "SCAN t" for a full table scan and "SEARCH t USING
 * INDEX i" for an index read. For PostgreSQL (when DATABASE_URL selects it) add a branch to
 * `queryPlan` that runs `SET enable_seqscan = off; EXPLAIN …` and maps "Seq Scan on t" to
 * "SCAN t" and "Index Scan using i on t" to "SEARCH t USING INDEX i": the tests stay the same.
 */
import { CompiledQuery, Kysely, SqliteDialect } from "kysely";
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

/** The plan of a compiled query, one line per step. */
export async function queryPlan(db: DB, query: CompiledQuery): Promise<string[]> {
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
