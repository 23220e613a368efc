import type { DB } from "~db/connection";
import { invalid, ok, refuse, type Result } from "~/utils/result";
import { recordAudit } from "~/audit/audit.server";
import type { OnRequirementMet } from "~/utils/reaction";
import { iso } from "~/utils/clock";
import { notify } from "~/notifications/notify.server";
import { ukToday } from "~/utils/dates";

import type { VerificationKind } from "./kinds";

export type { VerificationKind } from "./kinds";

const TABLE = { qualification: "qualification", insurance: "insurance_policy" } as const;

export interface QueueItem {
  kind: VerificationKind;
  id: number;
  trainerName: string;
  trainerEmail: string;
  summary: string;
  submittedAt: string;
}

/** Everything waiting for an assessor, oldest first. DBS is not here: only admins handle it. */
export async function listVerificationQueue(db: DB, filter: { kind?: VerificationKind } = {}): Promise<QueueItem[]> {
  const items: QueueItem[] = [];
  if (!filter.kind || filter.kind === "qualification") {
    const rows = await db
      .selectFrom("qualification")
      .innerJoin("user", "user.id", "qualification.user_id")
      .select(["qualification.id", "qualification.title", "qualification.level", "qualification.created_at", "user.name", "user.email"])
      .where("qualification.status", "=", "submitted")
      .execute();
    for (const r of rows) items.push({ kind: "qualification", id: r.id, trainerName: r.name, trainerEmail: r.email, summary: `${r.title} (Level ${r.level})`, submittedAt: r.created_at });
  }
  if (!filter.kind || filter.kind === "insurance") {
    const rows = await db
      .selectFrom("insurance_policy")
      .innerJoin("user", "user.id", "insurance_policy.user_id")
      .select(["insurance_policy.id", "insurance_policy.insurer", "insurance_policy.end_date", "insurance_policy.created_at", "user.name", "user.email"])
      .where("insurance_policy.status", "=", "submitted")
      .execute();
    for (const r of rows) items.push({ kind: "insurance", id: r.id, trainerName: r.name, trainerEmail: r.email, summary: `${r.insurer}, ends ${r.end_date}`, submittedAt: r.created_at });
  }
  return items.sort((a, b) => (a.submittedAt < b.submittedAt ? -1 : a.submittedAt > b.submittedAt ? 1 : a.kind.localeCompare(b.kind) || a.id - b.id));
}

async function evidenceSummary(db: DB, ids: (string | null)[]) {
  const wanted = ids.filter((id): id is string => id !== null);
  if (wanted.length === 0) return [];
  const rows = await db.selectFrom("evidence_file").select(["id", "display_name", "media_type", "size_bytes"]).where("id", "in", wanted).execute();
  return wanted.map((id) => rows.find((r) => r.id === id)).filter((r) => r !== undefined);
}

/** One record with its trainer and evidence, for the assessor's detail page. */
export async function getVerificationItem(db: DB, kind: VerificationKind, id: number) {
  const decider = (userId: number | null) =>
    userId === null ? Promise.resolve(null) : db.selectFrom("user").select(["name"]).where("id", "=", userId).executeTakeFirst().then((u) => u?.name ?? null);
  if (kind === "qualification") {
    const record = await db.selectFrom("qualification").selectAll().where("id", "=", id).executeTakeFirst();
    if (!record) return null;
    const trainer = await db.selectFrom("user").select(["id", "name", "email"]).where("id", "=", record.user_id).executeTakeFirstOrThrow();
    return { kind, record, trainer, evidence: await evidenceSummary(db, [record.evidence_file_id, record.cpd_evidence_file_id]), decidedBy: await decider(record.decided_by_user_id) } as const;
  }
  const record = await db.selectFrom("insurance_policy").selectAll().where("id", "=", id).executeTakeFirst();
  if (!record) return null;
  const trainer = await db.selectFrom("user").select(["id", "name", "email"]).where("id", "=", record.user_id).executeTakeFirstOrThrow();
  return { kind, record, trainer, evidence: await evidenceSummary(db, [record.evidence_file_id]), decidedBy: await decider(record.decided_by_user_id) } as const;
}

export type VerificationDecision = { decision: "accept" } | { decision: "reject"; reason: string };

/**
 * An assessor (or admin) accepts or rejects a submitted qualification or insurance policy.
 * Nobody verifies their own record. Audited and emailed to the trainer.
 */
export async function decideVerification(
  db: DB,
  actor: { id: number; role: string },
  kind: VerificationKind,
  id: number,
  input: VerificationDecision,
  baseUrl: string,
  now: Date,
  onRequirementMet?: OnRequirementMet,
): Promise<Result> {
  if (actor.role !== "assessor" && actor.role !== "admin") return refuse(403, "Only assessors and administrators can verify evidence.");
  if (input.decision === "reject" && input.reason.trim().length < 10) {
    return invalid({ reason: "Give the reason for rejecting in at least 10 characters, so the trainer can put it right." });
  }
  const table = TABLE[kind];
  const result = await db.transaction().execute(async (trx): Promise<Result> => {
    const record = await trx.selectFrom(table).select(["id", "user_id", "status"]).where("id", "=", id).executeTakeFirst();
    if (!record) return refuse(404, "That record does not exist.");
    if (record.user_id === actor.id) return refuse(403, "You cannot verify your own record. Another assessor must do it.");
    if (record.status !== "submitted") return refuse(409, "This record has already been decided.");
    if (kind === "insurance" && input.decision === "accept") {
      const policy = await trx.selectFrom("insurance_policy").select("end_date").where("id", "=", id).executeTakeFirstOrThrow();
      if (policy.end_date < ukToday(now)) return refuse(409, "This policy has already ended, so it cannot be accepted. Reject it and ask for the current policy.");
    }
    const accepted = input.decision === "accept";
    await trx
      .updateTable(table)
      .set({ status: accepted ? "verified" : "rejected", decided_by_user_id: actor.id, decided_at: iso(now), rejection_reason: accepted ? null : input.reason })
      .where("id", "=", id)
      .where("status", "=", "submitted")
      .execute();
    await recordAudit(
      trx,
      {
        actorUserId: actor.id,
        action: `${kind}.${accepted ? "verified" : "rejected"}`,
        subjectType: table,
        subjectId: id,
        details: accepted ? { trainerUserId: record.user_id } : { trainerUserId: record.user_id, reason: input.reason },
      },
      now,
    );
    // Verifying the last piece of evidence (or renewed evidence) can complete the requirements.
    if (accepted) await onRequirementMet?.(trx, record.user_id);
    // The trainer is told in the app and by email (their choice of now or the daily summary: ADR 0028).
    const what = kind === "qualification" ? "qualification" : "insurance policy";
    await notify(
      trx,
      accepted
        ? { userId: record.user_id, kind: "evidence_verified", title: `Your ${what} has been verified`, body: `An assessor has verified your ${what}.`, link: "/requirements" }
        : {
            userId: record.user_id,
            kind: "evidence_refused",
            title: `Your ${what} was not accepted`,
            body: `An assessor could not accept your ${what}. Their reason:\n\n${input.reason}\n\nPlease put it right and submit it again.`,
            link: "/requirements",
          },
      now,
    );
    return ok();
  });
  if (!result.ok) return result;
  return ok();
}
