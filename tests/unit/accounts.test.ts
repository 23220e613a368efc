import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import {
  WRONG_CREDENTIALS,
  changeUserRole,
  createFirstAdmin,
  createFirstAdminLink,
  requestPasswordReset,
  resetPassword,
  setUserDisabled,
  signIn,
  signUpTrainer,
} from "~/auth/accounts.server";
import { LoginThrottle } from "~/auth/login-throttle.server";
import { validateSessionToken } from "~/auth/session.server";
import { loginSchema, signUpSchema } from "~/auth/validation";
import { HOUR, MINUTE, addMs } from "~/utils/clock";
import { validate } from "~/utils/forms";
import { createTestDb, createUser } from "../helpers/db";

let db: DB;
const now = new Date("2026-04-01T10:00:00Z");

beforeAll(async () => {
  db = await createTestDb();
});

const countUsers = async () => Number((await db.selectFrom("user").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);

describe("sign-up", () => {
  it("creates a trainer whose password is stored as argon2id", async () => {
    const result = await signUpTrainer(db, { name: "Alex Trainer", email: "alex@example.test", password: "long enough password" }, now);
    expect(result.ok).toBe(true);
    const row = await db.selectFrom("user").selectAll().where("email", "=", "alex@example.test").executeTakeFirstOrThrow();
    expect(row.role).toBe("trainer");
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row.password_hash).not.toContain("long enough password");
  });

  it("refuses a duplicate email with a clear message and stores nothing", async () => {
    const before = await countUsers();
    const result = await signUpTrainer(db, { name: "Alex Again", email: "alex@example.test", password: "another password" }, now);
    expect(result).toEqual({ ok: false, status: 400, message: null, fieldErrors: { email: expect.stringContaining("already exists") } });
    expect(await countUsers()).toBe(before);
  });

  it("validates every field with a message next to it", () => {
    const empty = validate(signUpSchema, {});
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(Object.keys(empty.fieldErrors).sort()).toEqual(["email", "name", "password"]);
    const short = validate(signUpSchema, { name: "A", email: "a@b.test", password: "short", confirmPassword: "short" });
    expect(!short.ok && short.fieldErrors.password).toBe("Use at least 8 characters.");
    const long = validate(signUpSchema, { name: "A", email: "a@b.test", password: "x".repeat(257), confirmPassword: "x".repeat(257) });
    expect(!long.ok && long.fieldErrors.password).toBe("Use at most 256 characters.");
    const mismatch = validate(signUpSchema, { name: "A", email: "a@b.test", password: "12345678", confirmPassword: "87654321" });
    expect(!mismatch.ok && mismatch.fieldErrors.confirmPassword).toBe("The passwords do not match.");
    const badEmail = validate(signUpSchema, { name: "A", email: "not-an-email", password: "12345678", confirmPassword: "12345678" });
    expect(!badEmail.ok && badEmail.fieldErrors.email).toMatch(/email address like/);
  });

  it("rejects a 1 MB password at validation, before any hashing", () => {
    const result = validate(loginSchema, { email: "alex@example.test", password: "p".repeat(1024 * 1024) });
    expect(!result.ok && result.fieldErrors.password).toBe("Passwords are at most 256 characters.");
  });
});

