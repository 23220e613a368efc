import { createCipheriv, createDecipheriv, createHash, getRandomValues } from "node:crypto";
import { encodeBase32UpperCaseNoPadding } from "@oslojs/encoding";
import type { DB } from "~db/connection";
import type { Role } from "~db/schema";
import { recordAudit } from "~/audit/audit.server";
import { getPolicy } from "~/policy/policy.server";
import { getAppSecret } from "~/security/secrets.server";
import { MINUTE, iso } from "~/utils/clock";
import { invalid, ok, refuse, tooMany, waitPhrase, type Refusal, type Result } from "~/utils/result";
import { randomToken } from "~/utils/random.server";
import { hashSecret } from "./crypto.server";
import { DatabaseWindowCounter, type WindowCounter } from "./login-throttle.server";
import { confirmPassword } from "./password-confirmation.server";
import { endOtherSessions, invalidateUserSessions } from "./session.server";
import { TOTP_DRIFT_STEPS, keyUri, matchingStep } from "./totp.server";

/**
 * Two-factor sign-in with TOTP (issue 17 item 1, ADR 0032): enrolment (a secret shown once as a
 * QR code and as text, confirmed with a typed code), the second step at sign-in (a code from the
 * app, or one of ten single-use recovery codes), new recovery codes, turning it off (trainers, or
 * staff while the policy does not require it), and an administrator's reset.
 *
 * The secret is kept encrypted (AES-256-GCM, key in app_secret `totp_key`) so that it never
 * appears in a log, an export or a query result by accident; it is readable to the page only
 * while enrolment is unfinished.
 */
export const ENROLMENT_LIFETIME_MS = 15 * MINUTE;
export const RECOVERY_CODE_COUNT = 10;
/** Wrong second-step codes allowed per person per window (the password was right already). */
export const SECOND_FACTOR_LIMIT = 5;
export const SECOND_FACTOR_WINDOW_MS = 15 * MINUTE;

async function encryptionKey(db: DB): Promise<Buffer> {
  return createHash("sha256").update(await getAppSecret(db, "totp_key")).digest();
}

async function encryptKey(db: DB, key: Uint8Array): Promise<string> {
  const iv = new Uint8Array(12);
  getRandomValues(iv);
  const cipher = createCipheriv("aes-256-gcm", await encryptionKey(db), iv);
  const body = Buffer.concat([cipher.update(key), cipher.final()]);
  return [Buffer.from(iv), cipher.getAuthTag(), body].map((b) => b.toString("base64url")).join(".");
}

async function decryptKey(db: DB, stored: string): Promise<Uint8Array> {
  const [iv, tag, body] = stored.split(".").map((part) => Buffer.from(part, "base64url")) as [Buffer, Buffer, Buffer];
  const decipher = createDecipheriv("aes-256-gcm", await encryptionKey(db), iv);
  decipher.setAuthTag(tag);
  return new Uint8Array(Buffer.concat([decipher.update(body), decipher.final()]));
}

/** The key as people type it into an app: base32, in groups of four. */
export function formatSecret(key: Uint8Array): string {
  return encodeBase32UpperCaseNoPadding(key).replace(/(.{4})(?=.)/g, "$1 ");
}

export async function hasSecondFactor(db: DB, userId: number): Promise<boolean> {
  const row = await db.selectFrom("second_factor").select("user_id").where("user_id", "=", userId).where("confirmed_at", "is not", null).executeTakeFirst();
  return row !== undefined;
}

export type EnrolmentState =
  | { state: "on"; confirmedAt: string; recoveryCodesLeft: number }
  | { state: "enrolling"; secret: string; uri: string; startedAt: string }
  | { state: "off" };

/** What the enrolment page shows: the secret only while enrolment is unfinished and in time. */
export async function enrolmentState(db: DB, user: { id: number; email: string }, now: Date): Promise<EnrolmentState> {
  const row = await db.selectFrom("second_factor").selectAll().where("user_id", "=", user.id).executeTakeFirst();
  if (!row) return { state: "off" };
  if (row.confirmed_at !== null) {
    const left = await db.selectFrom("recovery_code").select((eb) => eb.fn.countAll<number>().as("n")).where("user_id", "=", user.id).where("used_at", "is", null).executeTakeFirstOrThrow();
    return { state: "on", confirmedAt: row.confirmed_at, recoveryCodesLeft: Number(left.n) };
  }
  if (now.getTime() - Date.parse(row.created_at) >= ENROLMENT_LIFETIME_MS) return { state: "off" };
  const key = await decryptKey(db, row.secret_encrypted);
  return { state: "enrolling", secret: formatSecret(key), uri: keyUri(key, user.email), startedAt: row.created_at };
}

