import type { DB } from "~db/connection";
import { recordAudit } from "~/audit/audit.server";
import { iso } from "~/utils/clock";
import { queueEmail } from "~/email/outbox.server";
import { addDays, addMonthsToInstant, dateOf, formatDate } from "~/utils/dates";
import { getPolicy } from "~/policy/policy.server";

export interface JobSummary {
  insuranceExpired: number;
  insuranceReminders: number;
  dbsRechecksDue: number;
  dbsReminders: number;
  dbsDetailsErased: number;
}

/** Sends a reminder unless one was already sent for this subject and window; true when sent. */
async function remindOnce(
  db: DB,
  input: { userId: number; kind: string; subjectType: string; subjectId: number; windowKey: string; subject: string; text: string },
  now: Date,
): Promise<boolean> {
  const already = await db
    .selectFrom("reminder_sent")
    .select("id")
    .where("kind", "=", input.kind)
    .where("subject_id", "=", String(input.subjectId))
    .where("window_key", "=", input.windowKey)
    .executeTakeFirst();
  if (already) return false;
  const user = await db.selectFrom("user").select(["email", "name", "disabled_at"]).where("id", "=", input.userId).executeTakeFirst();
  if (!user || user.disabled_at) return false;
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("reminder_sent")
      .values({ user_id: input.userId, kind: input.kind, subject_id: String(input.subjectId), window_key: input.windowKey, sent_at: iso(now) })
      .execute();
    await recordAudit(trx, { actorUserId: null, action: `reminder.${input.kind}`, subjectType: input.subjectType, subjectId: input.subjectId, details: { trainerUserId: input.userId, about: input.windowKey } }, now);
  });
  await queueEmail(db, { to: user.email, subject: input.subject, text: `Hello ${user.name},\n\n${input.text}\n` }, now);
  return true;
}

/**
 * The scheduled work for entry requirements. Safe to run as often as you like: each step acts
 * only on what has not been acted on (expired_at, recheck_flagged_at, reminder_sent,
 * details_erased_at), so running hourly sends each reminder once per window.
 */
