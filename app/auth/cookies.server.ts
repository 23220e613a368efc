import { getEnv } from "~/utils/env.server";
import { ABSOLUTE_LIFETIME_MS } from "./session.server";

/**
 * In production over HTTPS the cookie is `__Host-` prefixed and Secure (bound to this exact
 * origin). Served over plain http (local development, tests) a prefix-less cookie is used,
 * since browsers refuse `__Host-` cookies without Secure.
 */
export function sessionCookieName(): string {
  return getEnv().secureCookies ? "__Host-ata_session" : "ata_session";
}

export function deviceCookieName(): string {
  return getEnv().secureCookies ? "__Host-ata_device" : "ata_device";
}

export function readCookie(request: { headers: { get(name: string): string | null } }, name: string): string | null {
  const header = request.headers.get("Cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const index = part.indexOf("=");
    if (index === -1) continue;
    if (part.slice(0, index).trim() === name) {
      try {
        return decodeURIComponent(part.slice(index + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

function serialize(name: string, value: string, maxAgeSeconds: number): string {
  const attributes = [`${name}=${encodeURIComponent(value)}`, "Path=/", "HttpOnly", "SameSite=Lax", `Max-Age=${maxAgeSeconds}`];
  if (getEnv().secureCookies) attributes.push("Secure");
  return attributes.join("; ");
}

export function sessionCookie(token: string): string {
  return serialize(sessionCookieName(), token, Math.floor(ABSOLUTE_LIFETIME_MS / 1000));
}

export function clearSessionCookie(): string {
  return serialize(sessionCookieName(), "", 0);
}

export function deviceCookie(value: string): string {
  return serialize(deviceCookieName(), value, 180 * 24 * 3600);
}

export function pendingSignInCookieName(): string {
  return getEnv().secureCookies ? "__Host-ata_pending" : "ata_pending";
}

/** The second-step note (pending-sign-in.server.ts); `null` clears it. */
export function pendingSignInCookie(value: string | null, maxAgeSeconds: number): string {
  return serialize(pendingSignInCookieName(), value ?? "", value === null ? 0 : maxAgeSeconds);
}
