import type { ExpressionBuilder } from "kysely";
import type { DB } from "~db/connection";
import type { Database } from "~db/schema";
import type { Certificate } from "~db/schema";
import { invalidatePublicView, liveStatusOf } from "../public.server";
import type { LiveStatus } from "../status";
import { ukToday } from "~/utils/dates";
import { CERTIFICATE_STATUS_COLUMNS, liveStatusOfRow, getStatusRules, withStatusFacts, type StatusRules } from "../status-sql.server";
import { freshCertificateStatuses } from "../stored-status.server";
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
 * The certificates whose credential needs work, found from indexes alone (set-based, ADR 0014
 * and 0025): a live credential whose certificate's stored status is revoked, superseded or
 * suspended; a certificate stored as valid without a live credential; a live credential never
 * signed. Then the rows of just those certificates, with the facts their live status reads: the
 * stored status narrows, the pure rule decides. No certificate row (each beside its PDF) and
 * no credential JSON is read for the certificates that need nothing.
 */
async function credentialWork(db: DB, now: Date, rules: StatusRules) {
  await freshCertificateStatuses(db, now);
  const [stale, missing, unsigned] = await Promise.all([
    db
      .selectFrom("certificate_status")
      .select("certificate_status.certificate_id as id")
      .where("certificate_status.status", "in", ["revoked", "superseded", "suspended"])
      .where(hasLiveCredential)
      .execute(),
    db
      .selectFrom("certificate_status")
      .select("certificate_status.certificate_id as id")
      .where("certificate_status.status", "=", "valid")
      .where((eb) => eb.not(hasLiveCredential(eb)))
      .execute(),
    db.selectFrom("issued_credential").select("certificate_id as id").where("json", "is", null).where("revoked_at", "is", null).execute(),
  ]);
  const ids = [...new Set([...stale, ...missing, ...unsigned].map((r) => r.id))];
  const rows = [];
  for (let i = 0; i < ids.length; i += 1_000) {
    rows.push(
      ...(await db
        .selectFrom("certificate")
        .innerJoin("user", "user.id", "certificate.user_id")
        .leftJoin("issued_credential as live", (join) => join.onRef("live.certificate_id", "=", "certificate.id").on("live.revoked_at", "is", null))
        .select((eb) => [
          ...SUBJECT_COLUMNS,
          "user.email",
          "certificate.user_id",
          ...CERTIFICATE_STATUS_COLUMNS,
          "live.id as credential_id",
          eb.case().when("live.json", "is", null).then(1).else(0).end().as("unsigned"),
        ])
        .where("certificate.id", "in", ids.slice(i, i + 1_000))
        .execute()),
    );
  }
  // The trainers' facts in a query per fact table for the whole set (not seven lookups per certificate).
  return withStatusFacts(db, rows, rules);
}

/** The certificate has a live (unrevoked) credential: one seek of issued_credential_certificate_revoked, index only. */
const hasLiveCredential = ({ exists, selectFrom }: ExpressionBuilder<Database, "certificate_status">) =>
  exists(selectFrom("issued_credential as live").select("live.certificate_id").whereRef("live.certificate_id", "=", "certificate_status.certificate_id").where("live.revoked_at", "is", null));

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
  const rules = await getStatusRules(db, now);
  const revocations: { credentialId: string; reason: string }[] = [];
  const toIssue: Parameters<typeof issueCredentials>[1] = [];
  for (const row of await credentialWork(db, now, rules)) {
    const live = liveStatusOfRow(row, today, rules);
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

/**
 * A certificate that has never had a credential: one seek of issued_credential_certificate per
 * certificate, reading the index alone (it selects the indexed column, not the credential's id,
 * which would read each credential row beside its JSON).
 */
export const withoutCredential = ({ not, exists, selectFrom }: ExpressionBuilder<Database, "certificate">) =>
  not(exists(selectFrom("issued_credential").select("issued_credential.certificate_id").whereRef("issued_credential.certificate_id", "=", "certificate.id")));

/**
 * The data step run at start after migrations (idempotent): every certificate issued before
 * OB 3.0 credentials existed gets one (the same certificate, a re-issued credential), stored
 * revoked at once if the certificate is no longer valid, so every credential ever handed out can
 * be checked. One query finds them with their live-status facts; they are signed and stored in
 * batches (issueCredentials).
 */
export async function upgradeCertificatesToOpenBadges(db: DB, baseUrl: string, now: Date): Promise<number> {
  const today = ukToday(now);
  // Found from indexes alone (the certificates' primary key against issued_credential_certificate):
  // at every start, and normally nothing to do, so no certificate row is read (issue 19: the
  // former single query read every certificate row beside its PDF, ordered by issue time).
  const ids = (await db.selectFrom("certificate").select("certificate.id").where(withoutCredential).execute()).map((r) => r.id);
  const rules = await getStatusRules(db, now);
  const missing = [];
  for (let i = 0; i < ids.length; i += 1_000) {
    missing.push(
      ...(await db
        .selectFrom("certificate")
        .innerJoin("user", "user.id", "certificate.user_id")
        .select([...SUBJECT_COLUMNS, "user.email", "certificate.user_id", ...CERTIFICATE_STATUS_COLUMNS])
        .where("certificate.id", "in", ids.slice(i, i + 1_000))
        .execute()),
    );
  }
  const withFacts = await withStatusFacts(db, missing, rules);
  withFacts.sort((a, b) => (a.issued_at < b.issued_at ? -1 : a.issued_at > b.issued_at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  await issueCredentials(db, withFacts.map((row) => ({ cert: row, email: row.email, revocationReason: revocationReasonFor(liveStatusOfRow(row, today, rules)) })), baseUrl, now);
  await resignStatusLists(db, baseUrl, now);
  return withFacts.length;
}
