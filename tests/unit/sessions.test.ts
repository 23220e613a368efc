import { beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { changePassword, changeUserRole, setUserDisabled } from "~/auth/accounts.server";
import { ABSOLUTE_LIFETIME_MS, IDLE_TIMEOUT_MS, createSession, invalidateSession, validateSessionToken } from "~/auth/session.server";
import { HOUR, MINUTE, addMs } from "~/utils/clock";
import { createTestDb, createUser } from "../helpers/db";

let db: DB;
const t0 = new Date("2026-03-01T08:00:00Z");

beforeAll(async () => {
  db = await createTestDb();
});

describe("sessions", () => {
  it("accepts the token it issued and identifies the user", async () => {
    const user = await createUser(db);
    const token = await createSession(db, user.id, t0);
    const session = await validateSessionToken(db, token, addMs(t0, MINUTE));
    expect(session?.user.id).toBe(user.id);
  });

  it("stores only a SHA-256 hash of the session secret, never the secret", async () => {
    const user = await createUser(db);
    const token = await createSession(db, user.id, t0);
    const [id, secret] = token.split(".") as [string, string];
    const row = await db.selectFrom("session").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(secret);
  });

  it("refuses a token whose secret was tampered with, or which is malformed", async () => {
    const user = await createUser(db);
    const token = await createSession(db, user.id, t0);
    const [id] = token.split(".") as [string, string];
    expect(await validateSessionToken(db, `${id}.${"a".repeat(32)}`, t0)).toBeNull();
    expect(await validateSessionToken(db, "not-a-token", t0)).toBeNull();
    expect(await validateSessionToken(db, "", t0)).toBeNull();
    expect(await validateSessionToken(db, null, t0)).toBeNull();
  });

  it("stops working after logout", async () => {
    const user = await createUser(db);
    const token = await createSession(db, user.id, t0);
    const session = await validateSessionToken(db, token, t0);
    await invalidateSession(db, session!.sessionId);
    expect(await validateSessionToken(db, token, t0)).toBeNull();
  });

  it("expires exactly the idle timeout after the last activity, and activity slides the window", async () => {
    const user = await createUser(db);
    // Each probe uses its own session: a successful check is itself activity.
    const fresh = () => createSession(db, user.id, t0);
    expect(await validateSessionToken(db, await fresh(), addMs(t0, IDLE_TIMEOUT_MS - 1))).not.toBeNull();
    expect(await validateSessionToken(db, await fresh(), addMs(t0, IDLE_TIMEOUT_MS))).toBeNull();
    // Activity at t1 moves the deadline to exactly t1 + the idle timeout.
    const t1 = addMs(t0, IDLE_TIMEOUT_MS - MINUTE);
    const active = async () => {
      const token = await fresh();
      expect(await validateSessionToken(db, token, t1)).not.toBeNull();
      return token;
    };
    expect(await validateSessionToken(db, await active(), addMs(t1, IDLE_TIMEOUT_MS - 1))).not.toBeNull();
    expect(await validateSessionToken(db, await active(), addMs(t1, IDLE_TIMEOUT_MS))).toBeNull();
  });

  it("expires after the absolute lifetime even with constant activity", async () => {
    const user = await createUser(db);
    const token = await createSession(db, user.id, t0);
    // Activity every 6 hours (well inside the idle timeout) up to the last moment of the lifetime.
    for (let at = 6 * HOUR; at < ABSOLUTE_LIFETIME_MS; at += 6 * HOUR) expect(await validateSessionToken(db, token, addMs(t0, at))).not.toBeNull();
    expect(await validateSessionToken(db, token, addMs(t0, ABSOLUTE_LIFETIME_MS - 1))).not.toBeNull();
    expect(await validateSessionToken(db, token, addMs(t0, ABSOLUTE_LIFETIME_MS))).toBeNull();
    // And the row is gone, not merely refused.
    const [id] = token.split(".") as [string, string];
    expect(await db.selectFrom("session").select("id").where("id", "=", id).executeTakeFirst()).toBeUndefined();
  });

  it("ends every session of a user who changes their password, except the new one", async () => {
    const user = await createUser(db);
    const elsewhere = await createSession(db, user.id, t0);
    const result = await changePassword(db, user.id, { currentPassword: user.password, newPassword: "a brand new passphrase" }, t0);
    if (!result.ok) throw new Error("the password change was refused");
    expect(await validateSessionToken(db, elsewhere, t0)).toBeNull();
    expect(await validateSessionToken(db, result.value.sessionToken, t0)).not.toBeNull();
  });

  it("ends every session of a user whose account is disabled or whose role changes", async () => {
    const admin = await createUser(db, { role: "admin" });
    const a = await createUser(db);
    const b = await createUser(db);
    const tokenA = await createSession(db, a.id, t0);
    const tokenB = await createSession(db, b.id, t0);
    expect((await setUserDisabled(db, admin.id, a.id, true, t0)).ok).toBe(true);
    expect(await validateSessionToken(db, tokenA, t0)).toBeNull();
    expect((await changeUserRole(db, admin.id, b.id, "assessor", t0)).ok).toBe(true);
    expect(await validateSessionToken(db, tokenB, t0)).toBeNull();
  });
});
