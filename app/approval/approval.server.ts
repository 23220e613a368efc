import type { DB, Trx } from "~db/connection";
import { issueCertificateIfEligible, type IssueResult } from "~/certificates/issue.server";
import { completeCertificateDocuments } from "~/certificates/documents.server";
import * as marking from "~/marking/marking.server";
import type { MarkInput, ModerationInput } from "~/marking/marking.server";
import type { Role } from "~db/schema";
import type { Result } from "~/utils/result";

type Staff = { id: number; role: Role };

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
    console.error(`Certificate ${issued.certificateId} was issued; making its documents failed (they are made again later):`, error);
  }
}

/** A released report-task pass can be a trainer's last requirement: issue in the release's transaction. */
function issueOnPass(now: Date) {
  let issued: IssueResult | null = null;
  const onPassReleased: marking.OnPassReleased = async (trx, trainerId) => {
    issued = await reevaluate(trx, trainerId, now);
  };
  return { onPassReleased, issued: () => issued };
}

/** The marker's mark; a released pass issues the certificate in the same transaction. */
export async function recordMark(db: DB, submissionId: number, viewer: Staff, input: MarkInput, now: Date, baseUrl: string) {
  const reaction = issueOnPass(now);
  const result = await marking.recordMark(db, submissionId, viewer, input, now, reaction.onPassReleased);
  await finish(db, reaction.issued(), baseUrl, now);
  return result;
}

/** The moderator's decision; an agreed pass is released and issues the certificate in the same transaction. */
export async function recordModeration(db: DB, submissionId: number, viewer: Staff, input: ModerationInput, now: Date, baseUrl: string) {
  const reaction = issueOnPass(now);
  const result = await marking.recordModeration(db, submissionId, viewer, input, now, reaction.onPassReleased);
  await finish(db, reaction.issued(), baseUrl, now);
  return result;
}

/** An admin's resolution; a chosen pass is released and issues the certificate in the same transaction. */
export async function resolveDisagreement(db: DB, submissionId: number, viewer: Staff, input: { chosenMarkId: number; reason: string }, now: Date, baseUrl: string): Promise<Result<{ outcome: "pass" | "refer" }>> {
  const reaction = issueOnPass(now);
  const result = await marking.resolveDisagreement(db, submissionId, viewer, input, now, reaction.onPassReleased);
  await finish(db, reaction.issued(), baseUrl, now);
  return result;
}

/** The hourly safety net (app/certificates/reconcile.server.ts), named here with the rest of the seam. */
export { issueMissingCertificates } from "~/certificates/reconcile.server";
