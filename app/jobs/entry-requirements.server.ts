import type { DB } from "~db/connection";
import { log } from "~/utils/log.server";
import { isPostgres, purgeErasedBytes } from "~db/dialect";
import { iso } from "~/utils/clock";
import { addDays, addMonthsToInstant, formatDate, ukToday } from "~/utils/dates";
import { getPolicy } from "~/policy/policy.server";
import { chunks, insertRows, remindOnceEach, systemAudit, type Reminder } from "./batch.server";

export interface JobSummary {
  insuranceExpired: number;
  insuranceReminders: number;
  dbsRechecksDue: number;
  dbsReminders: number;
  dbsDetailsErased: number;
}

/**
 * The scheduled work for entry requirements. Safe to run as often as you like: each step acts
 * only on what has not been acted on (expired_at, recheck_flagged_at, reminder_sent,
 * details_erased_at), so running hourly sends each reminder once per window.
 *
 * Each step reads its candidates in one query and applies them in batches, one transaction per
 * batch (ADR 0014): a backlog of 50,000 trainers takes seconds, not minutes. Emails are queued in
 * the outbox and delivered outside the job.
 */
export async function runEntryRequirementJobs(db: DB, now: Date, baseUrl = ""): Promise<JobSummary> {
  const policy = await getPolicy(db);
  const today = ukToday(now);
  const windowEnd = addDays(today, policy.warningWindowDays);
  const link = `${baseUrl}/requirements`;
  const insurance = await expireInsurance(db, now, today, link);
  const insuranceReminders = await remindInsuranceEnding(db, now, today, windowEnd, link);
  const dbs = await flagDbsRechecks(db, now, today, windowEnd, link);
  const dbsDetailsErased = await eraseExpiredDbsDetails(db, now, policy.dbsRetentionMonths);
  return { insuranceExpired: insurance.expired, insuranceReminders, dbsRechecksDue: dbs.flagged, dbsReminders: dbs.reminders, dbsDetailsErased };
}

/** 1. Insurance past its end date is marked expired (once), audited, and the trainer told. */
async function expireInsurance(db: DB, now: Date, today: string, link: string): Promise<{ expired: number }> {
  const ended = await db.selectFrom("insurance_policy").select(["id", "user_id", "end_date"]).where("status", "=", "verified").where("expired_at", "is", null).where("end_date", "<", today).orderBy("id").execute();
  let expired = 0;
  for (const batch of chunks(ended)) {
    expired += await db.transaction().execute(async (trx) => {
      const updated = await trx.updateTable("insurance_policy").set({ expired_at: iso(now) }).where("id", "in", batch.map((p) => p.id)).where("expired_at", "is", null).returning("id").execute();
      const done = new Set(updated.map((u) => u.id));
      const rows = batch.filter((p) => done.has(p.id));
      await insertRows(trx, "audit_event", rows.map((p) => systemAudit("insurance.expired", "insurance_policy", p.id, { trainerUserId: p.user_id, endDate: p.end_date }, now)));
      await remindOnceEach(
        trx,
        rows.map((p) => ({
          userId: p.user_id,
          kind: "insurance_expired",
          subjectType: "insurance_policy",
          subjectId: p.id,
          windowKey: p.end_date,
          link: "/requirements",
          subject: "Your insurance has expired",
          text: `Your insurance policy ended on ${formatDate(p.end_date)}, so you no longer meet the entry requirements. Upload your current policy: ${link}`,
        })),
        now,
      );
      return rows.length;
    });
  }
  return { expired };
}

