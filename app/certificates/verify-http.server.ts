import type { NextFunction, Request, Response } from "express";
import { getDb } from "~/db.server";
import { serverClock } from "~/utils/clock.server";
import type { DB } from "~db/connection";
import { isPostgres } from "~db/dialect";
import { DatabaseWindowCounter, MemoryWindowCounter, type WindowCounter } from "~/auth/login-throttle.server";
import { formatLongDate } from "./pdf.server";
import { formatMoment } from "~/utils/dates";
import { retryAfterSeconds } from "~/utils/result";
import { getVerificationView, isClosedView, type ClosedCertificateView, type PublicCertificateView } from "./public.server";
import { latestCredentialJson } from "./credentials/issue-credential.server";
import { ISSUER_NAME } from "./credentials/keys.server";

/**
 * The public verification pages, served before Remix: they are the hottest public pages, need
 * no JavaScript and no session, and must answer in milliseconds (see ADR 0008).
 */
export const VERIFY_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);


/** The frame of the lean public pages (verification, issuer): no JavaScript, strict CSP. */
export function page(title: string, body: string, cssHref: string, generatedAt: Date, meta: Record<string, string> = {}): string {
  const metaTags = Object.entries(meta)
    .map(([property, content]) => `<meta property="${escapeHtml(property)}" content="${escapeHtml(content)}">`)
    .join("");
  return `<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex, nofollow"><title>${escapeHtml(title)}</title>${metaTags}<link rel="stylesheet" href="${escapeHtml(cssHref)}"><link rel="icon" href="/favicon.svg" type="image/svg+xml"></head><body><a class="skip-link" href="#main">Skip to main content</a><header class="site-header"><div class="site-header__inner"><a class="brand" href="/"><span class="brand__mark" aria-hidden="true">RMR</span><span class="brand__name">Approved Trainer Academy</span></a><nav aria-label="Main" class="main-nav"><ul><li><a href="/verify">Verify a certificate</a></li></ul></nav></div></header><main id="main" class="page verify">${body}</main><footer class="site-footer"><p>Certificate verification · RMR Medical-Legal Personal Trainer Framework · Page generated ${escapeHtml(
    `${formatMoment(generatedAt)} (UK time)`,
  )}</p></footer></body></html>`;
}

const list = (items: string[]) => `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join("")}</ul>`;

/** Where the page links: the site's public address (Open Graph). */
export interface CertificatePageLinks {
  baseUrl: string;
}

/** The Open Graph card a shared link previews: who, and the status today. */
export function openGraphCard(view: PublicCertificateView, baseUrl: string): Record<string, string> {
  const title = `${view.statusLabel}: ${view.name}, Medical-Legal Approved Trainer certificate`;
  const description =
    view.status === "valid"
      ? `Valid today. Issued ${formatLongDate(view.issuedOn)}, expires ${formatLongDate(view.expiresOn)}. Issued by ${view.issuer}.`
      : `Not currently valid (${view.reason ?? view.statusLabel.toLowerCase()}). Issued by ${view.issuer}.`;
  return {
    "og:type": "website",
    "og:site_name": "Approved Trainer Academy",
    "og:title": title,
    "og:description": description,
    "og:url": `${baseUrl.replace(/\/$/, "")}/verify/${view.id}`,
  };
}

function historyList(view: PublicCertificateView): string {
  const items = view.history.map((e) => `<li><time datetime="${escapeHtml(e.on)}">${escapeHtml(formatLongDate(e.on))}</time> <span class="status-history__event">${escapeHtml(e.label)}</span></li>`);
  return `<h2>Status history</h2><ol class="status-history">${items.join("")}</ol>`;
}

