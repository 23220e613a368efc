import cluster from "node:cluster";
import { log } from "~/utils/log.server";
import type { DB } from "~db/connection";
import { listenToNodes, notifyNodes } from "~db/notify";
import type { ExpressionBuilder } from "kysely";
import type { Certificate, Database } from "~db/schema";
import { getEntryRequirementFacts } from "~/evidence/facts.server";
import { LruCache } from "~/utils/lru";
import { compiledOnce } from "~db/compiled-once";
import { londonDayOf, ukToday } from "~/utils/dates";
import { agreementStanding, getAgreementRule } from "~/agreement/reacceptance.server";
import { getCurrentAgreement } from "~/agreement/agreement.server";
import { versionLabel } from "~/content/catalog.server";
import { certificateStatus, STATUS_LABELS, type CertificateStatus, type StatusFacts } from "./status";
import { getSupervisionRule, supervisionStanding } from "~/supervision/supervision.server";
import { NO_LONGER_LISTED } from "~/erasure/policy";
import { getStatusRules, liveStatusOfRow, statusFactColumns, type StatusRules } from "./status-sql.server";

/** What anyone holding the link may see. Nothing private: no email, DBS, insurer or internal ids. */
export interface PublicCertificateView {
  id: string;
  status: CertificateStatus;
  statusLabel: string;
  reason: string | null;
  name: string;
  issuedOn: string;
  expiresOn: string;
  expiryBasis: string;
  /** `version`: the label people read ("2026.1"); `contentHash`: the exact content passed (for machines). */
  modules: { title: string; passedOn: string; version: string; contentHash: string }[];
  reportTaskPassedOn: string | null;
  scope: { may: string[]; mayNot: string[]; agreementVersion: string };
  issuer: string;
  supersededBy: string | null;
  /** The DID that signed the certificate's latest Open Badges credential, if one was issued. */
  credentialIssuerDid: string | null;
  /** What happened to the certificate, oldest first, by day (UK). Public categories only: never a staff member's reason. */
  history: StatusEvent[];
}

/**
 * A certificate whose holder's data was erased at their request (ADR 0034): the page and the JSON
 * say only that it is no longer listed, with its id. No name, dates, scope or history.
 */
export interface ClosedCertificateView {
  id: string;
  closed: true;
  status: "no_longer_listed";
  statusLabel: typeof NO_LONGER_LISTED;
}

export type VerificationView = PublicCertificateView | ClosedCertificateView;

export const isClosedView = (view: VerificationView): view is ClosedCertificateView => "closed" in view;

export interface StatusEvent {
  /** YYYY-MM-DD, the day in the UK. */
  on: string;
  event: "issued" | "suspended" | "reinstated" | "revoked" | "superseded";
  /** The public wording shown beside the event. */
  label: string;
}

const HISTORY_ACTIONS = { "certificate.suspended": "suspended", "certificate.reinstated": "reinstated", "certificate.revoked": "revoked" } as const;
const HISTORY_LABELS: Record<StatusEvent["event"], string> = {
  issued: "Issued",
  suspended: "Suspended by the framework's governance",
  reinstated: "Reinstated",
  revoked: "Revoked by the framework's governance",
  superseded: "Replaced by a newer certificate",
};

/**
 * The certificate's status history from its own dates and the audit trail's staff decisions
 * (suspended, reinstated, revoked). Only the event and its day are public: the reasons staff
 * wrote stay in the audit trail. Suspensions the rules compute live (insurance lapsed, for
 * example) are not events; the status box says them.
 */
export async function statusHistory(db: DB, cert: Pick<Certificate, "id" | "issued_at" | "superseded_at">): Promise<StatusEvent[]> {
  const { rows } = await db.executeQuery(compiledHistoryQuery(db, null, cert.id));
  const events: { at: string; event: StatusEvent["event"]; label?: string }[] = [{ at: cert.issued_at, event: "issued" }];
  for (const row of rows) {
    const event = HISTORY_ACTIONS[row.action as keyof typeof HISTORY_ACTIONS];
    // Only the public category of a suspension is read from the details (ADR 0027), never the reason.
    const underReview = event === "suspended" && readCategory(row.details) === "under_review";
    events.push({ at: row.occurred_at, event, label: underReview ? "Suspended — under review" : undefined });
  }
  if (cert.superseded_at) events.push({ at: cert.superseded_at, event: "superseded" });
  events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return events.map((e) => ({ on: londonDayOf(e.at), event: e.event, label: e.label ?? HISTORY_LABELS[e.event] }));
}

/** The staff decisions on a certificate, oldest first: one shape, compiled once per database (ADR 0053). */
const compiledHistoryQuery = compiledOnce(
  (db: DB, certificateId: string) =>
    db
      .selectFrom("audit_event")
      .select(["action", "occurred_at", "details"])
      .where("subject_id", "=", certificateId)
      .where("subject_type", "=", "certificate")
      .where("action", "in", Object.keys(HISTORY_ACTIONS))
      .orderBy("id"),
  () => "",
);

function readCategory(details: string | null): string | null {
  try {
    const parsed = JSON.parse(details ?? "{}") as { category?: unknown };
    return typeof parsed.category === "string" ? parsed.category : null;
  } catch {
    return null;
  }
}