/** 2. Insurance ending within the warning window: one reminder per policy and end date, unless a later verified policy covers the trainer. */
async function remindInsuranceEnding(db: DB, now: Date, today: string, windowEnd: string, link: string): Promise<number> {
  const ending = await db
    .selectFrom("insurance_policy")
    .select(["id", "user_id", "end_date"])
    .where("status", "=", "verified")
    .where("end_date", ">=", today)
    .where("end_date", "<=", windowEnd)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom("insurance_policy as later").select("later.id").whereRef("later.user_id", "=", "insurance_policy.user_id").where("later.status", "=", "verified").whereRef("later.end_date", ">", "insurance_policy.end_date"))),
    )
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom("reminder_sent").select("reminder_sent.id").where("reminder_sent.kind", "=", "insurance_expiring").whereRef("reminder_sent.window_key", "=", "insurance_policy.end_date").where((eb) => eb(eb.cast("insurance_policy.id", "text"), "=", eb.ref("reminder_sent.subject_id"))))),
    )
    .orderBy("id")
    .execute();
  return sendInBatches(
    db,
    ending.map((p) => ({
      userId: p.user_id,
      kind: "insurance_expiring",
      subjectType: "insurance_policy",
      subjectId: p.id,
      windowKey: p.end_date,
      link: "/requirements",
      subject: "Your insurance ends soon",
      text: `Your insurance policy ends on ${formatDate(p.end_date)}. Upload your renewed policy before then so an assessor can verify it: ${link}`,
    })),
    now,
  );
}

async function sendInBatches(db: DB, reminders: Reminder[], now: Date): Promise<number> {
  let sent = 0;
  for (const batch of chunks(reminders)) sent += await db.transaction().execute((trx) => remindOnceEach(trx, batch, now));
  return sent;
}

/** 3. DBS re-checks on each trainer's latest record: flag those now due (once) and remind those due within the window. */
async function flagDbsRechecks(db: DB, now: Date, today: string, windowEnd: string, link: string): Promise<{ flagged: number; reminders: number }> {
  const latest = await db
    .selectFrom("dbs_check")
    .select(["id", "user_id", "recheck_due_on", "recheck_flagged_at"])
    .where("decision", "=", "suitable")
    .where("recheck_due_on", "is not", null)
    .where((eb) => eb.or([eb.and([eb("recheck_due_on", "<=", today), eb("recheck_flagged_at", "is", null)]), eb.and([eb("recheck_due_on", ">", today), eb("recheck_due_on", "<=", windowEnd)])]))
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom("dbs_check as newer").select("newer.id").whereRef("newer.user_id", "=", "dbs_check.user_id").whereRef("newer.id", ">", "dbs_check.id"))))
    .orderBy("id")
    .execute();
  const due = latest.filter((c) => c.recheck_due_on! <= today);
  let flagged = 0;
  for (const batch of chunks(due)) {
    flagged += await db.transaction().execute(async (trx) => {
      const updated = await trx.updateTable("dbs_check").set({ recheck_flagged_at: iso(now) }).where("id", "in", batch.map((c) => c.id)).where("recheck_flagged_at", "is", null).returning("id").execute();
      const done = new Set(updated.map((u) => u.id));
      const rows = batch.filter((c) => done.has(c.id));
      await insertRows(trx, "audit_event", rows.map((c) => systemAudit("dbs.recheck_due", "dbs_check", c.id, { trainerUserId: c.user_id, recheckDueOn: c.recheck_due_on }, now)));
      await remindOnceEach(
        trx,
        rows.map((c) => ({
          userId: c.user_id,
          kind: "dbs_recheck_due",
          subjectType: "dbs_check",
          subjectId: c.id,
          windowKey: c.recheck_due_on!,
          link: "/requirements",
          subject: "Your DBS re-check is due",
          text: `Your Enhanced DBS re-check was due on ${formatDate(c.recheck_due_on)}. Record your current certificate, or ask us for an Update Service status check: ${link}`,
        })),
        now,
      );
      return rows.length;
    });
  }
  const soon = latest.filter((c) => c.recheck_due_on! > today);
  const reminders = await sendInBatches(
    db,
    soon.map((c) => ({
      userId: c.user_id,
      kind: "dbs_recheck_soon",
      subjectType: "dbs_check",
      subjectId: c.id,
      windowKey: c.recheck_due_on!,
      link: "/requirements",
      subject: "Your DBS re-check is due soon",
      text: `Your Enhanced DBS re-check is due on ${formatDate(c.recheck_due_on)}. If you subscribe to the Update Service we can do a status check; otherwise apply for a new certificate: ${link}`,
    })),
    now,
  );
  return { flagged, reminders };
}

