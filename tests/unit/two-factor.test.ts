/**
 * Two-factor sign-in (issue 17 item 1, ADR 0032): TOTP against the RFC 6238 test vectors and one
 * step of drift; enrolment (wrong code, expired set-up, recovery codes shown once and kept only
 * hashed, the secret never readable again); the second step (replay refused, a recovery code
 * works once, its own throttle shared across processes); staff without a second factor reach no
 * staff page; an admin's reset is audited and signs the person out everywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import type { DB } from "~db/connection";
import { signIn } from "~/auth/accounts.server";
import { sessionCookieName } from "~/auth/cookies.server";
import { requireRole, requireUser } from "~/auth/guards.server";
import { LoginThrottle } from "~/auth/login-throttle.server";
import { readPendingSignIn } from "~/auth/pending-sign-in.server";
import { createSession, validateSessionToken } from "~/auth/session.server";
import { matchingStep, timeStep, totpAt } from "~/auth/totp.server";
import {
  ENROLMENT_EXPIRED,
  ENROLMENT_LIFETIME_MS,
  REUSED_CODE,
  SECOND_FACTOR_LIMIT,
  SECOND_FACTOR_WINDOW_MS,
  WRONG_CODE,
  confirmEnrolment,
  enrolKnownSecondFactor,
  enrolmentState,
  hasSecondFactor,
  resetSecondFactor,
  secondFactorCounter,
  startEnrolment,
  verifySecondFactor,
} from "~/auth/two-factor.server";
import { updatePolicy, getPolicy } from "~/policy/policy.server";
import { loader as adminUsersLoader } from "~/routes/admin.users";
import { loader as markingLoader } from "~/routes/marking._index";
import { addMs, MINUTE } from "~/utils/clock";
import { createTestDb, createUser } from "../helpers/db";

const RFC_KEY = new TextEncoder().encode("12345678901234567890");
const at = (unixSeconds: number) => new Date(unixSeconds * 1000);

describe("TOTP (RFC 6238, HMAC-SHA-1, 30-second steps)", () => {
  const vectors: [number, string][] = [
    [59, "94287082"],
    [1111111109, "07081804"],
    [1111111111, "14050471"],
    [1234567890, "89005924"],
    [2000000000, "69279037"],
    [20000000000, "65353130"],
  ];
  it("gives the RFC's 8-digit codes, and their last 6 digits with 6 digits", () => {
    for (const [seconds, code] of vectors) {
      expect(totpAt(RFC_KEY, at(seconds), 8), String(seconds)).toBe(code);
      expect(totpAt(RFC_KEY, at(seconds)), String(seconds)).toBe(code.slice(2));
    }
  });

  it("accepts the code of one step before or after now, not two", () => {
    const now = at(1111111111);
    const step = timeStep(now);
    expect(matchingStep(RFC_KEY, totpAt(RFC_KEY, now), now)).toBe(step);
    expect(matchingStep(RFC_KEY, totpAt(RFC_KEY, addMs(now, -30_000)), now)).toBe(step - 1);
    expect(matchingStep(RFC_KEY, totpAt(RFC_KEY, addMs(now, 30_000)), now)).toBe(step + 1);
    expect(matchingStep(RFC_KEY, totpAt(RFC_KEY, addMs(now, -60_000)), now)).toBeNull();
    expect(matchingStep(RFC_KEY, totpAt(RFC_KEY, addMs(now, 60_000)), now)).toBeNull();
    expect(matchingStep(RFC_KEY, "12345", now)).toBeNull();
    expect(matchingStep(RFC_KEY, "abcdef", now)).toBeNull();
  });
});

describe("two-factor sign-in", () => {
  let db: DB;
  const now = new Date("2026-12-01T10:00:00Z");
  const code = (key: Uint8Array, when: Date) => totpAt(key, when);

  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(() => db.destroy());

  async function enrolThroughThePage(userId: number, email: string, when = now) {
    expect((await startEnrolment(db, userId, when)).ok).toBe(true);
    const state = await enrolmentState(db, { id: userId, email }, when);
    if (state.state !== "enrolling") throw new Error("not enrolling");
    expect(state.uri).toContain("otpauth://totp/");
    return decodeBase32IgnorePadding(state.secret.replace(/\s+/g, ""));
  }

  it("enrolment: a wrong code or an expired set-up changes nothing; the right code turns it on with ten recovery codes, kept only as hashes", async () => {
    const user = await createUser(db, { role: "assessor" });
    const key = await enrolThroughThePage(user.id, user.email);
    const wrong = await confirmEnrolment(db, user.id, "000000" === code(key, now) ? "111111" : "000000", now);
    expect(wrong).toMatchObject({ ok: false, status: 400, fieldErrors: { code: WRONG_CODE } });
    expect(await hasSecondFactor(db, user.id)).toBe(false);

    const late = addMs(now, ENROLMENT_LIFETIME_MS);
    expect(await confirmEnrolment(db, user.id, code(key, late), late)).toMatchObject({ ok: false, status: 400, message: ENROLMENT_EXPIRED });
    expect(await hasSecondFactor(db, user.id)).toBe(false);
    expect((await enrolmentState(db, user, late)).state).toBe("off");

    const confirmed = await confirmEnrolment(db, user.id, code(key, now), now);
    if (!confirmed.ok) throw new Error(JSON.stringify(confirmed));
    expect(confirmed.value.recoveryCodes).toHaveLength(10);
    expect(new Set(confirmed.value.recoveryCodes).size).toBe(10);
    expect(await hasSecondFactor(db, user.id)).toBe(true);
    // Once on, the page never sees the secret again, and enrolment cannot start over.
    const state = await enrolmentState(db, user, now);
    expect(state).toEqual({ state: "on", confirmedAt: now.toISOString(), recoveryCodesLeft: 10 });
    expect((await startEnrolment(db, user.id, now)).ok).toBe(false);
    // Neither the codes nor the key are stored as they are.
    const stored = JSON.stringify([await db.selectFrom("recovery_code").selectAll().where("user_id", "=", user.id).execute(), await db.selectFrom("second_factor").selectAll().where("user_id", "=", user.id).execute()]);
    for (const recovery of confirmed.value.recoveryCodes) expect(stored).not.toContain(recovery);
    expect(stored).not.toContain(Buffer.from(key).toString("base64url"));
    expect(stored).not.toContain(Buffer.from(key).toString("hex"));
  });

  it("the second step: a code works once (replay refused), the next step's code still works, a recovery code works once", async () => {
    const user = await createUser(db, { role: "admin" });
    const key = await enrolThroughThePage(user.id, user.email);
    const confirmed = await confirmEnrolment(db, user.id, code(key, now), now);
    if (!confirmed.ok) throw new Error("not confirmed");
    const counter = secondFactorCounter(db);
    const later = addMs(now, 5 * MINUTE);

    expect(await verifySecondFactor(db, counter, user.id, code(key, later), later)).toEqual({ ok: true, value: { usedRecoveryCode: false } });
    expect(await verifySecondFactor(db, counter, user.id, code(key, later), later)).toMatchObject({ ok: false, fieldErrors: { code: REUSED_CODE } });
    // Typed with a space, as apps show it: the next step's code is accepted (one step of drift).
    const next = code(key, addMs(later, 30_000));
    expect((await verifySecondFactor(db, counter, user.id, `${next.slice(0, 3)} ${next.slice(3)}`, later)).ok).toBe(true);
    expect((await verifySecondFactor(db, counter, user.id, "000000" === code(key, later) ? "111111" : "000000", later)).ok).toBe(false);

    const [recovery] = confirmed.value.recoveryCodes as [string];
    expect(await verifySecondFactor(db, counter, user.id, recovery.toUpperCase(), later)).toEqual({ ok: true, value: { usedRecoveryCode: true } });
    expect(await verifySecondFactor(db, counter, user.id, recovery, later)).toMatchObject({ ok: false, status: 400 });
    expect(await enrolmentState(db, user, later)).toMatchObject({ state: "on", recoveryCodesLeft: 9 });
  });

  it("the second step has its own throttle, shared by every process: after five wrong codes even the right one waits until the window ends", async () => {
    const user = await createUser(db, { role: "assessor" });
    const key = new Uint8Array(20).fill(7);
    await enrolKnownSecondFactor(db, user.id, key, now);
    const processA = secondFactorCounter(db);
    const processB = secondFactorCounter(db);
    const wrong = "000000" === code(key, now) ? "111111" : "000000";
    for (let i = 0; i < SECOND_FACTOR_LIMIT; i++) expect((await verifySecondFactor(db, i % 2 ? processA : processB, user.id, wrong, now)).ok).toBe(false);
    const blocked = await verifySecondFactor(db, processB, user.id, code(key, now), now);
    expect(blocked).toMatchObject({ ok: false, status: 429 });
    expect(blocked.ok ? "" : blocked.message).toContain("Too many wrong codes");
    // Another person is not affected.
    const other = await createUser(db, { role: "assessor" });
    await enrolKnownSecondFactor(db, other.id, key, now);
    expect((await verifySecondFactor(db, processA, other.id, code(key, now), now)).ok).toBe(true);
    const after = addMs(now, SECOND_FACTOR_WINDOW_MS);
    expect((await verifySecondFactor(db, processA, user.id, code(key, after), after)).ok).toBe(true);
  });

  it("a right password for a person with a second factor gives no session, only the pending note for the second step", async () => {
    const user = await createUser(db, { role: "assessor" });
    await enrolKnownSecondFactor(db, user.id, new Uint8Array(20).fill(3), now);
    const before = await db.selectFrom("session").select("id").where("user_id", "=", user.id).execute();
    const result = await signIn(db, new LoginThrottle(), { email: user.email, password: user.password, ip: "10.9.9.9", deviceCookie: null }, now);
    if (!result.ok) throw new Error(result.formError);
    expect(result.sessionToken).toBeNull();
    expect(await db.selectFrom("session").select("id").where("user_id", "=", user.id).execute()).toEqual(before);
    expect(await readPendingSignIn(db, result.pendingSignIn, now)).toBe(user.id);
    expect(await readPendingSignIn(db, result.pendingSignIn, addMs(now, 10 * MINUTE))).toBeNull();
    expect(await readPendingSignIn(db, `${result.pendingSignIn!.replace(/^\d+/, String(user.id + 1))}`, now)).toBeNull();
  });

  it("an admin resets another person's second factor: audited with the reason, every session of theirs ends; never their own", async () => {
    const admin = await createUser(db, { role: "admin" });
    const assessor = await createUser(db, { role: "assessor" });
    await enrolKnownSecondFactor(db, assessor.id, new Uint8Array(20).fill(5), now);
    const token = await createSession(db, assessor.id, now);
    expect(await resetSecondFactor(db, admin.id, admin.id, "Lost phone, checked by video call", now)).toMatchObject({ ok: false, status: 403 });
    expect(await resetSecondFactor(db, admin.id, assessor.id, "Lost phone, checked by video call", now)).toMatchObject({ ok: true });
    expect(await hasSecondFactor(db, assessor.id)).toBe(false);
    expect(await validateSessionToken(db, token, now)).toBeNull();
    const audit = await db.selectFrom("audit_event").selectAll().where("action", "=", "account.two_factor_reset").where("subject_id", "=", String(assessor.id)).executeTakeFirstOrThrow();
    expect(audit.actor_user_id).toBe(admin.id);
    expect(JSON.parse(audit.details ?? "{}")).toMatchObject({ reason: "Lost phone, checked by video call" });
  });
});

describe("staff without a second factor reach no staff page (the server-side guard)", () => {
  let db: DB;
  const saved = globalThis.__academyDb;
  beforeAll(async () => {
    db = await createTestDb();
    globalThis.__academyDb = db;
  });
  afterAll(async () => {
    globalThis.__academyDb = saved;
    await db.destroy();
  });

  async function requestAs(userId: number, path: string) {
    const token = await createSession(db, userId, new Date());
    return new Request(`http://academy.test${path}`, { headers: { cookie: `${sessionCookieName()}=${token}` } });
  }
  async function thrown(run: () => Promise<unknown>): Promise<Response | "passed"> {
    try {
      await run();
      return "passed";
    } catch (error) {
      if (error instanceof Response) return error;
      throw error;
    }
  }
  const args = (request: Request) => ({ request, params: {}, context: {} }) as unknown as LoaderFunctionArgs;

  it("an admin and an assessor without one are sent to set it up, from the guard and from real staff loaders; with one they pass", async () => {
    expect((await getPolicy(db)).twoFactorRequiredForStaff).toBe(1);
    const admin = await createUser(db, { role: "admin" });
    const assessor = await createUser(db, { role: "assessor" });
    for (const [user, path, run] of [
      [admin, "/admin/users?q=x", (r: Request) => adminUsersLoader(args(r))],
      [admin, "/admin/users", (r: Request) => requireRole(r, "admin")],
      [assessor, "/marking", (r: Request) => markingLoader(args(r))],
      [assessor, "/account", (r: Request) => requireUser(r)],
    ] as const) {
      const response = await thrown(async () => run(await requestAs(user.id, path)));
      expect(response, path).toBeInstanceOf(Response);
      expect((response as Response).status).toBe(302);
      expect((response as Response).headers.get("Location")).toBe(`/account/two-factor?redirectTo=${encodeURIComponent(path)}`);
    }
    await enrolKnownSecondFactor(db, admin.id, new Uint8Array(20).fill(1), new Date());
    expect(await thrown(async () => requireRole(await requestAs(admin.id, "/admin/users"), "admin"))).toBe("passed");
    expect(await thrown(async () => adminUsersLoader(args(await requestAs(admin.id, "/admin/users"))))).toBe("passed");
  });

  it("trainers are never sent (optional for them); with the policy off, staff are not either", async () => {
    const trainer = await createUser(db, { role: "trainer" });
    expect(await thrown(async () => requireUser(await requestAs(trainer.id, "/dashboard")))).toBe("passed");
    const admin = await createUser(db, { role: "admin" });
    const assessor = await createUser(db, { role: "assessor" });
    await updatePolicy(db, admin.id, { ...(await getPolicy(db)), twoFactorRequiredForStaff: 0 }, new Date());
    expect(await thrown(async () => requireRole(await requestAs(assessor.id, "/marking"), "assessor"))).toBe("passed");
  });
});
