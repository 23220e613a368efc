import type { DB } from "~db/connection";
import { startBackgroundWorker } from "~/utils/background-worker.server";
import { log } from "~/utils/log.server";
import { buildPendingDataExports } from "./exports.server";

/** How often a serving process looks for exports nobody woke it for (another node's request). */
export const EXPORT_POLL_MS = 60_000;
/** After a wake-up, wait this long, so the request's transaction has committed. */
const WAKE_DELAY_MS = 200;

/**
 * Starts this process's data-export worker (ADR 0033), beside its outbox worker: builds what its
 * requests ask for shortly after they are made, and polls for the rest. Several processes and
 * nodes may run one at once: each export is claimed by one conditional update. Returns a stop
 * function.
 */
export function startDataExportWorker(db: DB, clock: () => Date, options: { evidenceDir: string; publicBaseUrl: string; pollMs?: number }): () => void {
  return startBackgroundWorker({
    work: async () => {
      const result = await buildPendingDataExports(db, { now: clock(), evidenceDir: options.evidenceDir, publicBaseUrl: options.publicBaseUrl });
      if (result.built > 0 || result.failed > 0) log().info({ job: "data-exports", ...result }, "data exports built");
    },
    onError: (error) => log().error({ err: error }, "Building data exports failed"),
    setWake: (wake) => (globalThis.__academyDataExportWake = wake),
    pollMs: options.pollMs ?? EXPORT_POLL_MS,
    wakeDelayMs: WAKE_DELAY_MS,
  });
}
