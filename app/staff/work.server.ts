/**
 * What is waiting for staff, for the dashboard: each queue's size and its oldest item's age,
 * from count(*) and min(…) reads over indexes, never by loading a queue (issue 19, issue 13
 * item 13). A few small queries whatever the size of the academy.
 */
import type { DB } from "~db/connection";
import type { Role } from "~db/schema";
import { addDays, ukToday } from "~/utils/dates";
import { dbsQueueSummary } from "~/evidence/dbs-list.server";
import { verificationQueueSummary } from "~/evidence/verification-queue.server";
import { markingQueueSummary } from "~/marking/open-work.server";
import { formatWaiting } from "~/marking/rules";
import { freshCertificateStatuses } from "~/certificates/stored-status.server";

export interface QueueSummary {
  count: number;
  /** How long the oldest item has waited ("3 days"), or null when the queue is empty. */
  oldestAge: string | null;
}

export interface StaffWork {
  evidence: QueueSummary;
  toMark: QueueSummary;
  toModerate: QueueSummary;
  disputed: QueueSummary;
  /** Admins only. */
  dbs: QueueSummary | null;
  expiringIn30Days: number | null;
}

const summarise = (s: { count: number; oldest: string | null }, now: Date): QueueSummary => ({ count: s.count, oldestAge: s.oldest ? formatWaiting(new Date(s.oldest), now) : null });

export async function getStaffWork(db: DB, role: Role, now: Date): Promise<StaffWork> {
  const admin = role === "admin";
  const today = ukToday(now);
  // The count of certificates valid today and expiring within 30 days is a range of
  // certificate_status_status_expires (ADR 0025), once the stored statuses are fresh.
  if (admin) await freshCertificateStatuses(db, now);
  const [evidence, marking, dbs, expiring] = await Promise.all([
    verificationQueueSummary(db),
    markingQueueSummary(db),
    admin ? dbsQueueSummary(db) : Promise.resolve(null),
    admin
      ? db
          .selectFrom("certificate_status")
          .select((eb) => eb.fn.countAll<number>().as("count"))
          .where("status", "=", "valid")
          .where("expires_on", "<=", addDays(today, 30))
          .executeTakeFirst()
      : Promise.resolve(null),
  ]);
  return {
    evidence: summarise(evidence, now),
    toMark: summarise(marking.mark, now),
    toModerate: summarise(marking.moderate, now),
    disputed: summarise(marking.disputed, now),
    dbs: dbs ? summarise(dbs, now) : null,
    expiringIn30Days: expiring ? Number(expiring.count) : null,
  };
}
