import { redirect } from "@remix-run/node";
import type { Role } from "~db/schema";
import { getDb } from "~/db.server";
import { serverClock } from "~/utils/clock.server";
import { readCookie, sessionCookieName } from "./cookies.server";
import { validateSessionToken, type SessionUser, type ValidSession } from "./session.server";

const perRequest = new WeakMap<Request, Promise<ValidSession | null>>();

/** The signed-in session for this request, looked up once per request. */
export function getSession(request: Request): Promise<ValidSession | null> {
  let pending = perRequest.get(request);
  if (!pending) {
    pending = validateSessionToken(getDb(), readCookie(request, sessionCookieName()), serverClock());
    perRequest.set(request, pending);
  }
  return pending;
}

export async function getOptionalUser(request: Request): Promise<SessionUser | null> {
  return (await getSession(request))?.user ?? null;
}

/** Only a same-site path may be a post-login destination (no open redirects). */
export function safeRedirectPath(target: string | null | undefined, fallback = "/dashboard"): string {
  if (!target || !target.startsWith("/") || target.startsWith("//") || target.startsWith("/\\")) return fallback;
  return target;
}

export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getOptionalUser(request);
  if (!user) {
    const url = new URL(request.url);
    const back = `${url.pathname}${url.search}`;
    throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
  }
  return user;
}

/** Throws a 403 response when the signed-in user has none of `roles`. */
export async function requireRole(request: Request, ...roles: Role[]): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!roles.includes(user.role)) {
    throw new Response("You do not have permission to open this page.", { status: 403, statusText: "Forbidden" });
  }
  return user;
}

export async function requireAnonymous(request: Request): Promise<void> {
  if (await getOptionalUser(request)) throw redirect("/dashboard");
}
