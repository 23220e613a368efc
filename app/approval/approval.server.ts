import type { DB, Trx } from "~db/connection";
import { log } from "~/utils/log.server";
import { issueCertificateIfEligible, type IssueResult } from "~/certificates/issue.server";
import { completeCertificateDocuments } from "~/certificates/documents.server";
import { refreshCertificateCredential, syncCredentialStatuses } from "~/certificates/credentials/sync.server";
import { invalidateAllPublicViews } from "~/certificates/public.server";
import { updatePolicy } from "~/policy/policy.server";
import type { EntryPolicy } from "~/policy/policy";
import * as marking from "~/marking/marking.server";
import type { MarkInput, ModerationInput } from "~/marking/marking.server";
import * as attempts from "~/assessment/attempts.server";
import * as agreement from "~/agreement/agreement.server";
import * as verification from "~/evidence/verification.server";
import * as dbs from "~/evidence/dbs.server";
import type { DbsDecisionInput } from "~/evidence/dbs.server";
import type { VerificationDecision } from "~/evidence/verification.server";
import type { VerificationKind } from "~/evidence/kinds";
import type { DbsStatusResult, Role } from "~db/schema";
import { ok, refuse, type Result } from "~/utils/result";
import type { OnRequirementMet } from "~/utils/reaction";
import { getEnv } from "~/utils/env.server";
import * as supervision from "~/supervision/supervision.server";
import type { SessionInput } from "~/supervision/validation";
import { claimPendingRequest } from "~/erasure/requests.server";
import { ERASED_TABLES, eraseAccountData } from "~/erasure/erase.server";
import { withdrawCertificatesOfErasedHolder } from "~/certificates/erasure.server";
import { removeEvidenceFiles } from "~/evidence/files.server";
import { recordAudit } from "~/audit/audit.server";
import { purgeErasedBytes } from "~db/dialect";

type Staff = { id: number; role: Role };
/** The signed-in person as the evidence routes pass them (the domain checks the role). */
type Actor = { id: number; role: string };

/**
 * The seam for "a fact about a trainer changed: are they now certified?" (ADR 0018). A command
 * that can complete a trainer's requirements calls `reevaluate` inside its own transaction, so
 * the fact and the certificate commit together or not at all; after commit, `finish` makes the
 * certificate's documents. The hourly job's `issueMissingCertificates` is the safety net: it
 * issues any certificate that should exist and says how many it found (normally none).
 */

/** Inside the caller's transaction: issue the certificate if the trainer is now eligible. */
export function reevaluate(trx: Trx, trainerId: number, now: Date): Promise<IssueResult> {
  return issueCertificateIfEligible(trx, trainerId, now);
}

/**
 * After commit: the certificate's PDF and Open Badges credential, the status lists and the
 * verification caches (the new certificate's and the one it superseded). Idempotent. A failure
 * is logged, never thrown: the certificate stands, the PDF is made when first downloaded and the
 * hourly credential sync issues a missing credential.
 */
export async function finish(db: DB, issued: IssueResult | null | undefined, baseUrl: string, now: Date): Promise<void> {
  if (!issued?.issued) return;
  try {
    await completeCertificateDocuments(db, issued.certificateId, baseUrl, now);
  } catch (error) {
    log().error({ err: error, certificateId: issued.certificateId }, "A certificate was issued; making its documents failed (they are made again later)");
  }
}

/**
 * The reaction every command below passes to its domain: when the fact it records can complete a
 * trainer's requirements, issue in that transaction; `issued()` is read after commit for `finish`.
 */
function issueWhenEligible(now: Date) {
  let issued: IssueResult | null = null;
  const onRequirementMet: OnRequirementMet = async (trx, trainerId) => {
    issued = await reevaluate(trx, trainerId, now);
  };
  return { onRequirementMet, issued: (): IssueResult | null => issued };
}

const certificateIdOf = (issued: IssueResult | null): string | null => (issued?.issued ? issued.certificateId : null);

/** The marker's mark; a released pass issues the certificate in the same transaction. */
export async function recordMark(db: DB, submissionId: number, viewer: Staff, input: MarkInput, now: Date, baseUrl: string) {
  const reaction = issueWhenEligible(now);
  const result = await marking.recordMark(db, submissionId, viewer, input, now, reaction.onRequirementMet);
  await finish(db, reaction.issued(), baseUrl, now);
  return result;
}

