import type { DB } from "~db/connection";

/**
 * Called after a PASS outcome for the report-writing task has been released (and committed),
 * so other domains (certificates) can react without marking depending on them. Set once at
 * start-up with setOnReportReleased; a failure in the hook never undoes the release.
 */
export let onReportReleased: ((db: DB, userId: number, now: Date) => Promise<void>) | null = null;

export function setOnReportReleased(fn: ((db: DB, userId: number, now: Date) => Promise<void>) | null): void {
  onReportReleased = fn;
}
