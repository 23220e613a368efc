import type { DB } from "~db/connection";
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

export async function validateSessionToken(db: DB, token: string | null | undefined, now: Date): Promise<ValidSession | null> {
  const parts = splitToken(token);
  if (!parts) return null;
  const row = await db
    .selectFrom("session")
    .innerJoin("user", "user.id", "session.user_id")
    .select([
      "session.id as sessionId",
      "session.secret_hash",
      "session.created_at",
      "session.last_active_at",
      "user.id as userId",
      "user.email",
      "user.name",
      "user.role",
      "user.disabled_at",
    ])
    .where("session.id", "=", parts.id)
    .executeTakeFirst();
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
  if (nowMs - Date.parse(row.last_active_at) >= ACTIVITY_WRITE_INTERVAL_MS) {
    await db.updateTable("session").set({ last_active_at: iso(now) }).where("id", "=", row.sessionId).execute();
  }
  return {
    sessionId: row.sessionId,
    user: { id: row.userId, email: row.email, name: row.name, role: row.role },
  };
}

export async function invalidateSession(db: DB, sessionId: string): Promise<void> {
  await db.deleteFrom("session").where("id", "=", sessionId).execute();
}

export async function invalidateUserSessions(db: DB, userId: number): Promise<void> {
  await db.deleteFrom("session").where("user_id", "=", userId).execute();
}