/** The moderator's decision; an agreed pass is released and issues the certificate in the same transaction. */
export async function recordModeration(db: DB, submissionId: number, viewer: Staff, input: ModerationInput, now: Date, baseUrl: string) {
  const reaction = issueWhenEligible(now);
  const result = await marking.recordModeration(db, submissionId, viewer, input, now, reaction.onRequirementMet);
  await finish(db, reaction.issued(), baseUrl, now);
  return result;
}

/** An admin's resolution; a chosen pass is released and issues the certificate in the same transaction. */
export async function resolveDisagreement(db: DB, submissionId: number, viewer: Staff, input: { chosenMarkId: number; reason: string }, now: Date, baseUrl: string): Promise<Result<{ outcome: "pass" | "refer" }>> {
  const reaction = issueWhenEligible(now);
  const result = await marking.resolveDisagreement(db, submissionId, viewer, input, now, reaction.onRequirementMet);
  await finish(db, reaction.issued(), baseUrl, now);
  return result;
}

/** The trainer submits an assessment; passing the last module can issue the certificate. */
export async function submitAttempt(db: DB, input: { attemptId: string; userId: number }, now: Date): Promise<Result<{ passed: boolean; percent: number; certificateId: string | null }>> {
  const reaction = issueWhenEligible(now);
  const result = await attempts.submitAttempt(db, input, now, reaction.onRequirementMet);
  if (!result.ok) return result;
  await finish(db, reaction.issued(), getEnv().PUBLIC_BASE_URL, now);
  return ok({ ...result.value, certificateId: certificateIdOf(reaction.issued()) });
}

/**
 * The trainer accepts the agreement in force. It can be the last requirement (a certificate is
 * issued); otherwise the current certificate may have been suspended for want of this acceptance
 * (ADR 0015), so its credential's status follows at once.
 */
export async function acceptAgreement(db: DB, user: { id: number; name: string }, input: { typedName: string; version: string }, now: Date): Promise<Result<{ certificateId: string | null }>> {
  const reaction = issueWhenEligible(now);
  const result = await agreement.acceptAgreement(db, user, input, now, reaction.onRequirementMet);
  if (!result.ok) return result;
  const baseUrl = getEnv().PUBLIC_BASE_URL;
  const issued = reaction.issued();
  if (issued?.issued) await finish(db, issued, baseUrl, now);
  else {
    const current = await db.selectFrom("certificate").select("id").where("user_id", "=", user.id).where("revoked_at", "is", null).where("superseded_by", "is", null).executeTakeFirst();
    if (current) await refreshCertificateCredential(db, current.id, baseUrl, now);
  }
  return ok({ certificateId: certificateIdOf(issued) });
}

/** An assessor verifies or rejects a qualification or insurance policy; the last piece can issue the certificate. */
export async function decideVerification(db: DB, actor: Actor, kind: VerificationKind, id: number, input: VerificationDecision, baseUrl: string, now: Date): Promise<Result> {
  const reaction = issueWhenEligible(now);
  const result = await verification.decideVerification(db, actor, kind, id, input, baseUrl, now, reaction.onRequirementMet);
  await finish(db, reaction.issued(), baseUrl, now);
  return result;
}

/** An admin's DBS suitability decision; "suitable" can issue the certificate. */
export async function recordDbsDecision(db: DB, admin: Actor, id: number, input: DbsDecisionInput, baseUrl: string, now: Date): Promise<Result> {
  const reaction = issueWhenEligible(now);
  const result = await dbs.recordDbsDecision(db, admin, id, input, baseUrl, now, reaction.onRequirementMet);
  await finish(db, reaction.issued(), baseUrl, now);
  return result;
}

/** An admin's Update Service status check; a clear result renews the DBS evidence and can issue a renewed certificate. */
export async function recordDbsStatusCheck(db: DB, admin: Actor, id: number, input: { checkedOn: string; result: DbsStatusResult }, now: Date): Promise<Result> {
  const reaction = issueWhenEligible(now);
  const result = await dbs.recordDbsStatusCheck(db, admin, id, input, now, reaction.onRequirementMet);
  await finish(db, reaction.issued(), getEnv().PUBLIC_BASE_URL, now);
  return result;
}

/**
 * The supervisor records a supervision session (ADR 0026). A session can end a "supervision
 * overdue" suspension, so after commit the trainer's current certificate's credential and
 * verification view follow at once (the hourly credential sync would otherwise catch up).
 */
