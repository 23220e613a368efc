import type { DB } from "~db/connection";
import { log } from "~/utils/log.server";
import { completeCertificateDocuments } from "./documents.server";
import { issueCertificateIfEligible } from "./issue.server";

/**
 * The hourly reconciliation: every active trainer who has a released report-task pass (a
 * requirement no certificate lacks) but no current certificate and none revoked is evaluated
 * afresh, each in a transaction of its own. Returns how many certificates it issued: normally
 * zero, since every trigger issues in its own transaction; anything else is logged by the caller.
 */
export async function issueMissingCertificates(db: DB, baseUrl: string, now: Date): Promise<{ checked: number; issued: number }> {
  const candidates = await db
    .selectFrom("user")
    .select("user.id")
    .where("user.role", "=", "trainer")
    .where("user.disabled_at", "is", null)
    .where(({ exists, selectFrom }) => exists(selectFrom("report_submission").select("report_submission.id").whereRef("report_submission.user_id", "=", "user.id").where("report_submission.status", "=", "released").where("report_submission.outcome", "=", "pass")))
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom("certificate").select("certificate.id").whereRef("certificate.user_id", "=", "user.id").where((eb) => eb.or([eb("certificate.superseded_by", "is", null), eb("certificate.revoked_at", "is not", null)])))))
    .orderBy("user.id")
    .execute();
  let issued = 0;
  for (const { id } of candidates) {
    const result = await issueCertificateIfEligible(db, id, now);
    if (!result.issued) continue;
    issued += 1;
    try {
      await completeCertificateDocuments(db, result.certificateId, baseUrl, now);
    } catch (error) {
      log().error({ err: error, certificateId: result.certificateId }, "A certificate was issued; making its documents failed (they are made again later)");
    }
  }
  return { checked: candidates.length, issued };
}
