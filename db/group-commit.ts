import type { DB } from "./connection";
import { isPostgres } from "./dialect";

/**
 * Group commit for SQLite (ADR 0051). With `synchronous = FULL` every commit waits for the disk
 * (an fdatasync of the WAL, 1.5–2.5 ms on the machines we measured) while holding the database's
 * one write lock, so commits one by one cap the writes of all processes together at a few hundred a
 * second, however cheap each write is. Writes handed to `groupCommit` in the same turn of the
 * event loop run in one transaction, committed (and synced) once; each caller's promise settles
 * only after that commit, so an acknowledged write is as durable as before.
 *
 * - A write must be database statements only, on the handle it is given: it runs inside a
 *   transaction shared with other callers' writes.
 * - If the shared transaction fails, it has changed nothing, and each write is run again in its own
 *   transaction: one write's failure (a constraint, a bug) is its caller's alone.
 * - PostgreSQL runs the write at once: its commits do not hold a database-wide lock, and it groups
 *   concurrent commits' log flushes itself.
 */
export function groupCommit<T>(db: DB, write: (db: DB) => Promise<T>): Promise<T> {
  if (isPostgres(db)) return write(db);
  return new Promise<T>((resolve, reject) => {
    let queue = queues.get(db);
    if (!queue) {
      queue = [];
      queues.set(db, queue);
      // After this turn's I/O callbacks: every save that arrived with this one joins it.
      setImmediate(() => void flush(db));
    }
    queue.push({ write, resolve: resolve as (value: unknown) => void, reject });
  });
}

interface Pending {
  write: (db: DB) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** The writes waiting for their commit, per database handle (one per process in production). */
const queues = new WeakMap<DB, Pending[]>();

async function flush(db: DB): Promise<void> {
  const batch = queues.get(db) ?? [];
  queues.delete(db);
  if (batch.length === 1) return runAlone(db, batch[0]!);
  let results: unknown[];
  try {
    results = await db.transaction().execute(async (trx) => {
      const out: unknown[] = [];
      for (const pending of batch) out.push(await pending.write(trx));
      return out;
    });
  } catch {
    for (const pending of batch) await runAlone(db, pending);
    return;
  }
  batch.forEach((pending, i) => pending.resolve(results[i]));
}

async function runAlone(db: DB, pending: Pending): Promise<void> {
  try {
    pending.resolve(await db.transaction().execute((trx) => pending.write(trx)));
  } catch (error) {
    pending.reject(error);
  }
}