export async function recordSupervisionSession(db: DB, viewer: Staff, trainerId: number, input: SessionInput, baseUrl: string, now: Date): Promise<Result<{ sessionId: number }>> {
  const result = await supervision.recordSession(db, viewer, trainerId, input, baseUrl, now);
  if (result.ok) await refreshCurrentCredential(db, trainerId, baseUrl, now);
  return result;
}

async function refreshCurrentCredential(db: DB, trainerId: number, baseUrl: string, now: Date): Promise<void> {
  const current = await db.selectFrom("certificate").select("id").where("user_id", "=", trainerId).where("revoked_at", "is", null).where("superseded_by", "is", null).executeTakeFirst();
  if (!current) return;
  try {
    await refreshCertificateCredential(db, current.id, baseUrl, now);
  } catch (error) {
    log().error({ err: error, certificateId: current.id }, "Bringing a certificate's credential in line after a supervision session failed (the hourly sync does it)");
  }
}

/**
 * An admin changes the policy. A policy rule can move many certificates at once (the supervision
 * switch suspends every overdue trainer's; a shorter DBS re-check interval can lapse some): after
 * commit, credentials follow the new statuses and every cached verification view is dropped on
 * every node, so no verifier sees the old answer (the hourly sync is only the safety net).
 */
export async function changePolicy(db: DB, adminId: number, next: EntryPolicy, baseUrl: string, now: Date): Promise<{ changed: string[] }> {
  const result = await updatePolicy(db, adminId, next, now);
  if (result.changed.length === 0) return result;
  try {
    await syncCredentialStatuses(db, baseUrl, now);
  } catch (error) {
    log().error({ err: error }, "Bringing credentials in line after a policy change failed (the hourly sync does it)");
  }
  await invalidateAllPublicViews(db);
  return result;
}

/**
 * An admin carries out a pending erasure request (issue 17 item 4, ADR 0034). In one
 * transaction: the request is claimed (a conditional update, so a second click finds nothing:
 * 404), the person's certificates are revoked and stripped of their name, and their personal
 * data overwritten or deleted (app/erasure/erase.server.ts); audited by ids. After commit: the
 * evidence files are deleted, credentials' status lists re-signed, every cached verification
 * view dropped on every node, and the old bytes purged from the database files (SQLite's
 * secure_delete and a checkpointed log; PostgreSQL's VACUUM FULL).
 */
export async function carryOutErasure(db: DB, admin: Actor, requestId: number, baseUrl: string, now: Date): Promise<Result<{ userId: number }>> {
  if (admin.role !== "admin") return refuse(403, "Only administrators carry out erasure requests.");
  const done = await db.transaction().execute(async (trx) => {
    const claimed = await claimPendingRequest(trx, requestId, admin.id, now);
    if (!claimed) return null;
    const certificateIds = await withdrawCertificatesOfErasedHolder(trx, admin.id, claimed.userId, requestId, now);
    const erased = await eraseAccountData(trx, claimed.userId, now);
    await recordAudit(trx, { actorUserId: admin.id, action: "erasure.carried_out", subjectType: "erasure_request", subjectId: requestId, details: { userId: claimed.userId, certificates: certificateIds, ...erased.counts } }, now);
    return { userId: claimed.userId, certificateIds, storageNames: erased.storageNames };
  });
  if (!done) return refuse(404, "This request is not pending any more (carried out, refused or withdrawn already).");
  try {
    await removeEvidenceFiles(db, getEnv().EVIDENCE_DIR, done.storageNames);
    for (const id of done.certificateIds) await refreshCertificateCredential(db, id, baseUrl, now);
  } catch (error) {
    log().error({ err: error, erasureRequestId: requestId }, "An erasure was carried out; deleting its evidence files or re-signing status lists failed (the hourly sync re-signs)");
  }
  await invalidateAllPublicViews(db);
  if (!(await purgeErasedBytes(db, ERASED_TABLES))) {
    log().warn("Erasure: the SQLite write-ahead log could not be fully checkpointed (another connection was reading); the hourly jobs checkpoint it again.");
  }
  return ok({ userId: done.userId });
}

/** The hourly safety net (app/certificates/reconcile.server.ts), named here with the rest of the seam. */
export { issueMissingCertificates } from "~/certificates/reconcile.server";
