import type { DB } from "~db/connection";
import { compiledOnce } from "~db/compiled-once";
import type { Role } from "~db/schema";
import { HOUR, DAY, MINUTE, iso } from "~/utils/clock";
import { hashSecret, secretMatchesHash, splitToken } from "./crypto.server";
import { randomToken } from "~/utils/random.server";

/**
 * Sessions as the Lucia project prescribes since v3 was retired: the cookie carries
 * `id.secret`; the database keeps the id and a SHA-256 of the secret, never the secret itself.
 * A session ends after IDLE_TIMEOUT without activity or ABSOLUTE_LIFETIME after login,
 * whichever comes first, and every session of a user is deleted on password change, role
 * change or disabling (see invalidateUserSessions).
 */
export const IDLE_TIMEOUT_MS = 12 * HOUR;
export const ABSOLUTE_LIFETIME_MS = 7 * DAY;
/** Activity is written at most this often, so reading a page is not a database write. */
const ACTIVITY_WRITE_INTERVAL_MS = MINUTE;

export interface SessionUser {
  id: number;
  email: string;
  name: string;
  role: Role;
}

export interface ValidSession {
  sessionId: string;
  user: SessionUser;
  /** Whether the person has a confirmed second factor (ADR 0032): the staff guard needs it. */
  secondFactor: boolean;
}

export async function createSession(db: DB, userId: number, now: Date): Promise<string> {
  const id = randomToken();
  const secret = randomToken();
  await db
    .insertInto("session")
    .values({ id, secret_hash: hashSecret(secret), user_id: userId, created_at: iso(now), last_active_at: iso(now) })
    .execute();
  return `${id}.${secret}`;
}

/** The longest User-Agent kept: enough to describe a device, not a place to store anything. */
const USER_AGENT_MAX = 300;

/** A session and its user, by the session's id: built and compiled once, as it runs on every request (ADR 0053). */
const compiledSessionQuery = compiledOnce(
  (db: DB, sessionId: string) =>
    db
      .selectFrom("session")
      .innerJoin("user", "user.id", "session.user_id")
      .leftJoin("second_factor", "second_factor.user_id", "session.user_id")
      .select([
        "session.id as sessionId",
        "session.secret_hash",
        "session.created_at",
        "session.last_active_at",
        "session.user_agent",
        "user.id as userId",
        "user.email",
        "user.name",
        "user.role",
        "user.disabled_at",
        "second_factor.confirmed_at as secondFactorConfirmedAt",
      ])
      .where("session.id", "=", sessionId),
  () => "session",
);

/**
 * The session for a cookie token, or null. `userAgent` (the request's) is recorded with the
 * activity write, at most once a minute, or at once when the session has none yet: the account
 * page describes each session's device from it (ADR 0031). No extra query either way.
 */
export async function validateSessionToken(db: DB, token: string | null | undefined, now: Date, userAgent: string | null = null): Promise<ValidSession | null> {
  const parts = splitToken(token);
  if (!parts) return null;
  const row = (await db.executeQuery(compiledSessionQuery(db, null, parts.id))).rows[0];
  if (!row || !secretMatchesHash(parts.secret, row.secret_hash)) return null;

  const nowMs = now.getTime();
  const expired =
    nowMs - Date.parse(row.created_at) >= ABSOLUTE_LIFETIME_MS ||
    nowMs - Date.parse(row.last_active_at) >= IDLE_TIMEOUT_MS ||
    row.disabled_at !== null;
  if (expired) {
    await invalidateSession(db, row.sessionId);
    return null;
  }
  const agent = userAgent === null ? null : userAgent.slice(0, USER_AGENT_MAX);
  const firstSight = agent !== null && row.user_agent === null;
  if (firstSight || nowMs - Date.parse(row.last_active_at) >= ACTIVITY_WRITE_INTERVAL_MS) {
    await db
      .updateTable("session")
      .set({ last_active_at: iso(now), ...(agent === null ? {} : { user_agent: agent }) })
      .where("id", "=", row.sessionId)
      .execute();
  }
  return {
    sessionId: row.sessionId,
    user: { id: row.userId, email: row.email, name: row.name, role: row.role },
    secondFactor: row.secondFactorConfirmedAt !== null,
  };
}

export async function invalidateSession(db: DB, sessionId: string): Promise<void> {
  await db.deleteFrom("session").where("id", "=", sessionId).execute();
}

export interface SessionListing {
  id: string;
  userAgent: string | null;
  createdAt: string;
  lastActiveAt: string;
  current: boolean;
}

/** A person's live sessions, most recently used first (ADR 0031). Expired ones are not listed. */
export async function listSessions(db: DB, userId: number, currentSessionId: string, now: Date): Promise<SessionListing[]> {
  const rows = await db
    .selectFrom("session")
    .select(["id", "user_agent", "created_at", "last_active_at"])
    .where("user_id", "=", userId)
    .where("created_at", ">", iso(new Date(now.getTime() - ABSOLUTE_LIFETIME_MS)))
    .where("last_active_at", ">", iso(new Date(now.getTime() - IDLE_TIMEOUT_MS)))
    .orderBy("last_active_at", "desc")
    .limit(100)
    .execute();
  return rows.map((r) => ({ id: r.id, userAgent: r.user_agent, createdAt: r.created_at, lastActiveAt: r.last_active_at, current: r.id === currentSessionId }));
}

/** Ends one of the person's own sessions (never someone else's: the user id is part of the match). */
export async function endOwnSession(db: DB, userId: number, sessionId: string): Promise<boolean> {
  const result = await db.deleteFrom("session").where("id", "=", sessionId).where("user_id", "=", userId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Ends every session of the person except this one; returns how many. */
export async function endOtherSessions(db: DB, userId: number, currentSessionId: string): Promise<number> {
  const result = await db.deleteFrom("session").where("user_id", "=", userId).where("id", "<>", currentSessionId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function invalidateUserSessions(db: DB, userId: number): Promise<void> {
  await db.deleteFrom("session").where("user_id", "=", userId).execute();
}
