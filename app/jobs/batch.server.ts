/**
 * Batched writes for the scheduled jobs (issue 19): a backlog of tens of thousands of actions is
 * applied 2,500 at a time, each batch in one transaction (one durable commit) with multi-row
 * inserts (one audit row per action), instead of a transaction and several statements per
 * action. 2,500 rather than 1,000: under load the synced commit is most of a batch's time, and
 * every statement of a batch stays within both engines' parameter limits (inserts split by
 * `insertRows`, notifications and emails a thousand a statement).
 */
import type { Insertable } from "kysely";
import type { DB } from "~db/connection";
import type { Database } from "~db/schema";
import { iso } from "~/utils/clock";
import { notifyAll } from "~/notifications/notify.server";
import type { NotificationKind } from "~/notifications/kinds";

export const BATCH = 2500;

export function chunks<T>(items: T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Inserts rows in statements small enough for every engine's parameter limit. */
export async function insertRows<T extends keyof Database>(db: DB, table: T, rows: Insertable<Database[T]>[]): Promise<void> {
  if (rows.length === 0) return;
  const size = Math.max(1, Math.floor(10_000 / Object.keys(rows[0]!).length));
  for (const part of chunks(rows, size)) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await db.insertInto(table).values(part as any).execute();
  }
}

export interface Reminder {
  userId: number;
  kind: string;
  subjectType: string;
  subjectId: number;
  windowKey: string;
  subject: string;
  text: string;
  /** The page it is about (a path), for the in-app notification. */
  link?: string;
}

/** The notification kind of each reminder kind (ADR 0028): expiry warnings and agreement notices. */
const REMINDER_KINDS: Record<string, NotificationKind> = {
  agreement_not_accepted: "certificate_status",
  agreement_new_version: "agreement_reacceptance",
};

export const systemAudit = (action: string, subjectType: string, subjectId: number, details: Record<string, unknown>, now: Date): Insertable<Database["audit_event"]> => ({
  occurred_at: iso(now),
  actor_user_id: null,
  action,
  subject_type: subjectType,
  subject_id: String(subjectId),
  details: JSON.stringify(details),
});

/**
 * Records reminders not sent before (once per kind, subject and window) for enabled accounts,
 * with their audit entries, as notifications (ADR 0028) whose emails are queued in the outbox at
 * once (sent outside the job).
 * Runs inside the caller's transaction; returns how many were new.
 */
export async function remindOnceEach(trx: DB, reminders: Reminder[], now: Date): Promise<number> {
  if (reminders.length === 0) return 0;
  const users = await trx.selectFrom("user").select(["id", "email", "name"]).where("id", "in", [...new Set(reminders.map((r) => r.userId))]).where("disabled_at", "is", null).execute();
  const byId = new Map(users.map((u) => [u.id, u]));
  const wanted = reminders.filter((r) => byId.has(r.userId));
  if (wanted.length === 0) return 0;
  const inserted = await trx
    .insertInto("reminder_sent")
    .values(wanted.map((r) => ({ user_id: r.userId, kind: r.kind, subject_id: String(r.subjectId), window_key: r.windowKey, sent_at: iso(now) })))
    .onConflict((oc) => oc.columns(["kind", "subject_id", "window_key"]).doNothing())
    .returning(["kind", "subject_id", "window_key"])
    .execute();
  const fresh = new Set(inserted.map((r) => `${r.kind}|${r.subject_id}|${r.window_key}`));
  const sent = wanted.filter((r) => fresh.has(`${r.kind}|${r.subjectId}|${r.windowKey}`));
  await insertRows(trx, "audit_event", sent.map((r) => systemAudit(`reminder.${r.kind}`, r.subjectType, r.subjectId, { trainerUserId: r.userId, about: r.windowKey }, now)));
  // Each is an in-app notification too, and urgent: emailed at once whatever the preference.
  await notifyAll(
    trx,
    sent.map((r) => ({ userId: r.userId, kind: REMINDER_KINDS[r.kind] ?? "expiry_warning", title: r.subject, body: r.text, link: r.link ?? null, urgent: true })),
    now,
  );
  return sent.length;
}
