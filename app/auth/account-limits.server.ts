import type { DB } from "~db/connection";
import { HOUR } from "~/utils/clock";
import { waitPhrase } from "~/utils/result";
import { DatabaseWindowCounter } from "./login-throttle.server";

/**
 * Limits on the account endpoints other than sign-in (which has its own throttle): creating an
 * account, asking for a password-reset email, using a reset link, using the first-administrator
 * link, confirming an email address, accepting an invitation. Every attempt counts, per client address (ACCOUNT_RATE_LIMIT_PER_HOUR) and per target
 * (the email address, or the link's token id), in the database counters the sign-in throttle
 * uses, so every server process shares them. This bounds the password hashing a stranger can
 * make the server do, the reset emails one address can be sent, and guesses at a link.
 */
export type AccountEndpoint = "signup" | "password-reset-request" | "password-reset" | "first-admin" | "email-confirmation" | "invitation";

/** Attempts per target account (email or link) per hour, for each endpoint. */
export const PER_ACCOUNT_PER_HOUR: Record<AccountEndpoint, number> = {
  signup: 5,
  "password-reset-request": 3,
  "password-reset": 10,
  "first-admin": 10,
  "email-confirmation": 10,
  invitation: 10,
};

/** The message a refused attempt shows, for the whole form. */
export function tooManyAttemptsMessage(endpoint: AccountEndpoint, retryAfterMs: number): string {
  const what: Record<AccountEndpoint, string> = {
    signup: "to create an account from this connection or with this email address",
    "password-reset-request": "to reset a password from this connection or for this email address",
    "password-reset": "to use this password-reset link",
    "first-admin": "to use this set-up link",
    "email-confirmation": "to use this confirmation link",
    invitation: "to use this invitation link",
  };
  return `There have been too many attempts ${what[endpoint]}. For your security, please wait ${waitPhrase(retryAfterMs)} and try again.`;
}

export interface AccountAttempt {
  ip: string;
  /** The email address or one-time link id the attempt is about; null when the form has none. */
  target: string | null;
}

export class AccountLimits {
  private readonly counters = new Map<string, DatabaseWindowCounter>();

  constructor(
    private readonly db: DB,
    private readonly perIpPerHour: number,
  ) {}

  private counter(endpoint: AccountEndpoint, by: "ip" | "target"): DatabaseWindowCounter {
    const scope = `${endpoint}-${by}`;
    let counter = this.counters.get(scope);
    if (!counter) {
      counter = new DatabaseWindowCounter(this.db, scope, by === "ip" ? this.perIpPerHour : PER_ACCOUNT_PER_HOUR[endpoint], HOUR);
      this.counters.set(scope, counter);
    }
    return counter;
  }

  /**
   * Counts an attempt, or refuses it: the milliseconds to wait (0 when it may go ahead). A refused
   * attempt is not counted, so waiting out the window is enough.
   */
  async attempt(endpoint: AccountEndpoint, attempt: AccountAttempt, now: Date): Promise<number> {
    const byIp = this.counter(endpoint, "ip");
    const byTarget = attempt.target ? this.counter(endpoint, "target") : null;
    const target = attempt.target?.slice(0, 254) ?? "";
    const wait = Math.max(await byIp.retryAfterMs(attempt.ip, now), byTarget ? await byTarget.retryAfterMs(target, now) : 0);
    if (wait > 0) return wait;
    await byIp.record(attempt.ip, now);
    if (byTarget) await byTarget.record(target, now);
    return 0;
  }
}

declare global {
  var __academyAccountLimits: AccountLimits | undefined;
}

export function getAccountLimits(db: DB, perIpPerHour: number): AccountLimits {
  globalThis.__academyAccountLimits ??= new AccountLimits(db, perIpPerHour);
  return globalThis.__academyAccountLimits;
}

/** The id part of a one-time link's token (`id.secret`), the key its attempts are counted under. */
export function tokenTarget(token: string | undefined): string | null {
  const id = (token ?? "").split(".")[0] ?? "";
  return /^[a-z2-7]{1,64}$/.test(id) ? id : null;
}

/** An email address as typed, normalised the way sign-up and sign-in store it. */
export function emailTarget(email: string | undefined): string | null {
  const normalised = (email ?? "").trim().toLowerCase();
  return normalised === "" ? null : normalised;
}
