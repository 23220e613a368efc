import { cspNonce } from "~/utils/random.server";
import { beforeHeadersWritten } from "./before-headers.server";
import type { NextFunction, Request, Response } from "express";

export interface CspOptions {
  nonce: string;
  /** Development only: the live-reload socket. */
  devSocket?: string;
}

/**
 * The Content-Security-Policy for an HTML document. Nonce-based: no inline script runs without
 * it, and no page may evaluate strings as code (lessons, the agreement and the content pages are
 * rendered at build time, ADR 0041).
 */
export function documentCsp({ nonce, devSocket }: CspOptions): string {
  const script = ["'self'", `'nonce-${nonce}'`];
  const connect = ["'self'"];
  if (devSocket) connect.push(devSocket);
  return [
    "default-src 'self'",
    `script-src ${script.join(" ")}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect.join(" ")}`,
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join("; ");
}

/** Files served as-is (built assets, evidence downloads) may not run anything. */
export const STATIC_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'none'; sandbox";

/**
 * The one exception to `frame-ancestors 'none'` (ADR 0004, issue 13 item 12): an evidence file
 * shown inline to an assessor beside the fields they check. Only our own pages may frame it, and
 * the response is sandboxed like every static file, so nothing in it can run on our origin.
 */
export const EVIDENCE_PREVIEW_CSP = "default-src 'none'; style-src 'self'; img-src 'self'; frame-ancestors 'self'; sandbox";

/** The only path that may be framed (by our own pages): `/evidence/<id>/preview`. */
export const FRAMEABLE_PATH = /^\/evidence\/[A-Za-z0-9_-]+\/preview$/;

declare module "express-serve-static-core" {
  interface Locals {
    cspNonce: string;
  }
}

/** Headers every response carries; the CSP itself is set per document in entry.server. */
export function securityHeaders(options: { hsts: boolean }) {
  return (req: Request, res: Response, next: NextFunction) => {
    res.locals.cspNonce = cspNonce();
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    // Browsers that know CSP obey frame-ancestors; X-Frame-Options says the same to older ones.
    res.setHeader("X-Frame-Options", FRAMEABLE_PATH.test(req.path) ? "SAMEORIGIN" : "DENY");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
    if (options.hsts) res.setHeader("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
    res.removeHeader("X-Powered-By");
    next();
  };
}

/**
 * Every response is `Cache-Control: private, no-store` unless its handler says otherwise: pages,
 * the `.data` responses client-side navigation fetches, resource routes, errors and refusals
 * alike, so nothing a signed-in person sees is kept by a browser or shared cache. Only what is
 * public says so itself: fingerprinted assets (a year), the favicon (an hour), credential status
 * lists and the issuer profile (minutes).
 */
export function privateByDefault() {
  return (_req: Request, res: Response, next: NextFunction) => {
    beforeHeadersWritten(res, (r) => {
      if (!r.hasHeader("Cache-Control")) r.setHeader("Cache-Control", PRIVATE_NO_STORE);
    });
    next();
  };
}

export const PRIVATE_NO_STORE = "private, no-store";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/**
 * Decides whether a state-changing request comes from our own pages. In order:
 * - `Sec-Fetch-Site` (every current browser sends it, and a page cannot forge it): only
 *   `same-origin` and `none` (typed or bookmarked) pass;
 * - otherwise `Origin` must be ours;
 * - otherwise `Referer`, when present, must be ours (older browsers send no Origin on a
 *   same-origin form post, but a foreign page's post still carries its address there);
 * - a request with none of the three does not come from a web page: a browser always sends at
 *   least one of them with a cross-site form, so such a request carries no ambient cookies worth
 *   forging, and is let through (ADR 0004).
 */
export function isCrossSiteRequest(input: { method: string; secFetchSite?: string; origin?: string; referer?: string; allowedOrigins: string[] }): boolean {
  if (SAFE_METHODS.has(input.method.toUpperCase())) return false;
  if (input.secFetchSite) return input.secFetchSite !== "same-origin" && input.secFetchSite !== "none";
  if (input.origin !== undefined) return !input.allowedOrigins.includes(input.origin);
  if (input.referer !== undefined) {
    const origin = originOf(input.referer);
    return origin === null || !input.allowedOrigins.includes(origin);
  }
  return false;
}

const REFUSED_PAGE = `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Request refused</title></head><body><main><h1>Request refused</h1><p>This request came from another website, so it was refused and nothing was changed. If you were using the Approved Trainer Academy, go back to the page and try again.</p></main></body></html>`;

/** The host Remix compares a form post's `Origin` with: the first X-Forwarded-Host, else Host. */
function hostRemixChecks(req: Request): string | undefined {
  return req.get("x-forwarded-host")?.split(",")[0]?.trim() || req.get("host");
}

/**
 * Refuses cross-site state-changing requests (403, nothing runs). For a request it accepts whose
 * `Origin` names a different host than the request arrived with, Remix's own check would answer
 * every form post with a 500: that happens behind a reverse proxy that does not pass the Host
 * header on. The request has already been judged same-origin here, so the host Remix sees is set
 * to the origin's, and one line in the log tells the operator how to configure the proxy.
 */
export function rejectCrossSiteRequests(publicBaseUrl: string, log: (line: string) => void) {
  const configured = new URL(publicBaseUrl).origin;
  let warned = false;
  return (req: Request, res: Response, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.get("origin");
    const allowedOrigins = [configured, `${req.protocol}://${req.get("host") ?? ""}`];
    const crossSite = isCrossSiteRequest({ method: req.method, secFetchSite: req.get("sec-fetch-site"), origin, referer: req.get("referer"), allowedOrigins });
    if (crossSite) {
      res.status(403).type("html").setHeader("Content-Security-Policy", STATIC_CSP).send(REFUSED_PAGE);
      return;
    }
    const originHost = origin && originOf(origin) ? new URL(origin).host : null;
    const host = hostRemixChecks(req);
    if (originHost && originHost !== host) {
      if (!warned) {
        warned = true;
        log(
          `Form posts from ${origin} arrive with Host "${host ?? ""}" (PUBLIC_BASE_URL is ${configured}): the reverse proxy does not pass the Host header on. They are accepted, but configure the proxy to send it (nginx: proxy_set_header Host $host; see the README's "Behind a reverse proxy").`,
        );
      }
      req.headers.host = originHost;
      delete req.headers["x-forwarded-host"];
    }
    next();
  };
}