describe("sign-in", () => {
  it("signs in with the right password and refuses a wrong one or an unknown email with the same message", async () => {
    const user = await createUser(db);
    const throttle = new LoginThrottle();
    const ok = await signIn(db, throttle, { email: user.email, password: user.password, ip: "10.0.0.1", deviceCookie: null }, now);
    expect(ok.ok).toBe(true);
    const wrong = await signIn(db, throttle, { email: user.email, password: "wrong password", ip: "10.0.0.1", deviceCookie: null }, now);
    const unknown = await signIn(db, throttle, { email: "nobody@example.test", password: "whatever1", ip: "10.0.0.1", deviceCookie: null }, now);
    expect(wrong).toEqual({ ok: false, formError: WRONG_CREDENTIALS });
    expect(unknown).toEqual({ ok: false, formError: WRONG_CREDENTIALS });
  });

  it("refuses a disabled account", async () => {
    const admin = await createUser(db, { role: "admin" });
    const user = await createUser(db);
    await setUserDisabled(db, admin.id, user.id, true, now);
    const result = await signIn(db, new LoginThrottle(), { email: user.email, password: user.password, ip: "10.0.0.2", deviceCookie: null }, now);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.formError).toMatch(/disabled/);
  });

  it("limits guessing per account, but the real user's browser with a device cookie still gets in", async () => {
    const user = await createUser(db);
    const throttle = new LoginThrottle({ accountLimit: 5, ipLimit: 1000 });
    const first = await signIn(db, throttle, { email: user.email, password: user.password, ip: "10.0.0.3", deviceCookie: null }, now);
    expect(first.ok).toBe(true);
    const device = first.ok ? first.deviceCookieValue : null;

    for (let i = 0; i < 5; i += 1) {
      await signIn(db, throttle, { email: user.email, password: `guess ${i} wrong`, ip: `192.0.2.${i}`, deviceCookie: null }, now);
    }
    const attacker = await signIn(db, throttle, { email: user.email, password: user.password, ip: "192.0.2.99", deviceCookie: null }, now);
    expect(attacker.ok).toBe(false);
    if (!attacker.ok) {
      expect(attacker.formError).toMatch(/Too many unsuccessful sign-in attempts/);
      expect(attacker.retryAfterMs).toBeGreaterThan(0);
    }
    const realUser = await signIn(db, throttle, { email: user.email, password: user.password, ip: "10.0.0.3", deviceCookie: device }, now);
    expect(realUser.ok).toBe(true);
    // The window passes and the account may be tried again from anywhere.
    const later = await signIn(db, throttle, { email: user.email, password: user.password, ip: "192.0.2.99", deviceCookie: null }, addMs(now, 16 * MINUTE));
    expect(later.ok).toBe(true);
  });

  it("keeps the counters in the database, shared by every server process, and restarts a window once it ends", async () => {
    const user = await createUser(db);
    const processA = new LoginThrottle({ db, accountLimit: 3, ipLimit: 1000 });
    const processB = new LoginThrottle({ db, accountLimit: 3, ipLimit: 1000 });
    for (let i = 0; i < 3; i += 1) {
      const throttle = i % 2 === 0 ? processA : processB;
      await signIn(db, throttle, { email: user.email, password: "wrong wrong", ip: `198.51.100.${i}`, deviceCookie: null }, now);
    }
    const blocked = await signIn(db, processB, { email: user.email, password: user.password, ip: "198.51.100.50", deviceCookie: null }, now);
    expect(blocked.ok).toBe(false);
    const stored = await db.selectFrom("login_throttle").selectAll().where("key", "=", `account:${user.email}`).executeTakeFirstOrThrow();
    expect(stored.count).toBe(3);
    // After the window, one more failure starts a new window at one.
    await signIn(db, processA, { email: user.email, password: "wrong again", ip: "198.51.100.51", deviceCookie: null }, addMs(now, 16 * MINUTE));
    expect((await db.selectFrom("login_throttle").select("count").where("key", "=", `account:${user.email}`).executeTakeFirstOrThrow()).count).toBe(1);
    const allowed = await signIn(db, processB, { email: user.email, password: user.password, ip: "198.51.100.52", deviceCookie: null }, addMs(now, 16 * MINUTE));
    expect(allowed.ok).toBe(true);
  });

  it("limits failures per IP address across accounts", async () => {
    const throttle = new LoginThrottle({ ipLimit: 3, accountLimit: 1000 });
    for (let i = 0; i < 3; i += 1) {
      await signIn(db, throttle, { email: `spray${i}@example.test`, password: "password1", ip: "203.0.113.7", deviceCookie: null }, now);
    }
    const user = await createUser(db);
    const blocked = await signIn(db, throttle, { email: user.email, password: user.password, ip: "203.0.113.7", deviceCookie: null }, now);
    expect(blocked.ok).toBe(false);
  });

  it("does not trust a forged device cookie or one issued to another account", async () => {
    const a = await createUser(db);
    const b = await createUser(db);
    const throttle = new LoginThrottle({ accountLimit: 1, ipLimit: 1000 });
    const signedA = await signIn(db, throttle, { email: a.email, password: a.password, ip: "10.1.1.1", deviceCookie: null }, now);
    const deviceOfA = signedA.ok ? signedA.deviceCookieValue : "";
    await signIn(db, throttle, { email: b.email, password: "wrong wrong", ip: "10.1.1.1", deviceCookie: null }, now);
    const withA = await signIn(db, throttle, { email: b.email, password: b.password, ip: "10.1.1.1", deviceCookie: deviceOfA }, now);
    expect(withA.ok).toBe(false);
    const forged = await signIn(db, throttle, { email: b.email, password: b.password, ip: "10.1.1.1", deviceCookie: `${b.id}.abc.def` }, now);
    expect(forged.ok).toBe(false);
  });
});

