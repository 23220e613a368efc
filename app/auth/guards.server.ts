import { redirect } from "@remix-run/node";
import type { Role } from "~db/schema";
import { getDb } from "~/db.server";
import { serverClock } from "~/utils/clock.server";
import { getPolicy } from "~/policy/policy.server";
import { readCookie, sessionCookieName } from "./cookies.server";
import { validateSessionToken, type SessionUser, type ValidSession } from "./session.server";

/**
 * What the guards read of a request: its URL (to come back to after sign-in) and two headers (the
 * cookie, the user agent). A Fetch `Request` is one; the autosave endpoint, served before Remix
 * (ADR 0050), passes its Node request's own URL and headers instead of building a `Request`.
 */
export interface RequestHead {
  readonly url: string;
  readonly headers: { get(name: string): string | null };
}

const perRequest = new WeakMap<RequestHead, Promise<ValidSession | null>>();

/** The signed-in session for this request, looked up once per request. */
export function getSession(request: RequestHead): Promise<ValidSession | null> {
  let pending = perRequest.get(request);
  if (!pending) {
    pending = validateSessionToken(getDb(), readCookie(request, sessionCookieName()), serverClock(), request.headers.get("user-agent") ?? "");
    perRequest.set(request, pending);
  }
  return pending;
}

export async function getOptionalUser(request: RequestHead): Promise<SessionUser | null> {
  return (await getSession(request))?.user ?? null;
}

/** Only a same-site path may be a post-login destination (no open redirects). */
const REDIRECT_BASE = "http://academy.invalid";

/**
 * Where to go after sign-in: only a path on this site. The target is parsed with the URL parser,
 * exactly as a browser would resolve it, and accepted only if it stays on our origin; what is
 * returned is the parser's own serialisation (ASCII, percent-encoded), so it is always a valid
 * Location header. Tabs and line breaks (which browsers strip, turning `/\t/evil.example` into
 * `//evil.example`), backslashes (read as `/`), other control characters, and paths that
 * normalise to `//host` (`/.//evil.example`) all fall back.
 */
export function safeRedirectPath(target: string | null | undefined, fallback = "/dashboard"): string {
  if (!target || target.length > 2048 || !target.startsWith("/")) return fallback;
  if (/[\u0000-\u0020\u007f\\]/.test(target)) return fallback;
  let url: URL;
  try {
    url = new URL(target, REDIRECT_BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== REDIRECT_BASE) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (!path.startsWith("/") || path.startsWith("//")) return fallback;
  return path;
}

/** The path and query of this request, for coming back to it. */
function here(request: RequestHead): string {
  const url = new URL(request.url);
  return encodeURIComponent(`${url.pathname}${url.search}`);
}

/** The signed-in person, or a redirect to sign-in; never sent on to set up a second factor. */
export async function requireSignedIn(request: RequestHead): Promise<SessionUser> {
  const user = await getOptionalUser(request);
  if (!user) throw redirect(`/login?redirectTo=${here(request)}`);
  return user;
}

/**
 * Whether this session may not open pages yet because the person is staff without a second
 * factor while the policy requires one (ADR 0032). The policy is read only for such sessions.
 */
export async function mustEnrolSecondFactor(session: ValidSession): Promise<boolean> {
  if (session.user.role === "trainer" || session.secondFactor) return false;
  return (await getPolicy(getDb())).twoFactorRequiredForStaff === 1;
}

/**
 * The signed-in person. Staff who must set up two-factor sign-in first are sent to do so: every
 * staff loader and action goes through here (requireRole too), so none opens before it is on.
 */
export async function requireUser(request: RequestHead): Promise<SessionUser> {
  const user = await requireSignedIn(request);
  const session = (await getSession(request))!;
  if (await mustEnrolSecondFactor(session)) throw redirect(`/account/two-factor?redirectTo=${here(request)}`);
  return user;
}

/** Throws a 403 response when the signed-in user has none of `roles`. */
export async function requireRole(request: RequestHead, ...roles: Role[]): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!roles.includes(user.role)) {
    throw new Response("You do not have permission to open this page.", { status: 403, statusText: "Forbidden" });
  }
  return user;
}

export async function requireAnonymous(request: RequestHead): Promise<void> {
  if (await getOptionalUser(request)) throw redirect("/dashboard");
}
