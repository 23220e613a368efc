import { data } from "@remix-run/node";

/**
 * One result type for every domain command and query (style-by-comparison §3).
 *
 * A refusal carries the HTTP status the route answers with, a message for the whole form (or
 * page), and messages for single fields. Field errors and the form's message are kept apart:
 * `ErrorSummary` shows `message`, each field shows its own entry in `fieldErrors`.
 */
export type RefusalStatus = 400 | 403 | 404 | 409 | 429;

export type Refusal = { ok: false; status: RefusalStatus; message: string | null; fieldErrors: Record<string, string> };

export type Success<T> = { ok: true; value: T };

export type Result<T = null> = Success<T> | Refusal;

export function ok(): Success<null>;
export function ok<T>(value: T): Success<T>;
export function ok<T>(value?: T): Success<T | null> {
  return { ok: true, value: value === undefined ? null : value };
}

/** A refusal with a message for the whole request (and, optionally, messages for fields). */
export function refuse(status: RefusalStatus, message: string | null, fieldErrors: Record<string, string> = {}): Refusal {
  return { ok: false, status, message, fieldErrors };
}

/** Input that does not pass validation: 400, with a message per field. */
export function invalid(fieldErrors: Record<string, string>, message: string | null = null): Refusal {
  return { ok: false, status: 400, message, fieldErrors };
}

/**
 * What an action returns for a refusal: the form's message and the field messages, with the
 * status, plus anything the page needs to show the form again (`extra`, such as typed values).
 */
export function replyRefusal<E extends Record<string, unknown> = Record<never, never>>(refusal: Refusal, extra?: E) {
  return data({ ...(extra as E), message: refusal.message, fieldErrors: refusal.fieldErrors }, { status: refusal.status });
}

/** For loaders: the value, or a thrown `Response` that the error boundary shows for the status. */
export function orThrow<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new Response(result.message ?? "", { status: result.status });
}
