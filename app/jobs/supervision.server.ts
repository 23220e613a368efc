/**
 * The scheduled supervision notices (ADR 0026): when a trainer's supervision session falls due,
 * the trainer and their supervisor are told once; when it becomes overdue (after the policy's grace
 * period), the trainer, the supervisor and every admin are told once. Each notice is recorded in
 * `reminder_sent` (once per kind, trainer, due date and person), audited, and sent through the
 * notifications (ADR 0028: in-app, and email at once or in the daily digest; overdue is urgent);
 * the dashboards flag the same state on every visit.
 */
import type { DB } from "~db/connection";
import { getSupervisionRule } from "~/supervision/supervision.server";
import { overdueFrom } from "~/supervision/standing";
import { addDays, ukToday } from "~/utils/dates";
import { iso } from "~/utils/clock";
import { notifyAll, type NotificationInput } from "~/notifications/notify.server";
import { chunks, insertRows, systemAudit } from "./batch.server";

interface Notice {
  userId: number;
  kind: "supervision_due" | "supervision_overdue";
  trainerId: number;
  windowKey: string;
  title: string;
  body: string;
  link: string;
}

/** Records the notices not sent before and notifies their people, in one transaction; returns how many were new. */
async function noticeOnceEach(trx: DB, notices: Notice[], now: Date): Promise<number> {
  if (notices.length === 0) return 0;
  const inserted = await trx
    .insertInto("reminder_sent")
    .values(notices.map((n) => ({ user_id: n.userId, kind: n.kind, subject_id: String(n.trainerId), window_key: n.windowKey, sent_at: iso(now) })))
    .onConflict((oc) => oc.columns(["kind", "subject_id", "window_key"]).doNothing())
    .returning(["kind", "subject_id", "window_key"])
    .execute();
  const fresh = new Set(inserted.map((r) => `${r.kind}|${r.subject_id}|${r.window_key}`));
  const sent = notices.filter((n) => fresh.has(`${n.kind}|${n.trainerId}|${n.windowKey}`));
  await insertRows(trx, "audit_event", sent.map((n) => systemAudit(`reminder.${n.kind}`, "user", n.trainerId, { recipientUserId: n.userId, about: n.windowKey }, now)));
  await notifyAll(trx, sent.map((n): NotificationInput => ({ userId: n.userId, kind: n.kind, title: n.title, body: n.body, link: n.link })), now);
  return sent.length;
}

export async function runSupervisionJobs(db: DB, now: Date): Promise<{ due: number; overdue: number }> {
  const rule = await getSupervisionRule(db);
  const today = ukToday(now);
  const rows = await db
    .selectFrom("supervision")
    .innerJoin("user as trainer", "trainer.id", "supervision.trainer_user_id")
    .select(["supervision.trainer_user_id", "supervision.supervisor_user_id", "supervision.next_due_on", "trainer.name as trainer_name"])
    .where("supervision.next_due_on", "<=", today)
    .where("trainer.disabled_at", "is", null)
    .execute();
  if (rows.length === 0) return { due: 0, overdue: 0 };
  const admins = await db.selectFrom("user").select("id").where("role", "=", "admin").where("disabled_at", "is", null).execute();
  const notices: Notice[] = [];
  let due = 0;
  let overdue = 0;
  for (const row of rows) {
    const late = today >= overdueFrom(row.next_due_on, rule.graceDays);
    const kind = late ? "supervision_overdue" : "supervision_due";
    if (late) overdue += 1;
    else due += 1;
    const lastDay = addDays(row.next_due_on, rule.graceDays);
    const consequence = rule.suspendsWhenOverdue ? " Under the academy's policy the certificate reads “Suspended — supervision overdue” until a session is recorded." : "";
    const forTrainer = late
      ? `Your supervision session was due by ${row.next_due_on} and is now overdue.${consequence} Arrange a session with your supervisor.`
      : `Your next supervision session is due (by ${row.next_due_on}; it becomes overdue after ${lastDay}). Arrange it with your supervisor.`;
    const forStaff = late
      ? `The supervision of ${row.trainer_name} was due by ${row.next_due_on} and is now overdue.${consequence}`
      : `A supervision session with ${row.trainer_name} is due (by ${row.next_due_on}; overdue after ${lastDay}).`;
    const recipients = [
      { userId: row.trainer_user_id, title: late ? "Your supervision is overdue" : "Your supervision session is due", body: forTrainer, link: "/supervision" },
      { userId: row.supervisor_user_id, title: `Supervision ${late ? "overdue" : "due"}: ${row.trainer_name}`, body: forStaff, link: `/supervision/${row.trainer_user_id}` },
      ...(late ? admins.filter((a) => a.id !== row.supervisor_user_id).map((a) => ({ userId: a.id, title: `Supervision overdue: ${row.trainer_name}`, body: forStaff, link: `/supervision/${row.trainer_user_id}` })) : []),
    ];
    for (const r of recipients) notices.push({ ...r, kind, trainerId: row.trainer_user_id, windowKey: `${row.next_due_on}:${r.userId}` });
  }
  for (const batch of chunks(notices)) await db.transaction().execute((trx) => noticeOnceEach(trx, batch, now));
  return { due, overdue };
}
