import type { DB } from "~db/connection";
import type { DbsDecision, DbsStatusResult } from "~db/schema";
import { recordAudit } from "~/audit/audit.server";
import type { OnRequirementMet } from "~/utils/reaction";
import { iso } from "~/utils/clock";
import { notify, notifyStaff } from "~/notifications/notify.server";
import { validate } from "~/utils/forms";
import { invalid, ok, refuse, type Result } from "~/utils/result";
import { getPolicy } from "~/policy/policy.server";
import { addMonths, ukToday } from "~/utils/dates";
import { dbsCrossFieldErrors, dbsSchema } from "./validation";

/*
 * Enhanced DBS checks are criminal offence data (UK GDPR Article 10). We record only the fields
 * the framework needs, never a scan or the certificate's contents. The certificate number and
 * issue date are shown only on the admin DBS page (each view audited), never written to logs
 * or to audit details, and erased once the retention period after the decision has passed.
 */

/** The trainer records their certificate. No file is ever accepted here. */
export async function submitDbsCheck(db: DB, userId: number, fields: Record<string, string>, now: Date): Promise<Result<{ id: number }>> {
  const parsed = validate(dbsSchema(ukToday(now)), fields);
  if (!parsed.ok) return invalid({ ...dbsCrossFieldErrors(fields), ...parsed.fieldErrors }, parsed.message);
  const input = parsed.value;
  const id = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("dbs_check")
      .values({
        user_id: userId,
        certificate_number: input.certificateNumber,
        issue_date: input.issueDate,
        adults_barred_list: input.adultsBarredList ? 1 : 0,
        children_barred_list: input.childrenBarredList ? 1 : 0,
        workforce: input.workforce,
        update_service_subscribed: input.updateService === "yes" ? 1 : 0,
        status_check_consent: input.updateService === "yes" && input.statusCheckConsent ? 1 : 0,
        will_show_original: 1,
        decision: null,
        decided_by_user_id: null,
        decided_at: null,
        original_seen_on: null,
        original_seen_by_user_id: null,
        recheck_due_on: null,
        recheck_flagged_at: null,
        details_erased_at: null,
        created_at: iso(now),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    // A time booked to show an earlier certificate that was never seen is given back (ADR 0037).
    await trx
      .updateTable("dbs_viewing_slot")
      .set({ booked_dbs_check_id: null, booked_at: null })
      .where("booked_dbs_check_id", "in", trx.selectFrom("dbs_check").select("id").where("user_id", "=", userId).where("id", "!=", row.id).where("original_seen_on", "is", null))
      .execute();
    // No certificate number or issue date in the audit trail.
    await recordAudit(trx, { actorUserId: userId, action: "dbs.submitted", subjectType: "dbs_check", subjectId: row.id }, now);
    // Admins decide DBS checks; never the certificate's details in a notification.
    await notifyStaff(trx, "admin", { kind: "dbs_to_decide", title: "DBS details are waiting for a decision", body: "A trainer has recorded their Enhanced DBS check.", link: `/admin/dbs/${row.id}` }, now, userId);
    return row.id;
  });
  return ok({ id });
}

/** Staff who may have seen an original certificate. */
export async function listStaff(db: DB) {
  return db.selectFrom("user").select(["id", "name", "role"]).where("role", "in", ["assessor", "admin"]).where("disabled_at", "is", null).orderBy("name").execute();
}

/**
 * The admin DBS page. Every call is a view of criminal offence data and is written to the audit
 * trail (without the certificate number).
 */
export async function viewDbsCheck(db: DB, admin: { id: number; role: string }, id: number, now: Date) {
  if (admin.role !== "admin") return null;
  const check = await db.selectFrom("dbs_check").selectAll().where("id", "=", id).executeTakeFirst();
  if (!check) return null;
  await recordAudit(db, { actorUserId: admin.id, action: "dbs.viewed", subjectType: "dbs_check", subjectId: id, details: { trainerUserId: check.user_id } }, now);
  const trainer = await db.selectFrom("user").select(["id", "name", "email"]).where("id", "=", check.user_id).executeTakeFirstOrThrow();
  const names = async (userId: number | null) => (userId === null ? null : ((await db.selectFrom("user").select("name").where("id", "=", userId).executeTakeFirst())?.name ?? null));
  const statusChecks = await db
    .selectFrom("dbs_status_check")
    .innerJoin("user", "user.id", "dbs_status_check.checked_by_user_id")
    .select(["dbs_status_check.id", "dbs_status_check.checked_on", "dbs_status_check.result", "user.name as checked_by"])
    .where("dbs_check_id", "=", id)
    .orderBy("dbs_status_check.id", "desc")
    .execute();
  return {
    check,
    trainer,
    decidedBy: await names(check.decided_by_user_id),
    originalSeenBy: await names(check.original_seen_by_user_id),
    statusChecks,
  };
}

/** Re-check due date: the interval runs from the later of the issue date and the last clear status check. */
export function recheckDueOn(issueDate: string | null, lastCurrentStatusCheck: string | null, months: number, fallback: string): string {
  const base = [issueDate, lastCurrentStatusCheck].filter((d): d is string => d !== null).sort().pop() ?? fallback;
  return addMonths(base, months);
}

async function lastCurrentStatusCheck(db: DB, dbsCheckId: number): Promise<string | null> {
  const row = await db
    .selectFrom("dbs_status_check")
    .select("checked_on")
    .where("dbs_check_id", "=", dbsCheckId)
    .where("result", "=", "current")
    .orderBy("checked_on", "desc")
    .executeTakeFirst();
  return row?.checked_on ?? null;
}

export interface DbsDecisionInput {
  decision: DbsDecision;
  originalSeenOn: string;
  originalSeenBy: number;
}

