import type { DB } from "~db/connection";
import type { Certificate } from "~db/schema";
import { invalidatePublicView, liveStatusOf } from "../public.server";
import type { LiveStatus } from "../status";
import { issueCredential, signPending } from "./issue-credential.server";
import { resignStatusLists, revokeIssuedCredential } from "./status-list.server";

/**
 * Keeps each certificate's credential in step with its live status. A credential's revocation
 * bit is set when its certificate is revoked, superseded or suspended (by an admin, or because
 * evidence lapsed); a certificate that is valid again gets a freshly issued credential with a
 * new index, and the old one stays revoked. Expiry needs no bit: `validUntil` covers it.
 */
export function revocationReasonFor(live: LiveStatus): string | null {
  if (live.status === "revoked") return "certificate revoked";
  if (live.status === "superseded") return "certificate superseded";
  if (live.status === "suspended") return `certificate suspended (${live.reason ?? "suspended"})`;
  return null;
}

async function liveCredential(db: DB, certificateId: string) {
  return db.selectFrom("issued_credential").selectAll().where("certificate_id", "=", certificateId).where("revoked_at", "is", null).executeTakeFirst();
}

/** Brings one certificate's credential in line; status lists are re-signed by the caller. */
async function reconcile(db: DB, cert: Certificate, baseUrl: string, now: Date): Promise<"revoked" | "issued" | null> {
  const live = await liveStatusOf(db, cert, now);
  const current = await liveCredential(db, cert.id);
  const reason = revocationReasonFor(live);
  if (reason) return current && (await revokeIssuedCredential(db, current.id, reason, now)) ? "revoked" : null;
  if (live.status !== "valid") return null;
  if (current) {
    if (!current.json) await signPending(db, current.id, baseUrl);
    return null;
  }
  await issueCredential(db, cert, baseUrl, now);
  return "issued";
}

/** After a change to one certificate (issue, suspension, reinstatement, revocation). */
export async function refreshCertificateCredential(db: DB, certificateId: string, baseUrl: string, now: Date): Promise<void> {
  const cert = await db.selectFrom("certificate").selectAll().where("id", "=", certificateId).executeTakeFirst();
  if (!cert) return;
  await reconcile(db, cert, baseUrl, now);
  await resignStatusLists(db, baseUrl, now);
  await invalidatePublicView(db, cert.id);
}

/**
 * Every certificate that could need a change: the current ones, and any whose credential is
 * still live. Run hourly with the entry-requirement jobs (evidence lapses) and at start.
 */
export async function syncCredentialStatuses(db: DB, baseUrl: string, now: Date): Promise<{ revoked: number; issued: number; listsSigned: number }> {
  const certs = await db
    .selectFrom("certificate")
    .selectAll()
    .where((eb) =>
      eb.or([
        eb.and([eb("revoked_at", "is", null), eb("superseded_by", "is", null)]),
        eb("id", "in", eb.selectFrom("issued_credential").select("certificate_id").where("revoked_at", "is", null)),
      ]),
    )
    .execute();
  const summary = { revoked: 0, issued: 0, listsSigned: 0 };
  for (const cert of certs) {
    const done = await reconcile(db, cert, baseUrl, now);
    if (done) summary[done] += 1;
  }
  summary.listsSigned = await resignStatusLists(db, baseUrl, now);
  return summary;
}

/**
 * The data step run at start after migrations (idempotent): every certificate issued before
 * OB 3.0 credentials existed gets one (the same certificate, a re-issued credential), revoked at
 * once if the certificate is no longer valid, so every credential ever handed out can be checked.
 */
export async function upgradeCertificatesToOpenBadges(db: DB, baseUrl: string, now: Date): Promise<number> {
  const missing = await db
    .selectFrom("certificate")
    .selectAll()
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom("issued_credential").select("issued_credential.id").whereRef("issued_credential.certificate_id", "=", "certificate.id"))))
    .execute();
  for (const cert of missing) {
    const issued = await issueCredential(db, cert, baseUrl, now);
    const reason = revocationReasonFor(await liveStatusOf(db, cert, now));
    if (reason) await revokeIssuedCredential(db, issued.id, reason, now);
  }
  await resignStatusLists(db, baseUrl, now);
  return missing.length;
}
