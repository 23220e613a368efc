import type { NextFunction, Request, Response } from "express";
import { getDb } from "~/db.server";
import { getEnv } from "~/utils/env.server";
import { serverClock } from "~/utils/clock.server";
import { formatLongDate } from "../pdf.server";
import { escapeHtml, page, VERIFY_CSP } from "../verify-http.server";
import { ISSUER_NAME, publishedIssuerKeys, type PublishedKey } from "./keys.server";
import { OB_V3_CONTEXT, VC_V2_CONTEXT } from "./open-badge";
import { getStatusListCredential } from "./status-list.server";

/**
 * What relying parties fetch: the status lists (short-lived caching, any origin may read them),
 * each credential at its id, and the issuer profile with every DID the academy has signed with.
 */
const STATUS_CACHE = "public, max-age=60, must-revalidate";

function publicJson(res: Response, body: unknown, type = "application/ld+json") {
  res.setHeader("Access-Control-Allow-Origin", "*");
  res.setHeader("X-Content-Type-Options", "nosniff");
  return res.status(200).type(type).send(JSON.stringify(body));
}

/** GET /credentials/status/:listId */
export async function statusListHandler(req: Request, res: Response, next: NextFunction) {
  try {
    const listId = /^\d{1,9}$/.test(req.params.listId ?? "") ? Number(req.params.listId) : null;
    const list = listId === null ? null : await getStatusListCredential(getDb(), listId, getEnv().PUBLIC_BASE_URL, serverClock());
    res.setHeader("Cache-Control", list ? STATUS_CACHE : "no-store");
    if (!list) return res.status(404).json({ error: "No such status list." });
    return publicJson(res, list);
  } catch (error) {
    next(error);
  }
}

/** GET /credentials/:credentialId: the signed credential at its own id. */
export async function credentialHandler(req: Request, res: Response, next: NextFunction) {
  try {
    const id = /^[a-z2-7]{32}$/.test(req.params.credentialId ?? "") ? req.params.credentialId! : "";
    const row = await getDb().selectFrom("issued_credential").select("json").where("id", "=", id).where("json", "is not", null).executeTakeFirst();
    res.setHeader("Cache-Control", "no-store");
    res.setHeader("X-Robots-Tag", "noindex, nofollow");
    if (!row?.json) return res.status(404).json({ error: "No such credential." });
    return publicJson(res, JSON.parse(row.json), "application/vc+ld+json");
  } catch (error) {
    next(error);
  }
}

export function issuerProfile(baseUrl: string, keys: PublishedKey[]) {
  return {
    "@context": [VC_V2_CONTEXT, OB_V3_CONTEXT],
    id: keys.find((k) => !k.retiredAt)?.did ?? keys[0]?.did ?? null,
    type: ["Profile"],
    name: ISSUER_NAME,
    url: `${baseUrl}/issuer`,
    description: "Issues the Open Badges 3.0 credentials of RMR's Medical-Legal Personal Trainer Framework. A credential is the academy's only if its issuer is one of the DIDs listed in otherIdentifier.",
    otherIdentifier: keys.map((k) => ({ type: "IdentifierEntry", identifier: k.did, identifierType: "identifier" })),
  };
}

function issuerPageBody(baseUrl: string, keys: PublishedKey[]): string {
  const rows = keys
    .map((k) => `<tr><td><code class="did">${escapeHtml(k.did)}</code></td><td>${escapeHtml(formatLongDate(k.createdAt))}</td><td>${k.retiredAt ? `Retired on ${escapeHtml(formatLongDate(k.retiredAt))}; credentials it signed still verify` : "Signs new credentials"}</td></tr>`)
    .join("");
  return `
<p class="eyebrow">Credential issuer</p>
<h1>${escapeHtml(ISSUER_NAME)}</h1>
<p>The academy issues each Medical-Legal Approved Trainer an Open Badges 3.0 credential, signed with a Data Integrity proof (<code>eddsa-rdfc-2022</code>). Any standard verifier can check the signature offline; to know that a credential comes from the academy, check that its issuer is one of these DIDs.</p>
<h2>The academy's keys</h2>
<div class="table-wrap" role="region" aria-label="Issuer keys" tabindex="0"><table><thead><tr><th scope="col">DID (issuer id)</th><th scope="col">In use from</th><th scope="col">Status</th></tr></thead><tbody>${rows || `<tr><td colspan="3">No credential has been issued yet.</td></tr>`}</tbody></table></div>
<h2>For relying parties</h2>
<ul>
<li>Pin these DIDs in your verifier: a credential that names ${escapeHtml(ISSUER_NAME)} but is signed by any other key is a forgery.</li>
<li>The list as JSON-LD (an Open Badges <code>Profile</code>): <a href="/issuer.json">${escapeHtml(baseUrl)}/issuer.json</a>.</li>
<li>Each credential has one revocation entry in a Bitstring Status List at <code>${escapeHtml(baseUrl)}/credentials/status/…</code>, signed by the same key and re-signed whenever a certificate is suspended, revoked or replaced. Fetch it when you verify; it may be cached for a minute.</li>
<li>Or upload the credential on <a href="/verify">the verification page</a>: it checks all of this for you.</li>
</ul>`;
}

/** GET /issuer (HTML, or JSON-LD when asked for) and /issuer.json */
export function issuerHandler(cssHref: () => Promise<string>) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const baseUrl = getEnv().PUBLIC_BASE_URL;
      const keys = await publishedIssuerKeys(getDb());
      res.setHeader("Cache-Control", "public, max-age=300");
      res.setHeader("Vary", "Accept");
      if (req.path.endsWith(".json") || req.accepts(["html", "json"]) === "json") return publicJson(res, issuerProfile(baseUrl, keys));
      res.setHeader("Content-Security-Policy", VERIFY_CSP);
      return res.status(200).type("html").send(page(`${ISSUER_NAME} · Credential issuer`, issuerPageBody(baseUrl, keys), await cssHref(), serverClock()));
    } catch (error) {
      next(error);
    }
  };
}
