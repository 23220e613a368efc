import type { DB } from "~db/connection";
import { MINUTE } from "~/utils/clock";
import { invalid, ok, tooMany, waitPhrase, type Result } from "~/utils/result";
import { DatabaseWindowCounter } from "./login-throttle.server";
import { verifyPassword } from "./password.server";

/**
 * Signed-in pages that ask for the password again before a serious change (changing the
 * password, asking for erasure). Wrong passwords there are counted per account in the shared
 * database counters, like sign-in failures: someone using a session left open cannot try
 * passwords without limit. A right password clears the count.
 */
export const CONFIRMATION_FAILURES_ALLOWED = 5;
export const CONFIRMATION_WINDOW_MS = 15 * MINUTE;

const counter = (db: DB) => new DatabaseWindowCounter(db, "password-confirmation", CONFIRMATION_FAILURES_ALLOWED, CONFIRMATION_WINDOW_MS);

/**
 * Checks `password` against the account's hash. Refuses with 429 (nothing checked) once the
 * account has had too many wrong ones in the window; a wrong one is a 400 on `field`.
 */
export async function confirmPassword(db: DB, user: { id: number; password_hash: string }, password: string, field: string, wrongMessage: string, now: Date): Promise<Result> {
  const failures = counter(db);
  const key = String(user.id);
  const wait = await failures.retryAfterMs(key, now);
  if (wait > 0) return tooMany(wait, `Too many wrong passwords. For your security, please wait ${waitPhrase(wait)} and try again, or sign out and reset your password.`);
  if (!(await verifyPassword(user.password_hash, password))) {
    await failures.record(key, now);
    return invalid({ [field]: wrongMessage });
  }
  await failures.reset(key);
  return ok();
}
