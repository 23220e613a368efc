import { createHmac, timingSafeEqual } from "node:crypto";
import type { DB } from "~db/connection";
import { isUniqueViolation } from "~db/dialect";
import type { Role, User } from "~db/schema";
import { HOUR, iso } from "~/utils/clock";
import { recordAudit } from "~/audit/audit.server";
import { queueEmail } from "~/email/outbox.server";
import { getAppSecret } from "~/security/secrets.server";
import { createOneTimeToken, findUsableToken, markTokenUsed, voidUnusedTokens } from "./one-time-tokens.server";
import { randomToken } from "~/utils/random.server";
import type { LoginThrottle } from "./login-throttle.server";
import { confirmPassword } from "./password-confirmation.server";
import { hashPassword, verifyAgainstDummy, verifyPassword } from "./password.server";
import { createSession, invalidateUserSessions } from "./session.server";
import { issuePendingSignIn } from "./pending-sign-in.server";
import { hasSecondFactor } from "./two-factor.server";
import { invalid, ok, refuse, type Result } from "~/utils/result";


export async function findUserByEmail(db: DB, email: string): Promise<User | undefined> {
  return db.selectFrom("user").selectAll().where("email", "=", email).executeTakeFirst();
}

export async function signUpTrainer(
  db: DB,
  input: { name: string; email: string; password: string },
  now: Date,
): Promise<Result<{ userId: number; sessionToken: string }>> {
  const duplicate = invalid({ email: "An account with this email address already exists. Sign in instead, or reset your password." });
  if (await findUserByEmail(db, input.email)) return duplicate;
  const passwordHash = await hashPassword(input.password);
  try {
    const user = await db
      .insertInto("user")
      .values({ email: input.email, name: input.name, role: "trainer", password_hash: passwordHash, disabled_at: null, created_at: iso(now), updated_at: iso(now) })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(db, { actorUserId: user.id, action: "account.created", subjectType: "user", subjectId: user.id, details: { role: "trainer" } }, now);
    const sessionToken = await createSession(db, user.id, now);
    return ok({ userId: user.id, sessionToken });
  } catch (error) {
    if (isUniqueViolation(error)) return duplicate;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Device cookies: proof that this browser signed in to this account before.

async function deviceMac(db: DB, payload: string): Promise<string> {
  return createHmac("sha256", await getAppSecret(db, "device_cookie_key")).update(payload).digest("base64url");
}

export async function issueDeviceCookieValue(db: DB, userId: number): Promise<string> {
  const payload = `${userId}.${randomToken(16)}`;
  return `${payload}.${await deviceMac(db, payload)}`;
}

/** Returns the device id when the cookie is genuine and was issued to `userId`. */
export async function trustedDeviceId(db: DB, cookieValue: string | null, userId: number | undefined): Promise<string | null> {
  if (!cookieValue || userId === undefined || cookieValue.length > 200) return null;
  const parts = cookieValue.split(".");
  if (parts.length !== 3) return null;
  const [owner, nonce, mac] = parts as [string, string, string];
  if (owner !== String(userId)) return null;
  const expected = Buffer.from(await deviceMac(db, `${owner}.${nonce}`));
  const presented = Buffer.from(mac);
  return expected.length === presented.length && timingSafeEqual(expected, presented) ? `${owner}.${nonce}` : null;
}

// ---------------------------------------------------------------------------------------------

/**
 * A right password either signs in (a session) or, for a person with a second factor, leads to
 * the second step: no session yet, only the signed note `pendingSignIn` (ADR 0032).
 */
export type SignInResult =
  | { ok: true; user: User; sessionToken: string; pendingSignIn: null; deviceCookieValue: string }
  | { ok: true; user: User; sessionToken: null; pendingSignIn: string; deviceCookieValue: string }
  | { ok: false; formError: string; retryAfterMs?: number };

export const WRONG_CREDENTIALS = "The email address or password is not right. Check them and try again.";

export async function signIn(
  db: DB,
  throttle: LoginThrottle,
  input: { email: string; password: string; ip: string; deviceCookie: string | null },
  now: Date,
): Promise<SignInResult> {
  const user = await findUserByEmail(db, input.email);
  const keys = { ip: input.ip, email: input.email, trustedDeviceId: await trustedDeviceId(db, input.deviceCookie, user?.id) };
  const wait = await throttle.retryAfterMs(keys, now);
  if (wait > 0) {
    const minutes = Math.max(1, Math.ceil(wait / 60_000));
    return {
      ok: false,
      retryAfterMs: wait,
      formError: `Too many unsuccessful sign-in attempts. For your security, please wait ${minutes} minute${minutes === 1 ? "" : "s"} before trying again, or reset your password.`,
    };
  }
  const passwordOk = user ? await verifyPassword(user.password_hash, input.password) : await verifyAgainstDummy(input.password);
  if (!user || !passwordOk) {
    await throttle.recordFailure(keys, now);
    return { ok: false, formError: WRONG_CREDENTIALS };
  }
  if (user.disabled_at) {
    return { ok: false, formError: "This account has been disabled. Contact an administrator if you think this is a mistake." };
  }
  await throttle.recordSuccess(keys);
  const deviceCookieValue = keys.trustedDeviceId ? (input.deviceCookie as string) : await issueDeviceCookieValue(db, user.id);
  if (await hasSecondFactor(db, user.id)) {
    return { ok: true, user, sessionToken: null, pendingSignIn: await issuePendingSignIn(db, user.id, now), deviceCookieValue };
  }
  const sessionToken = await createSession(db, user.id, now);
  return { ok: true, user, sessionToken, pendingSignIn: null, deviceCookieValue };
}

export async function changePassword(
  db: DB,
  userId: number,
  input: { currentPassword: string; newPassword: string },
  now: Date,
): Promise<Result<{ sessionToken: string }>> {
  const user = await db.selectFrom("user").selectAll().where("id", "=", userId).executeTakeFirstOrThrow();
  const confirmed = await confirmPassword(db, user, input.currentPassword, "currentPassword", "Your current password is not right.", now);
  if (!confirmed.ok) return confirmed;
  const passwordHash = await hashPassword(input.newPassword);
  const sessionToken = await db.transaction().execute(async (trx) => {
    await trx.updateTable("user").set({ password_hash: passwordHash, updated_at: iso(now) }).where("id", "=", userId).execute();
    await invalidateUserSessions(trx, userId);
    await recordAudit(trx, { actorUserId: userId, action: "account.password_changed", subjectType: "user", subjectId: userId }, now);
    return createSession(trx, userId, now);
  });
  return ok({ sessionToken });
}

// ---------------------------------------------------------------------------------------------
// One-time links: password reset (1 hour) and first-admin set-up (24 hours).

export const PASSWORD_RESET_LIFETIME_MS = HOUR;
export const FIRST_ADMIN_LIFETIME_MS = 24 * HOUR;

/** Always looks the same to the requester, whether or not the account exists. */
export async function requestPasswordReset(db: DB, email: string, baseUrl: string, now: Date): Promise<void> {
  const user = await findUserByEmail(db, email);
  if (!user || user.disabled_at) return;
  await voidUnusedTokens(db, "password_reset", user.id, now);
  const token = await createOneTimeToken(db, "password_reset", user.id, PASSWORD_RESET_LIFETIME_MS, now);
  await queueEmail(
    db,
    {
      to: user.email,
      subject: "Reset your Approved Trainer Academy password",
      text: `Hello ${user.name},\n\nSomeone (hopefully you) asked to reset the password for this account.\nOpen this link within one hour to choose a new password:\n\n${baseUrl}/reset-password/${token}\n\nIf you did not ask for this, you can ignore this email; your password has not changed.\n`,
    },
    now,
  );
}

/**
 * Sets a new password through a reset link. The link is checked before the password is hashed,
 * so a dead or guessed link costs no hashing; it is checked again, and used up, in the
 * transaction that changes the password (two tabs cannot both use it).
 */
export async function resetPassword(db: DB, token: string, password: string, now: Date, hash: (password: string) => Promise<string> = hashPassword): Promise<boolean> {
  if (!(await findUsableToken(db, token, "password_reset", now))) return false;
  const passwordHash = await hash(password);
  return db.transaction().execute(async (trx) => {
    const row = await findUsableToken(trx, token, "password_reset", now);
    if (!row || row.user_id === null) return false;
    await markTokenUsed(trx, row.id, now);
    await trx.updateTable("user").set({ password_hash: passwordHash, updated_at: iso(now) }).where("id", "=", row.user_id).execute();
    await invalidateUserSessions(trx, row.user_id);
    await recordAudit(trx, { actorUserId: row.user_id, action: "account.password_reset", subjectType: "user", subjectId: row.user_id }, now);
    return true;
  });
}

export async function adminExists(db: DB): Promise<boolean> {
  const row = await db.selectFrom("user").select("id").where("role", "=", "admin").limit(1).executeTakeFirst();
  return row !== undefined;
}

/**
 * On a database with no administrator, creates a fresh one-time set-up link (and voids any
 * earlier unused one). Returns null when an administrator already exists.
 */
export async function createFirstAdminLink(db: DB, baseUrl: string, now: Date): Promise<string | null> {
  if (await adminExists(db)) return null;
  await voidUnusedTokens(db, "first_admin", null, now);
  const token = await createOneTimeToken(db, "first_admin", null, FIRST_ADMIN_LIFETIME_MS, now);
  return `${baseUrl}/setup/${token}`;
}

export async function createFirstAdmin(
  db: DB,
  token: string,
  input: { name: string; email: string; password: string },
  now: Date,
  hash: (password: string) => Promise<string> = hashPassword,
): Promise<Result<{ userId: number; sessionToken: string }>> {
  // The link is checked before the password is hashed (a dead link costs no hashing), and again
  // in the transaction that uses it up.
  const linkRefused = refuse(400, "This set-up link is not valid: it has been used, has expired, or an administrator already exists.");
  if (!(await findUsableToken(db, token, "first_admin", now)) || (await adminExists(db))) return linkRefused;
  const passwordHash = await hash(input.password);
  return db.transaction().execute(async (trx): Promise<Result<{ userId: number; sessionToken: string }>> => {
    const row = await findUsableToken(trx, token, "first_admin", now);
    if (!row || (await adminExists(trx))) return linkRefused;
    if (await findUserByEmail(trx, input.email)) {
      return invalid({ email: "An account with this email address already exists." });
    }
    await markTokenUsed(trx, row.id, now);
    const user = await trx
      .insertInto("user")
      .values({ email: input.email, name: input.name, role: "admin", password_hash: passwordHash, disabled_at: null, created_at: iso(now), updated_at: iso(now) })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { actorUserId: user.id, action: "account.first_admin_created", subjectType: "user", subjectId: user.id }, now);
    const sessionToken = await createSession(trx, user.id, now);
    return ok({ userId: user.id, sessionToken });
  });
}

// ---------------------------------------------------------------------------------------------
// Administration of accounts.

/** Changes a user's role (never one's own); returns the user's name, for the notice that names them. */
/** An account erased at its owner's request (ADR 0034) stays closed: it is never re-enabled or given a role. */
const ERASED_ACCOUNT = "This account was closed and its data erased at the person's request; it cannot be changed or re-enabled.";

export async function changeUserRole(db: DB, actorId: number, userId: number, role: Role, now: Date): Promise<Result<{ name: string; changed: boolean }>> {
  if (actorId === userId) return refuse(403, "You cannot change your own role. Ask another administrator.");
  return db.transaction().execute(async (trx): Promise<Result<{ name: string; changed: boolean }>> => {
    const user = await trx.selectFrom("user").select(["id", "role", "name", "erased_at"]).where("id", "=", userId).executeTakeFirst();
    if (!user) return refuse(404, "That account does not exist.");
    if (user.erased_at) return refuse(409, ERASED_ACCOUNT);
    if (user.role === role) return ok({ name: user.name, changed: false });
    await trx.updateTable("user").set({ role, updated_at: iso(now) }).where("id", "=", userId).execute();
    await invalidateUserSessions(trx, userId);
    await recordAudit(trx, { actorUserId: actorId, action: "account.role_changed", subjectType: "user", subjectId: userId, details: { from: user.role, to: role } }, now);
    return ok({ name: user.name, changed: true });
  });
}

export async function setUserDisabled(db: DB, actorId: number, userId: number, disabled: boolean, now: Date): Promise<Result> {
  if (actorId === userId) return refuse(403, "You cannot disable your own account.");
  return db.transaction().execute(async (trx): Promise<Result> => {
    const user = await trx.selectFrom("user").select(["id", "disabled_at", "erased_at"]).where("id", "=", userId).executeTakeFirst();
    if (!user) return refuse(404, "That account does not exist.");
    if (user.erased_at) return refuse(409, ERASED_ACCOUNT);
    if ((user.disabled_at !== null) === disabled) return ok();
    await trx.updateTable("user").set({ disabled_at: disabled ? iso(now) : null, updated_at: iso(now) }).where("id", "=", userId).execute();
    if (disabled) await invalidateUserSessions(trx, userId);
    await recordAudit(trx, { actorUserId: actorId, action: disabled ? "account.disabled" : "account.enabled", subjectType: "user", subjectId: userId }, now);
    return ok();
  });
}
