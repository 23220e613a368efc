import { issueCertificateIfEligible } from "~/certificates/issue.server";
import { completeCertificateDocuments } from "~/certificates/documents.server";
import { refreshCertificateCredential } from "~/certificates/credentials/sync.server";
import { getEnv } from "~/utils/env.server";
import fs from "node:fs";
import path from "node:path";
import type { DB } from "~db/connection";
import { iso } from "~/utils/clock";
import { invalid, ok, refuse, type Result } from "~/utils/result";
import { recordAudit } from "~/audit/audit.server";
import { contentBuildDir } from "~/content/catalog.server";
import type { CompiledAgreement } from "~/content/types";

declare global {
  var __academyAgreement: { dir: string; agreement: CompiledAgreement | null } | undefined;
}

/** The agreement being served (content/agreement, compiled by the content build). */
export function getCurrentAgreement(): CompiledAgreement | null {
  const dir = contentBuildDir();
  if (globalThis.__academyAgreement?.dir !== dir) {
    const file = path.join(dir, "agreement.json");
    globalThis.__academyAgreement = { dir, agreement: fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as CompiledAgreement) : null };
  }
  return globalThis.__academyAgreement.agreement;
}

export async function getLatestAcceptance(db: DB, userId: number) {
  return db.selectFrom("agreement_acceptance").selectAll().where("user_id", "=", userId).orderBy("id", "desc").executeTakeFirst();
}

function normaliseName(name: string): string {
  return name.normalize("NFKC").trim().replace(/\s+/g, " ").toLocaleLowerCase("en-GB");
}

/**
 * Records the trainer's acceptance of the current version: the name they typed (which must be
 * the name on their account, as a signature), the date and the version.
 */
export async function acceptAgreement(
  db: DB,
  user: { id: number; name: string },
  input: { typedName: string; version: string },
  now: Date,
): Promise<Result<{ certificateId: string | null }>> {
  const agreement = getCurrentAgreement();
  if (!agreement) return refuse(404, "The agreement is not available. Try again later.");
  if (input.version !== agreement.version) {
    return refuse(409, "The agreement has changed since you opened this page. Read the current version and accept it again.");
  }
  if (normaliseName(input.typedName) !== normaliseName(user.name)) {
    return invalid({ typedName: `Type your full name exactly as it appears on your account: ${user.name}.` });
  }
  const issued = await db.transaction().execute(async (trx) => {
    await trx.insertInto("agreement_acceptance").values({ user_id: user.id, agreement_version: agreement.version, typed_name: input.typedName.trim(), accepted_at: iso(now) }).execute();
    await recordAudit(trx, { actorUserId: user.id, action: "agreement.accepted", subjectType: "user", subjectId: user.id, details: { version: agreement.version } }, now);
    return issueCertificateIfEligible(trx, user.id, now);
  });
  if (issued.issued) await completeCertificateDocuments(db, issued.certificateId, getEnv().PUBLIC_BASE_URL, now);
  else {
    // No new certificate (for example a refresher is due): the current one may have been
    // suspended for want of this acceptance, so its credential's status follows at once.
    const current = await db.selectFrom("certificate").select("id").where("user_id", "=", user.id).where("revoked_at", "is", null).where("superseded_by", "is", null).executeTakeFirst();
    if (current) await refreshCertificateCredential(db, current.id, getEnv().PUBLIC_BASE_URL, now);
  }
  return ok({ certificateId: issued.issued ? issued.certificateId : null });
}
