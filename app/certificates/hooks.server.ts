import { setOnReportReleased } from "~/marking/hooks.server";
import { getEnv } from "~/utils/env.server";
import { completeCertificateDocuments } from "./documents.server";
import { issueCertificateIfEligible } from "./issue.server";

/**
 * A released report-task pass can be the last requirement. Marking does not depend on
 * certificates; certificates register here to hear about releases (imported once by root).
 */
setOnReportReleased(async (db, userId, now) => {
  const issued = await issueCertificateIfEligible(db, userId, now);
  if (issued.issued) await completeCertificateDocuments(db, issued.certificateId, getEnv().PUBLIC_BASE_URL, now);
});