export function renderCertificatePage(view: PublicCertificateView, cssHref: string, generatedAt: Date, links: CertificatePageLinks): string {
  const reason = view.reason && view.status !== "valid" ? ` <span class="verify-status__reason">— ${escapeHtml(view.reason)}</span>` : "";
  const superseded = view.supersededBy ? `<p>This certificate has been replaced. <a href="/verify/${escapeHtml(view.supersededBy)}">See the current certificate</a>.</p>` : "";
  const body = `
<p class="eyebrow">Certificate verification</p>
<h1>${escapeHtml(view.name)}</h1>
<div class="verify-status verify-status--${view.status}" role="status">
  <p class="verify-status__label">Status</p>
  <p class="verify-status__value"><span aria-hidden="true" class="verify-status__icon">${view.status === "valid" ? "✓" : "!"}</span> ${escapeHtml(view.statusLabel)}${reason}</p>
  <p>${view.status === "valid" ? "This trainer is a Medical-Legal Approved Trainer today." : "This trainer is <strong>not</strong> currently approved under this certificate."}</p>
</div>
${superseded}
<dl class="facts">
  <dt>Approved as</dt><dd>Medical-Legal Approved Trainer</dd>
  <dt>Issued</dt><dd>${escapeHtml(formatLongDate(view.issuedOn))}</dd>
  <dt>Expires</dt><dd>${escapeHtml(formatLongDate(view.expiresOn))} (${escapeHtml(view.expiryBasis)})</dd>
  <dt>Issuer</dt><dd>${escapeHtml(view.issuer)}</dd>
  ${view.credentialIssuerDid ? `<dt>Credential signed by</dt><dd>${escapeHtml(ISSUER_NAME)}, <code class="did">${escapeHtml(view.credentialIssuerDid)}</code> (<a href="/issuer">the academy's published keys</a>)</dd>` : ""}
  <dt>Certificate ID</dt><dd><code>${escapeHtml(view.id)}</code></dd>
</dl>
<h2>Scope of practice</h2>
<div class="boundaries">
  <section class="boundaries__do"><h3>This trainer may</h3>${list(view.scope.may)}</section>
  <section class="boundaries__dont"><h3>This trainer may not</h3>${list(view.scope.mayNot)}</section>
</div>
<p class="muted">From the scope of practice and communication agreement, version ${escapeHtml(view.scope.agreementVersion)}.</p>
<h2>Training completed</h2>
<div class="table-wrap" role="region" aria-label="Modules passed" tabindex="0"><table><thead><tr><th scope="col">Module</th><th scope="col">Passed</th><th scope="col">Module version</th></tr></thead><tbody>
${view.modules.map((m) => `<tr><td>${escapeHtml(m.title)}</td><td>${escapeHtml(formatLongDate(m.passedOn))}</td><td>${escapeHtml(m.version)}</td></tr>`).join("")}
${view.reportTaskPassedOn ? `<tr><td>Report-writing task (marked by an assessor)</td><td>${escapeHtml(formatLongDate(view.reportTaskPassedOn))}</td><td>—</td></tr>` : ""}
</tbody></table></div>
${historyList(view)}
<h2>Something wrong?</h2>
<p><a href="/verify/${escapeHtml(view.id)}/concern">Raise a concern with the issuer</a> about this trainer. The academy&#39;s governance team reviews every concern; nothing you send is published.</p>
<h2 class="no-print">Other formats</h2>
<ul class="no-print"><li><a href="/verify/${escapeHtml(view.id)}.json">These facts as JSON</a></li>${view.credentialIssuerDid ? `<li><a href="/verify/${escapeHtml(view.id)}/credential">Signed credential (Open Badges 3.0, JSON)</a>: check it on <a href="/verify">the verification page</a> or with any Open Badges 3.0 verifier</li>` : ""}</ul>`;
  return page(`${view.statusLabel}: ${view.name} · Certificate verification`, body, cssHref, generatedAt, openGraphCard(view, links.baseUrl));
}

export function renderNotFoundPage(cssHref: string, generatedAt: Date): string {
  return page(
    "Certificate not found · Certificate verification",
    `<p class="eyebrow">Certificate verification</p><h1>No certificate found</h1><p>We could not find a certificate with that ID. Check the address or the ID printed on the certificate, and try again.</p><p><a class="button" href="/verify">Enter a certificate ID</a></p>`,
    cssHref,
    generatedAt,
  );
}

/** A certificate whose holder's data was erased (ADR 0034): its id and "No longer listed", nothing personal. */
export function renderClosedPage(view: ClosedCertificateView, cssHref: string, generatedAt: Date): string {
  return page(
    `${view.statusLabel} · Certificate verification`,
    `<p class="eyebrow">Certificate verification</p><h1>${escapeHtml(view.statusLabel)}</h1><div class="verify-status verify-status--revoked" role="status"><p class="verify-status__value"><span aria-hidden="true" class="verify-status__icon">!</span> ${escapeHtml(view.statusLabel)}</p><p>This certificate is <strong>not</strong> valid. Its holder has closed their account with the academy, so it is no longer listed and its details are no longer shown.</p></div><dl class="facts"><dt>Certificate ID</dt><dd><code>${escapeHtml(view.id)}</code></dd></dl><p class="no-print"><a href="/verify/${escapeHtml(view.id)}.json">This answer as JSON</a></p>`,
    cssHref,
    generatedAt,
  );
}

export function closedJson(view: ClosedCertificateView, generatedAt: Date) {
  return { id: view.id, status: view.status, statusLabel: view.statusLabel, valid: false, generatedAt: generatedAt.toISOString() };
}

export function renderRateLimitedPage(cssHref: string, generatedAt: Date, retryAfterSeconds: number): string {
  return page(
    "Too many lookups · Certificate verification",
    `<p class="eyebrow">Certificate verification</p><h1>Too many lookups</h1><p>This address has looked up a lot of certificates in a short time. Please wait ${Math.ceil(retryAfterSeconds / 60)} minute(s) and try again.</p>`,
    cssHref,
    generatedAt,
  );
}

export function publicJson(view: PublicCertificateView, generatedAt: Date) {
  const signedCredential = view.credentialIssuerDid ? { href: `/verify/${view.id}/credential`, format: "Open Badges 3.0 (application/vc+ld+json)", issuerDid: view.credentialIssuerDid } : null;
  return { ...view, approvedAs: "Medical-Legal Approved Trainer", signedCredential, generatedAt: generatedAt.toISOString() };
}

declare global {
  var __academyVerifyLimiter: WindowCounter | undefined;
}

/**
 * Lookups per IP per minute. On PostgreSQL (several app nodes, ADR 0021) they are counted in the
 * database (`login_throttle`, scope `verify`), so the limit holds across every node and process.
 * On SQLite (one machine) they are counted in memory for speed (this is the hottest public path):
 * each process allows its share of the limit, and the operating system spreads connections
 * across them, so the total stays close to the configured limit.
 */
export function verifyRateLimiter(db: DB, limit: { perMinute: number; processes: number }): WindowCounter {
  globalThis.__academyVerifyLimiter ??= isPostgres(db)
    ? new DatabaseWindowCounter(db, "verify", limit.perMinute, 60_000)
    : new MemoryWindowCounter(Math.ceil(limit.perMinute / Math.max(1, limit.processes)), 60_000);
  return globalThis.__academyVerifyLimiter;
}

export interface VerifyHandlerOptions {
  /** The stylesheet's fingerprinted address. */
  cssHref: () => Promise<string>;
  /** VERIFY_RATE_LIMIT_PER_MINUTE and the number of processes sharing it. */
  limit: { perMinute: number; processes: number };
  /** PUBLIC_BASE_URL. */
  links: CertificatePageLinks;
}

/** GET /verify/:id, /verify/:id.json and /verify/:id/credential. */
export function verifyHandler({ cssHref, limit, links }: VerifyHandlerOptions) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const now = serverClock();
      const raw = String(req.params.id ?? "");
      const asJson = raw.endsWith(".json") || (req.accepts(["html", "json"]) === "json" && !req.params.part);
      const id = raw.replace(/\.json$/, "");
      const part = req.params.part;
      if (part !== undefined && part !== "credential") return next();
      res.setHeader("Content-Security-Policy", VERIFY_CSP);
      res.setHeader("X-Robots-Tag", "noindex, nofollow");
      res.setHeader("Cache-Control", "no-store");
      res.setHeader("Vary", "Accept");

      const db = getDb();
      const limiter = verifyRateLimiter(db, limit);
      const ip = req.ip ?? req.socket.remoteAddress ?? "unknown";
      const wait = await limiter.retryAfterMs(ip, now);
      if (wait > 0) {
        res.setHeader("Retry-After", retryAfterSeconds(wait));
        if (asJson) return res.status(429).json({ error: "Too many lookups. Try again later." });
        return res.status(429).type("html").send(renderRateLimitedPage(await cssHref(), now, wait / 1000));
      }
      await limiter.record(ip, now);

      const view = await getVerificationView(db, id, now);
      if (!view) {
        if (asJson || part) return res.status(404).json({ error: "No certificate found." });
        return res.status(404).type("html").send(renderNotFoundPage(await cssHref(), now));
      }
      if (isClosedView(view)) {
        if (part === "credential") return res.status(404).json({ error: "This certificate is no longer listed." });
        if (asJson) return res.status(200).json(closedJson(view, now));
        return res.status(200).type("html").send(renderClosedPage(view, await cssHref(), now));
      }
      if (part === "credential") {
        const json = await latestCredentialJson(db, view.id);
        if (!json) return res.status(404).json({ error: "The signed credential is not available yet." });
        res.setHeader("Content-Disposition", `attachment; filename="approved-trainer-credential-${view.id}.json"`);
        return res.status(200).type("application/vc+ld+json").send(json);
      }
      if (asJson) return res.status(200).json(publicJson(view, now));
      return res.status(200).type("html").send(renderCertificatePage(view, await cssHref(), now, links));
    } catch (error) {
      next(error);
    }
  };
}
