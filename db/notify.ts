import { sql } from "kysely";
import pg from "pg";
import type { DB } from "./connection";
import { isPostgres } from "./dialect";

/**
 * Messages between app nodes through PostgreSQL's LISTEN/NOTIFY (ADR 0021). On SQLite there is
 * one machine and these do nothing; the cluster's primary relays messages between its processes.
 */

/** Sends `payload` to every process listening on `channel`, on every node (PostgreSQL only). */
export async function notifyNodes(db: DB, channel: string, payload: string): Promise<void> {
  if (!isPostgres(db)) return;
  await sql`select pg_notify(${channel}, ${payload})`.execute(db);
}

export interface NodeListener {
  /** Resolves once the first LISTEN is in place. */
  ready: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Listens on `channel` on a connection of its own (a LISTEN needs a session that stays open,
 * outside the pool). `onMessage` gets each payload. If the connection drops, `onGap` is called
 * (messages may have been missed: drop whatever they would have invalidated) and it reconnects
 * after `retryMs`, calling `onGap` again once listening resumes.
 */
export function listenToNodes(url: string, channel: string, handlers: { onMessage: (payload: string) => void; onGap: () => void }, retryMs = 1000): NodeListener {
  let client: pg.Client | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let first = true;
  let resolveReady!: () => void;
  const ready = new Promise<void>((resolve) => (resolveReady = resolve));
  const reconnect = () => {
    handlers.onGap();
    client = null;
    if (!stopped && !timer) timer = setTimeout(connect, retryMs).unref();
  };
  const connect = async () => {
    timer = null;
    if (stopped) return;
    const next = new pg.Client({ connectionString: url });
    client = next;
    next.on("notification", (message) => {
      if (message.channel === channel && message.payload !== undefined) handlers.onMessage(message.payload);
    });
    next.on("error", () => undefined);
    next.on("end", () => {
      if (client === next) reconnect();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      if (!first) handlers.onGap();
      first = false;
      resolveReady();
    } catch {
      await next.end().catch(() => undefined);
      if (client === next) reconnect();
    }
  };
  void connect();
  return {
    ready,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      const current = client;
      client = null;
      await current?.end().catch(() => undefined);
    },
  };
}
