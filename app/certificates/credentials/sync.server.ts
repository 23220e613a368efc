import type { ExpressionBuilder } from "kysely";
import type { DB } from "~db/connection";
import type { Database } from "~db/schema";
import type { Certificate } from "~db/schema";
import { invalidatePublicView, liveStatusOf } from "../public.server";
import type { LiveStatus } from "../status";
import { ukToday } from "~/utils/dates";
import { getAgreementRule, type AgreementRule } from "~/agreement/reacceptance.server";
import { liveStatusIs, liveStatusOfRow, statusFactColumns } from "../status-sql.server";
import { issueCredential, issueCredentials, signPending } from "./issue-credential.server";
import { resignStatusLists, revokeIssuedCredential, revokeIssuedCredentials } from "./status-list.server";

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
 * The certificates whose credential needs work, found by one query with the facts their live
 * status reads (set-based, ADR 0014): a live credential whose certificate is revoked, superseded
 * or suspended; a valid certificate without a live credential; a live credential never signed.
 * The SQL narrows (status-sql.server.ts, proven equal to the pure rule); the pure rule decides.
 */
async function credentialWork(db: DB, today: string, agreement: AgreementRule | null) {
  return db
    .selectFrom("certificate")
    .innerJoin("user", "user.id", "certificate.user_id")
    .leftJoin("issued_credential as live", (join) => join.onRef("live.certificate_id", "=", "certificate.id").on("live.revoked_at", "is", null))
    .select((eb) => [
      ...SUBJECT_COLUMNS,
      "user.email",
      ...statusFactColumns(eb, agreement),
      "live.id as credential_id",
      eb.case().when("live.json", "is", null).then(1).else(0).end().as("unsigned"),
    ])
    .where((eb) =>
      eb.or([
        eb.and([
          eb("live.id", "is not", null),
          eb.or([liveStatusIs(eb, "revoked", today, agreement), liveStatusIs(eb, "superseded", today, agreement), liveStatusIs(eb, "suspended", today, agreement)]),
        ]),
        eb.and([liveStatusIs(eb, "valid", today, agreement), eb.or([eb("live.id", "is", null), eb("live.json", "is", null)])]),
      ]),
    )
    .execute();
}

const SUBJECT_COLUMNS = [
  "certificate.id",
  "certificate.trainer_name",
  "certificate.issued_at",
  "certificate.modules_json",
  "certificate.report_json",
  "certificate.scope_json",
  "certificate.agreement_version",
] as const;

/**
 * Brings every credential in line with its certificate's live status: run hourly with the
 * entry-requirement jobs (evidence lapses) and at start. Set-based: one query finds the work,
 * revocation bits are set a thousand per transaction, new credentials are signed and stored in
 * batches, and each changed status list is re-signed once.
 */
export async function syncCredentialStatuses(db: DB, baseUrl: string, now: Date): Promise<{ revoked: number; issued: number; listsSigned: number }> {
  const today = ukToday(now);
  const agreement = await getAgreementRule(db, now);
  const revocations: { credentialId: string; reason: string }[] = [];
  const toIssue: Parameters<typeof issueCredentials>[1] = [];
  for (const row of await credentialWork(db, today, agreement)) {
    const live = liveStatusOfRow(row, today, agreement);
    const reason = revocationReasonFor(live);
    if (reason && row.credential_id) revocations.push({ credentialId: row.credential_id, reason });
    else if (live.status === "valid" && !row.credential_id) toIssue.push({ cert: row, email: row.email, revocationReason: null });
    // An issue interrupted between reserving the index and signing (rare): signed now.
    else if (live.status === "valid" && row.credential_id && Number(row.unsigned) === 1) await signPending(db, row.credential_id, baseUrl);
  }
  const revoked = await revokeIssuedCredentials(db, revocations, now);
  const issued = await issueCredentials(db, toIssue, baseUrl, now);
  const listsSigned = await resignStatusLists(db, baseUrl, now);
  return { revoked, issued, listsSigned };
}

/** A certificate that has never had a credential: one seek of issued_credential_certificate per certificate. */
export const withoutCredential = ({ not, exists, selectFrom }: ExpressionBuilder<Database, "certificate">) =>
  not(exists(selectFrom("issued_credential").select("issued_credential.id").whereRef("issued_credential.certificate_id", "=", "certificate.id")));

/**
 * The data step run at start after migrations (idempotent): every certificate issued before
 * OB 3.0 credentials existed gets one (the same certificate, a re-issued credential), stored
 * revoked at once if the certificate is no longer valid, so every credential ever handed out can
 * be checked. One query finds them with their live-status facts; they are signed and stored in
 * batches (issueCredentials).
 */
export async function upgradeCertificatesToOpenBadges(db: DB, baseUrl: string, now: Date): Promise<number> {
  const today = ukToday(now);
  const agreement = await getAgreementRule(db, now);
  const missing = await db
    .selectFrom("certificate")
    .innerJoin("user", "user.id", "certificate.user_id")
    .select((eb) => [...SUBJECT_COLUMNS, "user.email", ...statusFactColumns(eb, agreement)])
    .where(withoutCredential)
    .orderBy("certificate.issued_at")
    .execute();
  await issueCredentials(db, missing.map((row) => ({ cert: row, email: row.email, revocationReason: revocationReasonFor(liveStatusOfRow(row, today, agreement)) })), baseUrl, now);
  await resignStatusLists(db, baseUrl, now);
  return missing.length;
}
