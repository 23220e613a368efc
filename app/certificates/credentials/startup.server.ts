import type { DB } from "~db/connection";
import { currentIssuerKey } from "./keys.server";
import { upgradeCertificatesToOpenBadges } from "./sync.server";

/**
 * Run by the primary process at start, after migrations (migrations never import app code, so
 * data steps live here): make sure the academy has a signing key and give every certificate
 * issued before Open Badges 3.0 credentials existed its credential (found from indexes alone,
 * so a start with nothing to upgrade costs the same at any size). Idempotent. Revocation bits
 * are brought up to date by the scheduled jobs' credential sync, which the server starts right
 * after, in the background (issue 19: with the stored statuses' refresh it delayed start-up).
 */
export async function prepareCredentials(db: DB, baseUrl: string, now: Date): Promise<{ did: string; upgraded: number }> {
  const key = await currentIssuerKey(db, now);
  const upgraded = await upgradeCertificatesToOpenBadges(db, baseUrl, now);
  return { did: key.did, upgraded };
}

/** Credentials carry PUBLIC_BASE_URL in their ids and status list URLs for good. */
export function localBaseUrlWarning(baseUrl: string): string | null {
  const host = new URL(baseUrl).hostname;
  if (!/^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|0\.0\.0\.0)$/.test(host) && !host.endsWith(".localhost")) return null;
  return `Warning: PUBLIC_BASE_URL is ${baseUrl}, a local address. Credentials issued now carry it in their ids and status list URLs, which relying parties cannot reach. Set PUBLIC_BASE_URL to the site's public https:// address before issuing real certificates.`;
}