describe("one-time links", () => {
  it("the first-admin link works once, then is refused", async () => {
    const fresh = await createTestDb();
    const link = await createFirstAdminLink(fresh, "http://academy.test", now);
    expect(link).toMatch(/^http:\/\/academy\.test\/setup\/[a-z2-7]+\.[a-z2-7]+$/);
    const token = link!.split("/setup/")[1]!;
    const first = await createFirstAdmin(fresh, token, { name: "First Admin", email: "first@example.test", password: "first admin password" }, now);
    expect(first.ok).toBe(true);
    const second = await createFirstAdmin(fresh, token, { name: "Second", email: "second@example.test", password: "second admin password" }, now);
    expect(second.ok).toBe(false);
    expect(await createFirstAdminLink(fresh, "http://academy.test", now)).toBeNull();
    const admins = await fresh.selectFrom("user").select("email").where("role", "=", "admin").execute();
    expect(admins.map((a) => a.email)).toEqual(["first@example.test"]);
  });

  it("the first-admin link expires after 24 hours and a restart voids the old link", async () => {
    const fresh = await createTestDb();
    const old = (await createFirstAdminLink(fresh, "http://academy.test", now))!.split("/setup/")[1]!;
    const replacement = (await createFirstAdminLink(fresh, "http://academy.test", now))!.split("/setup/")[1]!;
    const input = { name: "Admin", email: "admin@example.test", password: "admin password 1" };
    expect((await createFirstAdmin(fresh, old, input, now)).ok).toBe(false);
    expect((await createFirstAdmin(fresh, replacement, input, addMs(now, 24 * HOUR))).ok).toBe(false);
    expect((await createFirstAdmin(fresh, replacement, input, addMs(now, 23 * HOUR))).ok).toBe(true);
  });

  it("a password reset goes through the outbox, works once, and signs out every session", async () => {
    const user = await createUser(db);
    const before = await signIn(db, new LoginThrottle(), { email: user.email, password: user.password, ip: "10.9.9.9", deviceCookie: null }, now);
    if (!before.ok) throw new Error("the seeded user could not sign in");
    expect(await validateSessionToken(db, before.sessionToken, now)).not.toBeNull();
    await requestPasswordReset(db, user.email, "http://academy.test", now);
    const email = await db.selectFrom("email_outbox").selectAll().where("to_address", "=", user.email).orderBy("id", "desc").executeTakeFirstOrThrow();
    // Delivery itself (SMTP, sent_at) is proven against a real SMTP server in outbox.test.ts.
    expect(email.subject).toMatch(/reset/i);
    const token = /reset-password\/([a-z2-7.]+)/.exec(email.body_text)![1]!;
    expect(await resetPassword(db, token, "a new password entirely", addMs(now, 10 * MINUTE))).toBe(true);
    expect(await resetPassword(db, token, "and another one again", addMs(now, 11 * MINUTE))).toBe(false);
    expect(await validateSessionToken(db, before.sessionToken, addMs(now, 12 * MINUTE))).toBeNull();
    const after = await signIn(db, new LoginThrottle(), { email: user.email, password: "a new password entirely", ip: "10.9.9.9", deviceCookie: null }, addMs(now, 12 * MINUTE));
    expect(after.ok).toBe(true);
  });

  it("a password reset link expires after an hour", async () => {
    const user = await createUser(db);
    await requestPasswordReset(db, user.email, "http://academy.test", now);
    const email = await db.selectFrom("email_outbox").selectAll().where("to_address", "=", user.email).executeTakeFirstOrThrow();
    const token = /reset-password\/([a-z2-7.]+)/.exec(email.body_text)![1]!;
    expect(await resetPassword(db, token, "too late password", addMs(now, HOUR + MINUTE))).toBe(false);
  });

  it("asking to reset an unknown address sends nothing and reveals nothing", async () => {
    const before = await db.selectFrom("email_outbox").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
    await expect(requestPasswordReset(db, "ghost@example.test", "http://academy.test", now)).resolves.toBeUndefined();
    const after = await db.selectFrom("email_outbox").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});

describe("administration and audit", () => {
  it("an admin cannot change their own role or disable themselves", async () => {
    const admin = await createUser(db, { role: "admin" });
    expect((await changeUserRole(db, admin.id, admin.id, "trainer", now)).ok).toBe(false);
    expect((await setUserDisabled(db, admin.id, admin.id, true, now)).ok).toBe(false);
  });

  it("records role changes in an audit trail that refuses updates and deletes", async () => {
    const admin = await createUser(db, { role: "admin" });
    const user = await createUser(db);
    await changeUserRole(db, admin.id, user.id, "assessor", now);
    const event = await db.selectFrom("audit_event").selectAll().where("action", "=", "account.role_changed").where("subject_id", "=", String(user.id)).executeTakeFirstOrThrow();
    expect(event.actor_user_id).toBe(admin.id);
    expect(JSON.parse(event.details)).toEqual({ from: "trainer", to: "assessor" });
    await expect(sql`UPDATE audit_event SET action = 'tampered' WHERE id = ${event.id}`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_event WHERE id = ${event.id}`.execute(db)).rejects.toThrow(/append-only/);
  });
});