/** An admin records the suitability decision, when and by whom the original certificate was seen. */
export async function recordDbsDecision(
  db: DB,
  admin: { id: number; role: string },
  id: number,
  input: DbsDecisionInput,
  baseUrl: string,
  now: Date,
  onRequirementMet?: OnRequirementMet,
): Promise<Result> {
  if (admin.role !== "admin") return refuse(403, "Only administrators record DBS decisions.");
  const policy = await getPolicy(db);
  const result = await db.transaction().execute(async (trx): Promise<Result> => {
    const check = await trx.selectFrom("dbs_check").selectAll().where("id", "=", id).executeTakeFirst();
    if (!check) return refuse(404, "That DBS record does not exist.");
    if (check.user_id === admin.id) return refuse(403, "You cannot decide on your own DBS check. Another administrator must do it.");
    if (check.details_erased_at !== null) {
      return refuse(409, "This certificate's details have been erased under the retention policy. Ask the trainer to record their current certificate.");
    }
    if (check.issue_date && input.originalSeenOn < check.issue_date) {
      return invalid({ originalSeenOn: "The original certificate cannot have been seen before it was issued." });
    }
    const seer = await trx.selectFrom("user").select(["id", "role"]).where("id", "=", input.originalSeenBy).executeTakeFirst();
    if (!seer || (seer.role !== "assessor" && seer.role !== "admin")) {
      return invalid({ originalSeenBy: "Choose the assessor or administrator who saw the original certificate." });
    }
    const dueOn =
      input.decision === "suitable" ? recheckDueOn(check.issue_date, await lastCurrentStatusCheck(trx, id), policy.dbsRecheckMonths, ukToday(now)) : null;
    await trx
      .updateTable("dbs_check")
      .set({
        decision: input.decision,
        decided_by_user_id: admin.id,
        decided_at: iso(now),
        original_seen_on: input.originalSeenOn,
        original_seen_by_user_id: input.originalSeenBy,
        recheck_due_on: dueOn,
        recheck_flagged_at: null,
      })
      .where("id", "=", id)
      .execute();
    await recordAudit(
      trx,
      {
        actorUserId: admin.id,
        action: "dbs.decision_recorded",
        subjectType: "dbs_check",
        subjectId: id,
        details: { trainerUserId: check.user_id, decision: input.decision, originalSeenOn: input.originalSeenOn, originalSeenByUserId: input.originalSeenBy, recheckDueOn: dueOn },
      },
      now,
    );
    if (input.decision === "suitable") await onRequirementMet?.(trx, check.user_id);
    await notify(
      trx,
      {
        userId: check.user_id,
        kind: "dbs_decided",
        title: "A decision has been recorded on your DBS check",
        body: "An administrator has recorded a decision on your Enhanced DBS check. Sign in to see where your entry requirements stand.",
        link: "/requirements",
      },
      now,
    );
    return ok();
  });
  if (!result.ok) return result;
  return ok();
}

/**
 * An admin records the result of a DBS Update Service status check. A clear result moves the
 * re-check date on; any other result puts a "suitable" decision back to "needs review".
 */
export async function recordDbsStatusCheck(
  db: DB,
  admin: { id: number; role: string },
  id: number,
  input: { checkedOn: string; result: DbsStatusResult },
  now: Date,
  onRequirementMet?: OnRequirementMet,
): Promise<Result> {
  if (admin.role !== "admin") return refuse(403, "Only administrators record DBS status checks.");
  const policy = await getPolicy(db);
  return db.transaction().execute(async (trx): Promise<Result> => {
    const check = await trx.selectFrom("dbs_check").selectAll().where("id", "=", id).executeTakeFirst();
    if (!check) return refuse(404, "That DBS record does not exist.");
    if (check.user_id === admin.id) return refuse(403, "You cannot record a status check on your own DBS certificate.");
    if (!check.update_service_subscribed || !check.status_check_consent) {
      return refuse(409, "The trainer has not subscribed to the Update Service with consent to status checks, so no status check may be made.");
    }
    if (check.details_erased_at !== null) return refuse(409, "This certificate's details have been erased; a status check needs the current certificate.");
    if (check.issue_date && input.checkedOn < check.issue_date) return invalid({ checkedOn: "A status check cannot be earlier than the certificate's issue date." });
    await trx.insertInto("dbs_status_check").values({ dbs_check_id: id, checked_on: input.checkedOn, result: input.result, checked_by_user_id: admin.id, created_at: iso(now) }).execute();
    const changes: Record<string, unknown> = {};
    if (input.result === "current" && check.decision === "suitable") {
      const dueOn = recheckDueOn(check.issue_date, await lastCurrentStatusCheck(trx, id), policy.dbsRecheckMonths, ukToday(now));
      if (!check.recheck_due_on || dueOn > check.recheck_due_on) {
        await trx.updateTable("dbs_check").set({ recheck_due_on: dueOn, recheck_flagged_at: null }).where("id", "=", id).execute();
        changes.recheckDueOn = dueOn;
      }
    } else if (input.result !== "current" && check.decision === "suitable") {
      await trx.updateTable("dbs_check").set({ decision: "needs_review", decided_by_user_id: admin.id, decided_at: iso(now) }).where("id", "=", id).execute();
      changes.decision = "needs_review";
    }
    await recordAudit(
      trx,
      { actorUserId: admin.id, action: "dbs.status_check_recorded", subjectType: "dbs_check", subjectId: id, details: { trainerUserId: check.user_id, checkedOn: input.checkedOn, result: input.result, ...changes } },
      now,
    );
    // A clear status check renews the DBS evidence, which may issue a renewed certificate.
    if (changes.recheckDueOn) await onRequirementMet?.(trx, check.user_id);
    return ok();
  });
}
