/**
 * The certificates of a person whose data is erased (issue 17 item 4, ADR 0034), inside the
 * approval seam's transaction: each is revoked (if it was not already), its name replaced, its
 * PDF (which prints the name) dropped, and its credentials revoked with their signed JSON (which
 * names the holder) removed; the status lists are re-signed after commit by
 * `refreshCertificateCredential`. The facts third parties may still verify stay: id, dates,
 * status. `holder_erased_at` makes the verification page read "No longer listed".
 */
import type { Trx } from "~db/connection";
import { recordAudit } from "~/audit/audit.server";
import { iso } from "~/utils/clock";
import { ERASED_NAME } from "~/erasure/policy";

export const ERASURE_REVOCATION_REASON = "The holder closed their account and asked for their data to be erased.";

export async function withdrawCertificatesOfErasedHolder(trx: Trx, actorId: number, userId: number, erasureRequestId: number, now: Date): Promise<string[]> {
  const certificates = await trx.selectFrom("certificate").select(["id", "revoked_at"]).where("user_id", "=", userId).execute();
  if (certificates.length === 0) return [];
  const ids = certificates.map((c) => c.id);
  await trx
    .updateTable("certificate")
    .set({ revoked_at: iso(now), revocation_reason: ERASURE_REVOCATION_REASON, revoked_by: actorId })
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .execute();
  await trx.updateTable("certificate").set({ trainer_name: ERASED_NAME, pdf: null, suspension_reason: null, holder_erased_at: iso(now) }).where("user_id", "=", userId).execute();
  await trx.updateTable("certificate_status").set({ trainer_name: ERASED_NAME }).where("user_id", "=", userId).execute();
  const revoked = await trx
    .updateTable("issued_credential")
    .set({ revoked_at: iso(now), revocation_reason: "certificate revoked" })
    .where("certificate_id", "in", ids)
    .where("revoked_at", "is", null)
    .returning("status_list_id")
    .execute();
  await trx.updateTable("issued_credential").set({ json: null }).where("certificate_id", "in", ids).execute();
  const lists = [...new Set(revoked.map((r) => r.status_list_id))];
  if (lists.length > 0) await trx.updateTable("status_list").set((eb) => ({ version: eb("version", "+", 1) })).where("id", "in", lists).execute();
  for (const c of certificates.filter((c) => !c.revoked_at)) {
    await recordAudit(trx, { actorUserId: actorId, action: "certificate.revoked", subjectType: "certificate", subjectId: c.id, details: { reason: ERASURE_REVOCATION_REASON, erasureRequestId } }, now);
  }
  return ids;
}
