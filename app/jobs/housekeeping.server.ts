import type { DB } from "~db/connection";
import { ABSOLUTE_LIFETIME_MS, IDLE_TIMEOUT_MS } from "~/auth/session.server";
import { DAY, HOUR, iso } from "~/utils/clock";

/**
 * Housekeeping (issue 16.13): rows that no longer do anything are deleted by the hourly job after
 * a stated retention, so the database does not grow without bound. What is kept, and for how long:
 * - sessions: until they can no longer be used (12 hours idle or 7 days after sign-in), then
 *   deleted at the next run;
 * - sign-in and account-limit counters (`login_throttle`): the longest window is an hour; a
 *   counter whose window began more than a day ago is deleted;
 * - one-time links (password reset, first administrator): kept 7 days after they were used or
 *   expired (a later click still says "expired or used": no row reads the same), then deleted;
 * - sent emails in the outbox: kept 30 days after sending (a record of what was sent), then
 *   deleted. Unsent emails are kept: they are retried.
 * The audit trail, reminders already sent and everything a trainer or assessor made are kept.
 */
export const RETENTION = {
  throttleMs: DAY,
  usedOrExpiredLinkMs: 7 * DAY,
  sentEmailMs: 30 * DAY,
} as const;

export interface HousekeepingSummary {
  sessions: number;
  throttleCounters: number;
  oneTimeLinks: number;
  sentEmails: number;
}

/** Rows deleted per statement: a large backlog never holds the write lock for long. */
const BATCH = 5000;

/** Runs one bounded delete until it deletes fewer rows than a batch. */
async function inBatches(deleteSome: () => Promise<{ numDeletedRows: bigint } | undefined>): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = Number((await deleteSome())?.numDeletedRows ?? 0n);
    total += deleted;
    if (deleted < BATCH) return total;
  }
}

export async function runHousekeeping(db: DB, now: Date): Promise<HousekeepingSummary> {
  const idleCutoff = iso(new Date(now.getTime() - IDLE_TIMEOUT_MS));
  const lifetimeCutoff = iso(new Date(now.getTime() - ABSOLUTE_LIFETIME_MS));
  const linkCutoff = iso(new Date(now.getTime() - RETENTION.usedOrExpiredLinkMs));
  const emailCutoff = iso(new Date(now.getTime() - RETENTION.sentEmailMs));
  const throttleCutoff = now.getTime() - RETENTION.throttleMs - HOUR;

  const sessions = await inBatches(() =>
    db
      .deleteFrom("session")
      .where("id", "in", db.selectFrom("session").select("id").where((eb) => eb.or([eb("last_active_at", "<=", idleCutoff), eb("created_at", "<=", lifetimeCutoff)])).limit(BATCH))
      .executeTakeFirst(),
  );
  const throttleCounters = await inBatches(() =>
    db.deleteFrom("login_throttle").where("key", "in", db.selectFrom("login_throttle").select("key").where("window_started_at", "<", throttleCutoff).limit(BATCH)).executeTakeFirst(),
  );
  const oneTimeLinks = await inBatches(() =>
    db
      .deleteFrom("one_time_token")
      .where("id", "in", db.selectFrom("one_time_token").select("id").where((eb) => eb.or([eb("used_at", "<=", linkCutoff), eb("expires_at", "<=", linkCutoff)])).limit(BATCH))
      .executeTakeFirst(),
  );
  const sentEmails = await inBatches(() =>
    db.deleteFrom("email_outbox").where("id", "in", db.selectFrom("email_outbox").select("id").where("sent_at", "is not", null).where("sent_at", "<=", emailCutoff).limit(BATCH)).executeTakeFirst(),
  );
  return { sessions, throttleCounters, oneTimeLinks, sentEmails };
}