/** Starts (or starts again) enrolment with a new secret; refused once a second factor is on. */
export async function startEnrolment(db: DB, userId: number, now: Date, key?: Uint8Array): Promise<Result> {
  if (await hasSecondFactor(db, userId)) return refuse(409, "Two-factor sign-in is already on for your account.");
  const raw = key ?? getRandomValues(new Uint8Array(20));
  const secret_encrypted = await encryptKey(db, raw);
  await db
    .insertInto("second_factor")
    .values({ user_id: userId, secret_encrypted, created_at: iso(now), confirmed_at: null })
    .onConflict((oc) => oc.column("user_id").doUpdateSet({ secret_encrypted, created_at: iso(now) }).where("second_factor.confirmed_at", "is", null))
    .execute();
  return ok();
}

export const WRONG_CODE = "That code is not right. Enter the 6-digit code your app shows now.";
export const REUSED_CODE = "That code has been used already. Wait for your app to show a new code, then enter it.";
export const ENROLMENT_EXPIRED = "This set-up has expired (it lasts 15 minutes). Start again to get a new QR code.";

function newRecoveryCode(): string {
  return randomToken(10).match(/.{4}/g)!.join("-");
}

/** Normalises what a person typed: spaces dropped, lower case. */
function normaliseCode(typed: string): string {
  return typed.replace(/\s+/g, "").toLowerCase();
}

/**
 * Confirms enrolment with a code from the app. On success the factor is on and the ten recovery
 * codes are returned, to be shown once; only their hashes are kept.
 */
export async function confirmEnrolment(db: DB, userId: number, typed: string, now: Date): Promise<Result<{ recoveryCodes: string[] }>> {
  const row = await db.selectFrom("second_factor").selectAll().where("user_id", "=", userId).executeTakeFirst();
  if (row?.confirmed_at) return refuse(409, "Two-factor sign-in is already on for your account.");
  // The form (and the secret) are gone from the page once set-up has expired: a message for the page.
  if (!row || now.getTime() - Date.parse(row.created_at) >= ENROLMENT_LIFETIME_MS) return refuse(400, ENROLMENT_EXPIRED);
  const step = matchingStep(await decryptKey(db, row.secret_encrypted), normaliseCode(typed), now);
  if (step === null) return invalid({ code: WRONG_CODE });
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  return db.transaction().execute(async (trx): Promise<Result<{ recoveryCodes: string[] }>> => {
    const confirmed = await trx
      .updateTable("second_factor")
      .set({ confirmed_at: iso(now) })
      .where("user_id", "=", userId)
      .where("confirmed_at", "is", null)
      .where("created_at", "=", row.created_at)
      .executeTakeFirst();
    if (Number(confirmed.numUpdatedRows) !== 1) return refuse(400, ENROLMENT_EXPIRED);
    await trx.deleteFrom("second_factor_used_step").where("user_id", "=", userId).execute();
    await trx.insertInto("second_factor_used_step").values({ user_id: userId, step }).execute();
    await trx.deleteFrom("recovery_code").where("user_id", "=", userId).execute();
    await trx.insertInto("recovery_code").values(codes.map((code) => ({ user_id: userId, code_hash: hashSecret(code), used_at: null }))).execute();
    await recordAudit(trx, { actorUserId: userId, action: "account.two_factor_enabled", subjectType: "user", subjectId: userId }, now);
    return ok({ recoveryCodes: codes });
  });
}

/** The second step's own throttle: wrong codes per person, shared by every server process. */
export function secondFactorCounter(db: DB): WindowCounter {
  return new DatabaseWindowCounter(db, "second-factor", SECOND_FACTOR_LIMIT, SECOND_FACTOR_WINDOW_MS);
}

export const TOO_MANY_CODES = "Too many wrong codes. For your security, please wait";

/** A 429 while this person's wrong second-factor codes are over the limit (sign-in, new codes, turning off share it). */
async function throttled(counter: WindowCounter, userId: number, now: Date): Promise<Refusal | null> {
  const wait = await counter.retryAfterMs(String(userId), now);
  return wait > 0 ? tooMany(wait, `${TOO_MANY_CODES} ${waitPhrase(wait)} before trying again.`) : null;
}

/**
 * Checks the second step at sign-in: a 6-digit code from the app (now, or one step either side,
 * and later than the last code used), or an unused recovery code (then used up).
 */
export async function verifySecondFactor(db: DB, counter: WindowCounter, userId: number, typed: string, now: Date): Promise<Result<{ usedRecoveryCode: boolean }>> {
  const key = String(userId);
  const blocked = await throttled(counter, userId, now);
  if (blocked) return blocked;
  const code = normaliseCode(typed);
  if (code === "") return invalid({ code: "Enter the 6-digit code from your app, or a recovery code." });
  const result = /^\d+$/.test(code) ? await useAppCode(db, userId, code, now) : await useRecoveryCode(db, userId, code, now);
  if (result.ok) await counter.reset(key);
  else await counter.record(key, now);
  return result;
}

