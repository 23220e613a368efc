import cluster from "node:cluster";
import type { DB } from "~db/connection";
import type { Certificate } from "~db/schema";
import { getEntryRequirementFacts } from "~/evidence/facts.server";
import { dateOf } from "~/utils/dates";
import { certificateStatus, STATUS_LABELS, type CertificateStatus } from "./status";

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
  modules: { title: string; passedOn: string; version: string }[];
  reportTaskPassedOn: string | null;
  scope: { may: string[]; mayNot: string[]; agreementVersion: string };
  issuer: string;
  supersededBy: string | null;
}

/** Well-formed certificate ids: 32 base32 characters (160 random bits). */
export const CERTIFICATE_ID = /^[a-z2-7]{32}$/;

const CACHE_MS = 5_000;
declare global {
  var __academyVerifyCache: Map<string, { at: number; view: PublicCertificateView | null }> | undefined;
}
function cache() {
  globalThis.__academyVerifyCache ??= new Map();
  return globalThis.__academyVerifyCache;
}

export const INVALIDATE_MESSAGE = "academy:invalidate-certificate";

declare global {
  var __academyVerifyCacheListening: boolean | undefined;
}
// With several server processes, each keeps its own cache: invalidations travel through the
// primary process to the others (scripts/start.ts relays them).
if (cluster.isWorker && !globalThis.__academyVerifyCacheListening) {
  globalThis.__academyVerifyCacheListening = true;
  process.on("message", (message: unknown) => {
    const m = message as { type?: string; id?: string } | null;
    if (m?.type === INVALIDATE_MESSAGE && typeof m.id === "string") cache().delete(m.id);
  });
}

/** Forget a cached view at once, in every server process (suspension, revocation, supersession). */
export function invalidatePublicView(id: string): void {
  cache().delete(id);
  if (cluster.isWorker) process.send?.({ type: INVALIDATE_MESSAGE, id });
}

export function toPublicView(cert: Certificate, live: { status: CertificateStatus; reason: string | null }): PublicCertificateView {
  const modules = JSON.parse(cert.modules_json) as { title: string; passedAt: string; version: string }[];
  const report = JSON.parse(cert.report_json) as { releasedAt: string | null };
  const scope = JSON.parse(cert.scope_json) as { may: string[]; mayNot: string[] };
  return {
    id: cert.id,
    status: live.status,
    statusLabel: STATUS_LABELS[live.status],
    reason: live.reason,
    name: cert.trainer_name,
    issuedOn: cert.issued_at.slice(0, 10),
    expiresOn: cert.expires_on,
    expiryBasis: cert.expiry_basis,
    modules: modules.map((m) => ({ title: m.title, passedOn: m.passedAt.slice(0, 10), version: m.version.slice(0, 8) })),
    reportTaskPassedOn: report.releasedAt?.slice(0, 10) ?? null,
    scope: { may: scope.may, mayNot: scope.mayNot, agreementVersion: cert.agreement_version.slice(0, 8) },
    issuer: cert.issuer,
    supersededBy: live.status === "superseded" ? cert.superseded_by : null,
  };
}

export async function liveStatusOf(db: DB, cert: Certificate, now: Date) {
  const needsFacts = !cert.revoked_at && !cert.superseded_by && !cert.suspended_at;
  const entry = needsFacts ? await getEntryRequirementFacts(db, cert.user_id) : null;
  return certificateStatus(cert, entry, dateOf(now));
}

/**
 * The public view of a certificate, or null. Unknown and malformed ids take the same path (one
 * lookup) so their timing does not differ. Views are cached for a few seconds; changes made
 * here (suspension, revocation, a new certificate) clear the cache at once.
 */
export async function getPublicCertificateView(db: DB, id: string, now: Date): Promise<PublicCertificateView | null> {
  const key = CERTIFICATE_ID.test(id) ? id : "(malformed)";
  const hit = cache().get(key);
  if (hit && now.getTime() - hit.at < CACHE_MS && hit.at <= now.getTime()) return hit.view;
  const cert = await db.selectFrom("certificate").selectAll().where("id", "=", key).executeTakeFirst();
  const view = cert ? toPublicView(cert, await liveStatusOf(db, cert, now)) : null;
  if (cache().size > 10_000) cache().clear();
  cache().set(key, { at: now.getTime(), view });
  return view;
}