type Erasure = { id: number; user_id: number; decision: string | null; basis: { decidedAt: string | null } | { supersededAt: string } };

/**
 * 4. Retention: certificate number and issue date are erased once the retention period after a
 *    final decision has passed (the decision, its date and who made it are kept).
 * 5. A certificate replaced by a newer one before any final decision will never get one: its
 *    details go once the retention period has passed since it was replaced.
 */
async function eraseExpiredDbsDetails(db: DB, now: Date, months: number): Promise<number> {
  // Candidates by a generous cut-off in SQL (month ends differ by a few days); the exact rule in code.
  const cutoff = iso(new Date(addMonthsToInstant(now, -months).getTime() + 4 * 86_400_000));
  const due = (at: string | null) => at !== null && addMonthsToInstant(new Date(at), months).getTime() <= now.getTime();
  const decided = await db
    .selectFrom("dbs_check")
    .select(["id", "user_id", "decision", "decided_at"])
    .where("decision", "in", ["suitable", "not_suitable"])
    .where("decided_at", "is not", null)
    .where("decided_at", "<=", cutoff)
    .where("details_erased_at", "is", null)
    .orderBy("id")
    .execute();
  const superseded = await db
    .selectFrom("dbs_check")
    .innerJoin("dbs_check as newer", (join) => join.onRef("newer.user_id", "=", "dbs_check.user_id").onRef("newer.id", ">", "dbs_check.id"))
    .select(["dbs_check.id", "dbs_check.user_id", "dbs_check.decision"])
    .select((eb) => eb.fn.min("newer.created_at").as("superseded_at"))
    .where((eb) => eb.or([eb("dbs_check.decision", "is", null), eb("dbs_check.decision", "=", "needs_review")]))
    .where("dbs_check.details_erased_at", "is", null)
    .groupBy(["dbs_check.id", "dbs_check.user_id", "dbs_check.decision"])
    .execute();
  const erasures: Erasure[] = [
    ...decided.filter((c) => due(c.decided_at)).map((c) => ({ id: c.id, user_id: c.user_id, decision: c.decision, basis: { decidedAt: c.decided_at } })),
    ...superseded.filter((c) => due(c.superseded_at)).map((c) => ({ id: c.id, user_id: c.user_id, decision: c.decision, basis: { supersededAt: c.superseded_at } })),
  ];
  let erased = 0;
  for (const batch of chunks(erasures)) {
    erased += await db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable("dbs_check")
        .set({ certificate_number: null, issue_date: null, details_erased_at: iso(now) })
        .where("id", "in", batch.map((c) => c.id))
        .where("details_erased_at", "is", null)
        .returning("id")
        .execute();
      const done = new Set(updated.map((u) => u.id));
      const rows = batch.filter((c) => done.has(c.id));
      await insertRows(
        trx,
        "audit_event",
        rows.map((c) => systemAudit("dbs.details_erased", "dbs_check", c.id, { trainerUserId: c.user_id, erased: ["certificate_number", "issue_date"], decision: c.decision, ...c.basis, retentionMonths: months }, now)),
      );
      return rows.length;
    });
  }
  // On SQLite the log is checkpointed at every run (cheap), so an erasure a busy reader held
  // back is completed an hour later; PostgreSQL's table rewrite only runs when something went.
  if ((erased > 0 || !isPostgres(db)) && !(await purgeErasedBytes(db, ["dbs_check"]))) {
    log().warn("Jobs: the SQLite write-ahead log could not be fully checkpointed (another connection was reading); erased data may remain in it until the next hourly run.");
  }
  return erased;
}
