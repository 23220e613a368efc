import { randomBytes } from "node:crypto";
import type { NextFunction, Request, Response } from "express";

export interface CspOptions {
  nonce: string;
  /** Lesson pages evaluate their precompiled MDX with `new Function`; see ADR 0005. */
  allowEval?: boolean;
  /** Development only: the live-reload socket. */
  devSocket?: string;
}

/** The Content-Security-Policy for an HTML document. Nonce-based: no inline script runs without it. */
export function documentCsp({ nonce, allowEval = false, devSocket }: CspOptions): string {
  const script = ["'self'", `'nonce-${nonce}'`];
  if (allowEval) script.push("'unsafe-eval'");
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

declare module "express-serve-static-core" {
  interface Locals {
    cspNonce: string;
  }
}

/** Headers every response carries; the CSP itself is set per document in entry.server. */
export function securityHeaders(options: { hsts: boolean }) {
  return (_req: Request, res: Response, next: NextFunction) => {
    res.locals.cspNonce = randomBytes(16).toString("base64");
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
    if (options.hsts) res.setHeader("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
    res.removeHeader("X-Powered-By");
    next();
  };
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Decides whether a state-changing request comes from our own pages. Browsers send
 * Sec-Fetch-Site on every request (and Origin on every POST); either one naming another site
 * means the request was forged from elsewhere. Requests with neither header do not come from a
 * browser page and carry no ambient cookies worth forging.
 */
export function isCrossSiteRequest(input: { method: string; secFetchSite?: string; origin?: string; allowedOrigins: string[] }): boolean {
  if (SAFE_METHODS.has(input.method.toUpperCase())) return false;
  if (input.secFetchSite) return input.secFetchSite !== "same-origin" && input.secFetchSite !== "none";
  if (input.origin !== undefined) return !input.allowedOrigins.includes(input.origin);
  return false;
}

export function rejectCrossSiteRequests(publicBaseUrl: string) {
  const configured = new URL(publicBaseUrl).origin;
  return (req: Request, res: Response, next: NextFunction) => {
    const allowedOrigins = [configured, `${req.protocol}://${req.get("host") ?? ""}`];
    const crossSite = isCrossSiteRequest({
      method: req.method,
      secFetchSite: req.get("sec-fetch-site"),
      origin: req.get("origin"),
      allowedOrigins,
    });
    if (!crossSite) return next();
    res
      .status(403)
      .type("html")
      .setHeader("Content-Security-Policy", STATIC_CSP)
      .send(
        `<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>Request refused</title></head><body><main><h1>Request refused</h1><p>This request came from another website, so it was refused and nothing was changed. If you were using the Approved Trainer Academy, go back to the page and try again.</p></main></body></html>`,
      );
  };
}