async function useAppCode(db: DB, userId: number, code: string, now: Date): Promise<Result<{ usedRecoveryCode: boolean }>> {
  const row = await db.selectFrom("second_factor").select("secret_encrypted").where("user_id", "=", userId).where("confirmed_at", "is not", null).executeTakeFirst();
  if (!row) return invalid({ code: WRONG_CODE });
  const step = matchingStep(await decryptKey(db, row.secret_encrypted), code, now);
  if (step === null) return invalid({ code: WRONG_CODE });
  if (!(await markStepUsed(db, userId, step))) return invalid({ code: REUSED_CODE });
  return ok({ usedRecoveryCode: false });
}

/**
 * Records that the code of `step` has been used; false when it had been already (the primary key
 * decides, so two requests with one code cannot both pass). A set of steps, not "the last step":
 * a clock stepped back, or an older code typed after a newer one, still works once per code.
 * Steps outside the window of acceptable codes are forgotten.
 */
async function markStepUsed(db: DB, userId: number, step: number): Promise<boolean> {
  const inserted = await db.insertInto("second_factor_used_step").values({ user_id: userId, step }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) !== 1) return false;
  await db
    .deleteFrom("second_factor_used_step")
    .where("user_id", "=", userId)
    .where((eb) => eb.or([eb("step", "<", step - 2 * TOTP_DRIFT_STEPS - 1), eb("step", ">", step + 2 * TOTP_DRIFT_STEPS + 1)]))
    .execute();
  return true;
}

async function useRecoveryCode(db: DB, userId: number, code: string, now: Date): Promise<Result<{ usedRecoveryCode: boolean }>> {
  const dashed = code.replace(/-/g, "").match(/.{1,4}/g)?.join("-") ?? code;
  const used = await db
    .updateTable("recovery_code")
    .set({ used_at: iso(now) })
    .where("user_id", "=", userId)
    .where("code_hash", "=", hashSecret(dashed))
    .where("used_at", "is", null)
    .executeTakeFirst();
  if (Number(used.numUpdatedRows) !== 1) return invalid({ code: "That recovery code is not right, or has been used already. Each works once." });
  await recordAudit(db, { actorUserId: userId, action: "account.recovery_code_used", subjectType: "user", subjectId: userId }, now);
  return ok({ usedRecoveryCode: true });
}

export const NOT_ON = "Two-factor sign-in is not on for your account.";
export const STAFF_MUST_KEEP = "Staff accounts must use two-factor sign-in while the academy's policy requires it, so it cannot be turned off.";
export const APP_CODE_ONLY = "Enter the 6-digit code your app shows now (a recovery code cannot be used here).";

/**
 * Replaces a person's recovery codes with ten new ones (lost or used up), confirmed with a current
 * code from the app, never a recovery code: someone holding only an old recovery code must not be
 * able to mint new ones. Wrong codes count in the second step's own throttle (the same counter as
 * sign-in), a code works once, the old codes stop working in the same transaction, and the new
 * ones are returned to be shown once. Audited without any code.
 */
export async function regenerateRecoveryCodes(db: DB, counter: WindowCounter, userId: number, typed: string, now: Date): Promise<Result<{ recoveryCodes: string[] }>> {
  if (!(await hasSecondFactor(db, userId))) return refuse(409, NOT_ON);
  const blocked = await throttled(counter, userId, now);
  if (blocked) return blocked;
  const code = normaliseCode(typed);
  if (code === "") return invalid({ code: "Enter the 6-digit code your app shows now." });
  if (!/^\d+$/.test(code)) return invalid({ code: APP_CODE_ONLY });
  const used = await useAppCode(db, userId, code, now);
  if (!used.ok) {
    await counter.record(String(userId), now);
    return used;
  }
  await counter.reset(String(userId));
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  return db.transaction().execute(async (trx): Promise<Result<{ recoveryCodes: string[] }>> => {
    const old = await trx.deleteFrom("recovery_code").where("user_id", "=", userId).executeTakeFirst();
    await trx.insertInto("recovery_code").values(codes.map((c) => ({ user_id: userId, code_hash: hashSecret(c), used_at: null }))).execute();
    await recordAudit(trx, { actorUserId: userId, action: "account.recovery_codes_regenerated", subjectType: "user", subjectId: userId, details: { replaced: Number(old.numDeletedRows), made: RECOVERY_CODE_COUNT } }, now);
    return ok({ recoveryCodes: codes });
  });
}