export async function runEntryRequirementJobs(db: DB, now: Date, baseUrl = ""): Promise<JobSummary> {
  const policy = await getPolicy(db);
  const today = dateOf(now);
  const windowEnd = addDays(today, policy.warningWindowDays);
  const link = `${baseUrl}/requirements`;
  const summary: JobSummary = { insuranceExpired: 0, insuranceReminders: 0, dbsRechecksDue: 0, dbsReminders: 0, dbsDetailsErased: 0 };

  // 1. Insurance past its end date is marked expired (once).
  const ended = await db.selectFrom("insurance_policy").select(["id", "user_id", "end_date"]).where("status", "=", "verified").where("expired_at", "is", null).where("end_date", "<", today).execute();
  for (const policyRow of ended) {
    await db.transaction().execute(async (trx) => {
      await trx.updateTable("insurance_policy").set({ expired_at: iso(now) }).where("id", "=", policyRow.id).where("expired_at", "is", null).execute();
      await recordAudit(trx, { actorUserId: null, action: "insurance.expired", subjectType: "insurance_policy", subjectId: policyRow.id, details: { trainerUserId: policyRow.user_id, endDate: policyRow.end_date } }, now);
    });
    summary.insuranceExpired += 1;
    await remindOnce(
      db,
      {
        userId: policyRow.user_id,
        kind: "insurance_expired",
        subjectType: "insurance_policy",
        subjectId: policyRow.id,
        windowKey: policyRow.end_date,
        subject: "Your insurance has expired",
        text: `Your insurance policy ended on ${formatDate(policyRow.end_date)}, so you no longer meet the entry requirements. Upload your current policy: ${link}`,
      },
      now,
    );
  }

  // 2. Insurance ending within the warning window: one reminder per policy and end date,
  //    unless a later verified policy already covers the trainer.
  const ending = await db
    .selectFrom("insurance_policy")
    .select(["id", "user_id", "end_date"])
    .where("status", "=", "verified")
    .where("end_date", ">=", today)
    .where("end_date", "<=", windowEnd)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("insurance_policy as later")
            .select("later.id")
            .whereRef("later.user_id", "=", "insurance_policy.user_id")
            .where("later.status", "=", "verified")
            .whereRef("later.end_date", ">", "insurance_policy.end_date"),
        ),
      ),
    )
    .execute();
  for (const policyRow of ending) {
    const sent = await remindOnce(
      db,
      {
        userId: policyRow.user_id,
        kind: "insurance_expiring",
        subjectType: "insurance_policy",
        subjectId: policyRow.id,
        windowKey: policyRow.end_date,
        subject: "Your insurance ends soon",
        text: `Your insurance policy ends on ${formatDate(policyRow.end_date)}. Upload your renewed policy before then so an assessor can verify it: ${link}`,
      },
      now,
    );
    if (sent) summary.insuranceReminders += 1;
  }

  // 3. DBS re-checks: flag those now due (once per due date) and remind those due within the window.
  const latestDbs = await db
    .selectFrom("dbs_check")
    .select(["id", "user_id", "recheck_due_on", "recheck_flagged_at"])
    .where("decision", "=", "suitable")
    .where("recheck_due_on", "is not", null)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom("dbs_check as newer").select("newer.id").whereRef("newer.user_id", "=", "dbs_check.user_id").whereRef("newer.id", ">", "dbs_check.id"))),
    )
    .execute();
  for (const check of latestDbs) {
    const due = check.recheck_due_on!;
    if (due <= today && check.recheck_flagged_at === null) {
      await db.transaction().execute(async (trx) => {
        await trx.updateTable("dbs_check").set({ recheck_flagged_at: iso(now) }).where("id", "=", check.id).where("recheck_flagged_at", "is", null).execute();
        await recordAudit(trx, { actorUserId: null, action: "dbs.recheck_due", subjectType: "dbs_check", subjectId: check.id, details: { trainerUserId: check.user_id, recheckDueOn: due } }, now);
      });
      summary.dbsRechecksDue += 1;
      await remindOnce(
        db,
        {
          userId: check.user_id,
          kind: "dbs_recheck_due",
          subjectType: "dbs_check",
          subjectId: check.id,
          windowKey: due,
          subject: "Your DBS re-check is due",
          text: `Your Enhanced DBS re-check was due on ${formatDate(due)}. Record your current certificate, or ask us for an Update Service status check: ${link}`,
        },
        now,
      );
    } else if (due > today && due <= windowEnd) {
      const sent = await remindOnce(
        db,
        {
          userId: check.user_id,
          kind: "dbs_recheck_soon",
          subjectType: "dbs_check",
          subjectId: check.id,
          windowKey: due,
          subject: "Your DBS re-check is due soon",
          text: `Your Enhanced DBS re-check is due on ${formatDate(due)}. If you subscribe to the Update Service we can do a status check; otherwise apply for a new certificate: ${link}`,
        },
        now,
      );
      if (sent) summary.dbsReminders += 1;
    }
  }

  // 4. Retention: certificate number and issue date are erased once the retention period after
  //    a final decision has passed. The decision, its date and who made it are kept.
  const decided = await db
    .selectFrom("dbs_check")
    .select(["id", "user_id", "decision", "decided_at", "decided_by_user_id"])
    .where("decision", "in", ["suitable", "not_suitable"])
    .where("decided_at", "is not", null)
    .where("details_erased_at", "is", null)
    .execute();
  for (const check of decided) {
    const eraseAfter = addMonthsToInstant(new Date(check.decided_at!), policy.dbsRetentionMonths);
    if (eraseAfter.getTime() > now.getTime()) continue;
    await eraseDbsDetails(db, check, { decidedAt: check.decided_at }, policy.dbsRetentionMonths, now);
    summary.dbsDetailsErased += 1;
  }

  // 5. A certificate that was replaced by a newer one before any final decision will never get
  //    one: its details go once the retention period has passed since it was replaced.
  const superseded = await db
    .selectFrom("dbs_check")
    .innerJoin("dbs_check as newer", (join) => join.onRef("newer.user_id", "=", "dbs_check.user_id").onRef("newer.id", ">", "dbs_check.id"))
    .select(["dbs_check.id", "dbs_check.user_id", "dbs_check.decision"])
    .select((eb) => eb.fn.min("newer.created_at").as("superseded_at"))
    .where((eb) => eb.or([eb("dbs_check.decision", "is", null), eb("dbs_check.decision", "=", "needs_review")]))
    .where("dbs_check.details_erased_at", "is", null)
    .groupBy(["dbs_check.id", "dbs_check.user_id", "dbs_check.decision"])
    .execute();
  for (const check of superseded) {
    const eraseAfter = addMonthsToInstant(new Date(check.superseded_at), policy.dbsRetentionMonths);
    if (eraseAfter.getTime() > now.getTime()) continue;
    await eraseDbsDetails(db, check, { supersededAt: check.superseded_at }, policy.dbsRetentionMonths, now);
    summary.dbsDetailsErased += 1;
  }
  return summary;
}

/** Erases a DBS certificate's number and issue date, keeping the decision; audited. */
async function eraseDbsDetails(
  db: DB,
  check: { id: number; user_id: number; decision: string | null },
  basis: { decidedAt: string | null } | { supersededAt: string },
  retentionMonths: number,
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("dbs_check").set({ certificate_number: null, issue_date: null, details_erased_at: iso(now) }).where("id", "=", check.id).where("details_erased_at", "is", null).execute();
    await recordAudit(
      trx,
      {
        actorUserId: null,
        action: "dbs.details_erased",
        subjectType: "dbs_check",
        subjectId: check.id,
        details: { trainerUserId: check.user_id, erased: ["certificate_number", "issue_date"], decision: check.decision, ...basis, retentionMonths },
      },
      now,
    );
  });
}
