import { data, type HeadersFunction } from "@remix-run/node";

/**
 * One result type for every domain command and query (style-by-comparison §3).
 *
 * A refusal carries the HTTP status the route answers with, a message for the whole form (or
 * page), and messages for single fields. Field errors and the form's message are kept apart:
 * `ErrorSummary` shows `message`, each field shows its own entry in `fieldErrors`.
 */
export type RefusalStatus = 400 | 403 | 404 | 409 | 429;

/** `retryAfterMs` is set on a 429 alone (made by `tooMany`): how long until the action may be tried again. */
export type Refusal = { ok: false; status: RefusalStatus; message: string | null; fieldErrors: Record<string, string>; retryAfterMs?: number };

export type Success<T> = { ok: true; value: T };

export type Result<T = null> = Success<T> | Refusal;

export function ok(): Success<null>;
export function ok<T>(value: T): Success<T>;
export function ok<T>(value?: T): Success<T | null> {
  return { ok: true, value: value === undefined ? null : value };
}

/** A refusal with a message for the whole request (and, optionally, messages for fields). A 429 is made by `tooMany`. */
export function refuse(status: Exclude<RefusalStatus, 429>, message: string | null, fieldErrors: Record<string, string> = {}): Refusal {
  return { ok: false, status, message, fieldErrors };
}

/** Too many attempts: 429, a message for the whole form, and the wait, which reaches the client as `Retry-After`. */
export function tooMany(retryAfterMs: number, message: string): Refusal {
  return { ok: false, status: 429, message, fieldErrors: {}, retryAfterMs };
}

/** Input that does not pass validation: 400, with a message per field. */
export function invalid(fieldErrors: Record<string, string>, message: string | null = null): Refusal {
  return { ok: false, status: 400, message, fieldErrors };
}

/**
 * What an action returns for a refusal: the form's message and the field messages, with the
 * status, plus anything the page needs to show the form again (`extra`, such as typed values).
 * A 429 carries `Retry-After` in whole seconds; a route that can answer one exports
 * `headers = passRetryAfter`, so the header reaches the browser on document requests too.
 */
export function replyRefusal<E extends Record<string, unknown> = Record<never, never>>(refusal: Refusal, extra?: E) {
  const headers = refusal.retryAfterMs === undefined ? undefined : { "Retry-After": retryAfterSeconds(refusal.retryAfterMs) };
  return data({ ...(extra as E), message: refusal.message, fieldErrors: refusal.fieldErrors }, { status: refusal.status, headers });
}

/** `Retry-After`'s value: whole seconds, rounded up, at least one. */
export function retryAfterSeconds(retryAfterMs: number): string {
  return String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
}

/** For loaders: the value, or a thrown `Response` that the error boundary shows for the status. */
export function orThrow<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new Response(result.message ?? "", { status: result.status });
}

/** "Please wait 3 minutes", rounded up, at least one minute. */
export function waitPhrase(retryAfterMs: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/** What a rate-limited action returns (`tooMany`, replied): 429 with `Retry-After`, and `extra` for the page. */
export function replyTooManyAttempts<E extends Record<string, unknown> = Record<never, never>>(retryAfterMs: number, message: string, extra?: E) {
  return replyRefusal(tooMany(retryAfterMs, message), extra);
}

/** A route's `headers`: passes its action's `Retry-After` on (Remix keeps only cookies otherwise). */
export const passRetryAfter: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
};