/** Well-formed certificate ids: 32 base32 characters (160 random bits). */
export const CERTIFICATE_ID = /^[a-z2-7]{32}$/;

/** How long a view is cached: the bound on how stale a verification page can be, on any node. */
export const CACHE_MS = 5_000;
/** Views kept per process; past this the least recently used go (ADR 0014). */
export const VERIFY_CACHE_ENTRIES = 10_000;
declare global {
  var __academyVerifyLru: LruCache<string, { at: number; view: VerificationView | null }> | undefined;
}
export function cache() {
  globalThis.__academyVerifyLru ??= new LruCache(VERIFY_CACHE_ENTRIES);
  return globalThis.__academyVerifyLru;
}

export const INVALIDATE_MESSAGE = "academy:invalidate-certificate";
/** The id an invalidation carries to mean "every view" (no certificate id is "*"). */
const EVERY_VIEW = "*";
function forget(id: string) {
  if (id === EVERY_VIEW) cache().clear();
  else cache().delete(id);
}
/** The PostgreSQL channel certificate changes are announced on, to every node (ADR 0021). */
export const INVALIDATE_CHANNEL = "academy_certificate_changed";

declare global {
  var __academyVerifyCacheListening: boolean | undefined;
}
// With several server processes, each keeps its own cache: invalidations travel through the
// primary process to the others (scripts/start.ts relays them).
if (cluster.isWorker && !globalThis.__academyVerifyCacheListening) {
  globalThis.__academyVerifyCacheListening = true;
  process.on("message", (message: unknown) => {
    const m = message as { type?: string; id?: string } | null;
    if (m?.type === INVALIDATE_MESSAGE && typeof m.id === "string") forget(m.id);
  });
}

/**
 * Forget a cached view at once (suspension, revocation, supersession, a status change): in this
 * process, in this machine's other processes (through the cluster primary), and on PostgreSQL in
 * every process of every node (NOTIFY on `INVALIDATE_CHANNEL`; each serving process LISTENs,
 * `listenForCertificateChanges`). Call it after the change has committed. Whatever happens to the
 * message, no node serves a view older than the cache's lifetime (CACHE_MS, 5 seconds).
 */
export async function invalidatePublicView(db: DB, id: string): Promise<void> {
  forget(id);
  if (cluster.isWorker) process.send?.({ type: INVALIDATE_MESSAGE, id });
  await notifyNodes(db, INVALIDATE_CHANNEL, id).catch((error: unknown) => log().error({ err: error }, "Could not announce a certificate change to the other nodes"));
}

/**
 * On PostgreSQL, each serving process listens for certificate changes made on any node and drops
 * the cached view. While the listening connection is down, messages may be missed: the whole
 * cache is dropped then, and again when listening resumes.
 */
export function listenForCertificateChanges(databaseUrl: string) {
  return listenToNodes(databaseUrl, INVALIDATE_CHANNEL, { onMessage: forget, onGap: () => cache().clear() });
}

/**
 * Forget every cached view, everywhere `invalidatePublicView` reaches: after a change that can
 * move many certificates' status at once (a policy change, such as the supervision switch).
 */
export function invalidateAllPublicViews(db: DB): Promise<void> {
  return invalidatePublicView(db, EVERY_VIEW);
}

/** Everything a certificate row holds except its documents (PDF, signed credential): what a view needs. */
export type CertificateRecord = Omit<Certificate, "pdf" | "credential_jwt" | "holder_erased_at">;

export function toPublicView(cert: CertificateRecord, live: { status: CertificateStatus; reason: string | null }, credentialIssuerDid: string | null, history: StatusEvent[]): PublicCertificateView {
  const modules = JSON.parse(cert.modules_json) as { title: string; passedAt: string; version: string }[];
  const report = JSON.parse(cert.report_json) as { releasedAt: string | null };
  const scope = JSON.parse(cert.scope_json) as { may: string[]; mayNot: string[] };
  return {
    id: cert.id,
    status: live.status,
    statusLabel: STATUS_LABELS[live.status],
    reason: live.reason,
    name: cert.trainer_name,
    issuedOn: londonDayOf(cert.issued_at),
    expiresOn: cert.expires_on,
    expiryBasis: cert.expiry_basis,
    modules: modules.map((m) => ({ title: m.title, passedOn: londonDayOf(m.passedAt), version: versionLabel(m.version), contentHash: m.version })),
    reportTaskPassedOn: report.releasedAt ? londonDayOf(report.releasedAt) : null,
    // The version people know ("2026.1"), from the agreement's recorded labels; else the hash's start.
    scope: { may: scope.may, mayNot: scope.mayNot, agreementVersion: getCurrentAgreement()?.versionHistory[cert.agreement_version] ?? cert.agreement_version.slice(0, 8) },
    issuer: cert.issuer,
    supersededBy: live.status === "superseded" ? cert.superseded_by : null,
    credentialIssuerDid,
    history,
  };
}

/**
 * The did:key that signed a certificate's latest credential (what a relying party checks), as a
 * column of a `certificate` row: an index seek (issued_credential_certificate), then the list and
 * its key by primary key.
 */