/** Whether this person may turn their own second factor off: trainers, and staff only while the policy does not require it. */
export async function mayTurnOffSecondFactor(db: DB, role: Role): Promise<boolean> {
  return role === "trainer" || (await getPolicy(db)).twoFactorRequiredForStaff !== 1;
}

/**
 * A person turns their own second factor off, confirming with their password and a current code
 * (from the app, or a recovery code, as at sign-in: the same check and the same throttle; wrong
 * passwords count in the password-confirmation throttle). The key, the recovery codes and the
 * used steps are deleted, every other session of theirs ends (this one stays signed in), and it is
 * audited. Staff are refused (403, nothing checked or changed) while the policy requires it.
 */
export async function turnOffSecondFactor(
  db: DB,
  counter: WindowCounter,
  who: { userId: number; role: Role; sessionId: string },
  input: { password: string; code: string },
  now: Date,
): Promise<Result<{ otherSessionsEnded: number }>> {
  if (!(await mayTurnOffSecondFactor(db, who.role))) return refuse(403, STAFF_MUST_KEEP);
  if (!(await hasSecondFactor(db, who.userId))) return refuse(409, NOT_ON);
  const user = await db.selectFrom("user").select(["id", "password_hash"]).where("id", "=", who.userId).executeTakeFirstOrThrow();
  const blocked = await throttled(counter, who.userId, now);
  if (blocked) return blocked;
  if (input.password === "") return invalid({ password: "Enter your password." });
  if (normaliseCode(input.code) === "") return invalid({ code: "Enter the 6-digit code from your app, or a recovery code." });
  const password = await confirmPassword(db, user, input.password, "password", "That password is not right.", now);
  if (!password.ok) return password;
  const verified = await verifySecondFactor(db, counter, who.userId, input.code, now);
  if (!verified.ok) return verified;
  return db.transaction().execute(async (trx): Promise<Result<{ otherSessionsEnded: number }>> => {
    const removed = await trx.deleteFrom("second_factor").where("user_id", "=", who.userId).executeTakeFirst();
    // Two requests at once: the second finds nothing left to remove and changes nothing.
    if (Number(removed.numDeletedRows) !== 1) return refuse(409, NOT_ON);
    await trx.deleteFrom("second_factor_used_step").where("user_id", "=", who.userId).execute();
    await trx.deleteFrom("recovery_code").where("user_id", "=", who.userId).execute();
    const otherSessionsEnded = await endOtherSessions(trx, who.userId, who.sessionId);
    await recordAudit(
      trx,
      { actorUserId: who.userId, action: "account.two_factor_disabled", subjectType: "user", subjectId: who.userId, details: { confirmedWith: verified.value.usedRecoveryCode ? "recovery code" : "app code", otherSessionsEnded } },
      now,
    );
    return ok({ otherSessionsEnded });
  });
}

/**
 * An administrator removes another person's second factor (a lost phone): audited with the
 * reason, and every session of that person ends. They set it up again at their next sign-in.
 */
export async function resetSecondFactor(db: DB, actorId: number, userId: number, reason: string, now: Date): Promise<Result<{ name: string }>> {
  if (actorId === userId) return refuse(403, "You cannot reset your own two-factor sign-in. Ask another administrator.");
  return db.transaction().execute(async (trx): Promise<Result<{ name: string }>> => {
    const user = await trx.selectFrom("user").select(["id", "name"]).where("id", "=", userId).executeTakeFirst();
    if (!user) return refuse(404, "That account does not exist.");
    const removed = await trx.deleteFrom("second_factor").where("user_id", "=", userId).executeTakeFirst();
    await trx.deleteFrom("second_factor_used_step").where("user_id", "=", userId).execute();
    await trx.deleteFrom("recovery_code").where("user_id", "=", userId).execute();
    await invalidateUserSessions(trx, userId);
    await recordAudit(trx, { actorUserId: actorId, action: "account.two_factor_reset", subjectType: "user", subjectId: userId, details: { reason, hadSecondFactor: Number(removed.numDeletedRows) > 0 } }, now);
    return ok({ name: user.name });
  });
}

/**
 * Turns the second factor on with a key the caller already has, without the enrolment page: for
 * seeded test accounts only (scripts/lib/seed-accounts.ts `totpSecret`, like their passwords), so
 * end-to-end tests can compute codes. No recovery codes are made.
 */
export async function enrolKnownSecondFactor(db: DB, userId: number, key: Uint8Array, now: Date): Promise<void> {
  const secret_encrypted = await encryptKey(db, key);
  await db
    .insertInto("second_factor")
    .values({ user_id: userId, secret_encrypted, created_at: iso(now), confirmed_at: iso(now) })
    .onConflict((oc) => oc.column("user_id").doUpdateSet({ secret_encrypted, created_at: iso(now), confirmed_at: iso(now) }))
    .execute();
}
