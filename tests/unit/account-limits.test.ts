import { beforeEach, describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { createFirstAdmin, createFirstAdminLink, requestPasswordReset, resetPassword } from "~/auth/accounts.server";
import { AccountLimits, PER_ACCOUNT_PER_HOUR, emailTarget, tokenTarget } from "~/auth/account-limits.server";
import { hashPassword } from "~/auth/password.server";
import { HOUR, MINUTE, addMs } from "~/utils/clock";
import { createTestDb, createUser } from "../helpers/db";

/** The real argon2 hash, counted: proves when the expensive step runs. */
function countingHash() {
  const calls = { count: 0 };
  const hash = async (password: string) => {
    calls.count += 1;
    return hashPassword(password);
  };
  return { calls, hash };
}

const now = new Date("2026-06-01T10:00:00Z");

describe("one-time links are checked before the new password is hashed", () => {
  let db: DB;
  beforeEach(async () => {
    db = await createTestDb();
  });

  it("a dead or guessed reset link costs no hashing; a good one hashes once and is used up", async () => {
    const user = await createUser(db);
    const { calls, hash } = countingHash();
    expect(await resetPassword(db, "abcdefgh.ijklmnop", "a new password", now, hash)).toBe(false);
    expect(await resetPassword(db, "not a token", "a new password", now, hash)).toBe(false);
    expect(calls.count).toBe(0);

    await requestPasswordReset(db, user.email, "http://localhost", now);
    const email = await db.selectFrom("email_outbox").select("body_text").orderBy("id", "desc").executeTakeFirstOrThrow();
    const token = /reset-password\/([a-z2-7]+\.[a-z2-7]+)/.exec(email.body_text)![1]!;
    expect(await resetPassword(db, token, "a new password", now, hash)).toBe(true);
    expect(calls.count).toBe(1);
    expect(await resetPassword(db, token, "another password", now, hash)).toBe(false);
    expect(calls.count).toBe(1);
  });

  it("a dead set-up link costs no hashing", async () => {
    const { calls, hash } = countingHash();
    const refused = await createFirstAdmin(db, "abcdefgh.ijklmnop", { name: "Ada", email: "ada@example.test", password: "a long password" }, now, hash);
    expect(refused).toMatchObject({ ok: false, status: 400 });
    expect(calls.count).toBe(0);
    const link = (await createFirstAdminLink(db, "http://localhost", now))!;
    const token = link.split("/setup/")[1]!;
    expect(await createFirstAdmin(db, token, { name: "Ada", email: "ada@example.test", password: "a long password" }, now, hash)).toMatchObject({ ok: true });
    expect(calls.count).toBe(1);
  });
});

describe("limits on the account endpoints", () => {
  let db: DB;
  beforeEach(async () => {
    db = await createTestDb();
  });

  it("limits attempts per address, across server processes, and the window ends after an hour", async () => {
    const processA = new AccountLimits(db, 4);
    const processB = new AccountLimits(db, 4);
    for (let i = 0; i < 4; i += 1) {
      expect(await (i % 2 ? processA : processB).attempt("signup", { ip: "203.0.113.7", target: `person${i}@example.test` }, now)).toBe(0);
    }
    const wait = await processA.attempt("signup", { ip: "203.0.113.7", target: "another@example.test" }, addMs(now, MINUTE));
    expect(wait).toBe(HOUR - MINUTE);
    // Another address is not affected; each endpoint counts on its own.
    expect(await processB.attempt("signup", { ip: "203.0.113.8", target: "another@example.test" }, now)).toBe(0);
    expect(await processB.attempt("password-reset-request", { ip: "203.0.113.7", target: "another@example.test" }, now)).toBe(0);
    expect(await processA.attempt("signup", { ip: "203.0.113.7", target: "later@example.test" }, addMs(now, HOUR))).toBe(0);
  });

  it("limits attempts per target account from any number of addresses (one victim's inbox, one link)", async () => {
    const limits = new AccountLimits(db, 1000);
    const target = emailTarget("  Victim@Example.TEST ");
    expect(target).toBe("victim@example.test");
    for (let i = 0; i < PER_ACCOUNT_PER_HOUR["password-reset-request"]; i += 1) {
      expect(await limits.attempt("password-reset-request", { ip: `198.51.100.${i}`, target }, now)).toBe(0);
    }
    expect(await limits.attempt("password-reset-request", { ip: "198.51.100.200", target: "victim@example.test" }, now)).toBeGreaterThan(0);

    const link = tokenTarget("abcdefgh234567.secretsecret");
    expect(link).toBe("abcdefgh234567");
    for (let i = 0; i < PER_ACCOUNT_PER_HOUR["password-reset"]; i += 1) expect(await limits.attempt("password-reset", { ip: `192.0.2.${i}`, target: link }, now)).toBe(0);
    expect(await limits.attempt("password-reset", { ip: "192.0.2.250", target: link }, now)).toBeGreaterThan(0);
  });

  it("a refused attempt is not counted, so waiting out the window is enough", async () => {
    const limits = new AccountLimits(db, 2);
    await limits.attempt("first-admin", { ip: "10.0.0.1", target: null }, now);
    await limits.attempt("first-admin", { ip: "10.0.0.1", target: null }, now);
    for (let i = 0; i < 5; i += 1) expect(await limits.attempt("first-admin", { ip: "10.0.0.1", target: null }, addMs(now, 30 * MINUTE))).toBe(30 * MINUTE);
    expect(await limits.attempt("first-admin", { ip: "10.0.0.1", target: null }, addMs(now, HOUR))).toBe(0);
  });
});