function credentialIssuerColumn(eb: ExpressionBuilder<Database, "certificate">) {
  return eb
    .selectFrom("issued_credential")
    .innerJoin("status_list", "status_list.id", "issued_credential.status_list_id")
    .innerJoin("credential_issuer_key", "credential_issuer_key.id", "status_list.issuer_key_id")
    .select("credential_issuer_key.did")
    .whereRef("issued_credential.certificate_id", "=", "certificate.id")
    .where("issued_credential.json", "is not", null)
    .orderBy("issued_credential.issued_at", "desc")
    .limit(1)
    .as("credential_issuer_did");
}

/** Everything the live status reads about one trainer: entry requirements, agreement and supervision standing. */
export async function trainerStatusFacts(db: DB, userId: number, now: Date): Promise<StatusFacts> {
  const [entry, agreement, supervision] = await Promise.all([
    getEntryRequirementFacts(db, userId),
    getAgreementRule(db, now).then((rule) => agreementStanding(db, userId, rule)),
    getSupervisionRule(db).then((rule) => supervisionStanding(db, userId, rule)),
  ]);
  return { ...entry, agreement, supervision };
}

export async function liveStatusOf(db: DB, cert: Pick<Certificate, "user_id" | "revoked_at" | "superseded_by" | "suspended_at" | "expires_on" | "validity_ends_on"> & { suspension_category?: string | null }, now: Date) {
  const needsFacts = !cert.revoked_at && !cert.superseded_by && !cert.suspended_at;
  const entry = needsFacts ? await trainerStatusFacts(db, cert.user_id, now) : null;
  return certificateStatus(cert, entry, ukToday(now));
}

/**
 * The public view of a certificate, or null. Unknown and malformed ids take the same path (the
 * same two reads) so their timing does not differ. Views are cached for a few seconds; changes
 * made here (suspension, revocation, a new certificate) clear the cache at once. A certificate
 * whose holder was erased gives the closed view (ADR 0034).
 *
 * A miss reads the status rules (the policy, once), then the certificate with its live-status
 * facts (`statusFactColumns`, one index seek each, the form the lists use and that
 * certificate-status-sql.test proves equal to the pure rule) and its latest credential's signer in
 * one query, then its status history: three statements in all, where reading each fact on its own
 * took eleven (issue 14; verify-view-queries.test counts them).
 */
export async function getVerificationView(db: DB, id: string, now: Date): Promise<VerificationView | null> {
  const key = CERTIFICATE_ID.test(id) ? id : "(malformed)";
  const hit = cache().get(key);
  if (hit && now.getTime() - hit.at < CACHE_MS && hit.at <= now.getTime()) return hit.view;
  const rules = await getStatusRules(db, now);
  const cert = (await db.executeQuery(compiledViewQuery(db, rules, key))).rows[0];
  const view: VerificationView | null = !cert
    ? null
    : cert.holder_erased_at
      ? { id: cert.id, closed: true, status: "no_longer_listed", statusLabel: NO_LONGER_LISTED }
      : toPublicView(cert, liveStatusOfRow(cert, ukToday(now), rules), cert.credential_issuer_did ?? null, await statusHistory(db, cert));
  cache().set(key, { at: now.getTime(), view });
  return view;
}

/**
 * The one statement a miss reads the certificate with: its own columns (never the PDF or the
 * credential: only what the page shows), its live-status facts and its credential's signer.
 */
export function verificationViewQuery(db: DB, id: string, rules: StatusRules) {
  return db
    .selectFrom("certificate")
    .select((eb) => [...VIEW_COLUMNS, ...statusFactColumns(eb, rules), credentialIssuerColumn(eb)])
    .where("certificate.id", "=", id);
}

/**
 * `verificationViewQuery`, built and compiled once per database and status rules (they change
 * only with the policy or a new agreement version), the id put in per request (ADR 0053).
 */
const compiledViewQuery = compiledOnce(
  (db: DB, id: string, rules: StatusRules) => verificationViewQuery(db, id, rules),
  (rules) => JSON.stringify(rules),
);

/** The certificate's own columns a view shows, besides those its live status reads (`CERTIFICATE_STATUS_COLUMNS`). */
const VIEW_COLUMNS = [
  "certificate.id",
  "certificate.user_id",
  "certificate.trainer_name",
  "certificate.issued_at",
  "certificate.expiry_basis",
  "certificate.agreement_version",
  "certificate.modules_json",
  "certificate.report_json",
  "certificate.scope_json",
  "certificate.issuer",
  "certificate.eligibility_key",
  "certificate.superseded_at",
  "certificate.suspension_reason",
  "certificate.suspended_by",
  "certificate.revocation_reason",
  "certificate.revoked_by",
  "certificate.holder_erased_at",
] as const;

/** The full public view of a listed certificate; null for an unknown one or one no longer listed. */
export async function getPublicCertificateView(db: DB, id: string, now: Date): Promise<PublicCertificateView | null> {
  const view = await getVerificationView(db, id, now);
  return view && !isClosedView(view) ? view : null;
}
