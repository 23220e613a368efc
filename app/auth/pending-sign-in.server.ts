import { createHmac, timingSafeEqual } from "node:crypto";
import type { DB } from "~db/connection";
import { getAppSecret } from "~/security/secrets.server";
import { MINUTE } from "~/utils/clock";
import { randomToken } from "~/utils/random.server";

/**
 * Between the password and the second step (ADR 0032): not a session, only a signed note in a
 * short-lived cookie that this browser gave the right password for this account within the last
 * few minutes. It opens nothing but the second-step page; a session is created only when the
 * code is right.
 */
export const PENDING_SIGN_IN_LIFETIME_MS = 10 * MINUTE;

async function mac(db: DB, payload: string): Promise<string> {
  return createHmac("sha256", await getAppSecret(db, "pending_sign_in_key")).update(payload).digest("base64url");
}

export async function issuePendingSignIn(db: DB, userId: number, now: Date): Promise<string> {
  const payload = `${userId}.${now.getTime() + PENDING_SIGN_IN_LIFETIME_MS}.${randomToken(10)}`;
  return `${payload}.${await mac(db, payload)}`;
}

/** The account waiting for its second step, or null for a missing, forged or expired note. */
export async function readPendingSignIn(db: DB, value: string | null, now: Date): Promise<number | null> {
  if (!value || value.length > 200) return null;
  const parts = value.split(".");
  if (parts.length !== 4) return null;
  const [user, expires, nonce, presented] = parts as [string, string, string, string];
  const expected = Buffer.from(await mac(db, `${user}.${expires}.${nonce}`));
  const given = Buffer.from(presented);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  if (!/^\d+$/.test(user) || !/^\d+$/.test(expires) || Number(expires) <= now.getTime()) return null;
  return Number(user);
}
