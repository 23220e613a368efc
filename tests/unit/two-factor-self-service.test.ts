/**
 * Two-factor sign-in, what a person does for themselves once it is on (ADR 0032): new recovery
 * codes (with a code from the app only; the old codes die at once; the sign-in throttle applies;
 * audited without codes) and turning it off (password and a code; trainers, or staff only while
 * the policy does not require it; the key, the codes and every other session go; audited). The
 * staff refusal is also checked through the page's own action, as a forged POST would reach it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import type { DB } from "~db/connection";
import { sessionCookieName } from "~/auth/cookies.server";
import { createSession, validateSessionToken } from "~/auth/session.server";
import { totpAt } from "~/auth/totp.server";
import {
  APP_CODE_ONLY,
  NOT_ON,
  REUSED_CODE,
  SECOND_FACTOR_LIMIT,
  SECOND_FACTOR_WINDOW_MS,
  STAFF_MUST_KEEP,
  WRONG_CODE,
  confirmEnrolment,
  enrolmentState,
  hasSecondFactor,
  regenerateRecoveryCodes,
  secondFactorCounter,
  startEnrolment,
  turnOffSecondFactor,
  verifySecondFactor,
} from "~/auth/two-factor.server";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { getPolicy, updatePolicy } from "~/policy/policy.server";
import { action as twoFactorAction, headers as twoFactorHeaders, loader as twoFactorLoader } from "~/routes/account_.two-factor";
import { addMs, MINUTE } from "~/utils/clock";
import { serverClock } from "~/utils/clock.server";
import { createTestDb, createUser } from "../helpers/db";

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

const now = new Date("2026-12-01T10:00:00Z");
const wrongFor = (right: string) => (right === "000000" ? "111111" : "000000");
const sessionIdOf = (token: string) => token.split(".")[0]!;

/** A person enrolled through the enrolment functions the page uses: their key and their ten recovery codes. */
async function enrolled(role: "trainer" | "assessor" | "admin", when = now) {
  const user = await createUser(db, { role });
  expect((await startEnrolment(db, user.id, when)).ok).toBe(true);
  const state = await enrolmentState(db, user, when);
  if (state.state !== "enrolling") throw new Error("not enrolling");
  const key = decodeBase32IgnorePadding(state.secret.replace(/\s+/g, ""));
  const confirmed = await confirmEnrolment(db, user.id, totpAt(key, when), when);
  if (!confirmed.ok) throw new Error(JSON.stringify(confirmed));
  return { user, key, recoveryCodes: confirmed.value.recoveryCodes };
}

async function secondFactorRows(userId: number) {
  return {
    factor: await db.selectFrom("second_factor").select("user_id").where("user_id", "=", userId).execute(),
    codes: await db.selectFrom("recovery_code").select(["code_hash", "used_at"]).where("user_id", "=", userId).orderBy("code_hash").execute(),
  };
}

async function auditOf(userId: number, action: string) {
  return db.selectFrom("audit_event").selectAll().where("action", "=", action).where("subject_id", "=", String(userId)).execute();
}

describe("new recovery codes", () => {
  it("a right app code replaces all ten: the old ones fail at sign-in at once, the new ones work, audited without any code", async () => {
    const { user, key, recoveryCodes: old } = await enrolled("trainer");
    const counter = secondFactorCounter(db);
    const later = addMs(now, 2 * MINUTE);
    // One old code used already, so the count goes back to ten.
    expect((await verifySecondFactor(db, counter, user.id, old[0]!, later)).ok).toBe(true);
    expect(await enrolmentState(db, user, later)).toMatchObject({ recoveryCodesLeft: 9 });

    const made = await regenerateRecoveryCodes(db, counter, user.id, totpAt(key, later), later);
    if (!made.ok) throw new Error(JSON.stringify(made));
    expect(made.value.recoveryCodes).toHaveLength(10);
    expect(new Set(made.value.recoveryCodes).size).toBe(10);
    for (const code of made.value.recoveryCodes) expect(old).not.toContain(code);
    expect(await enrolmentState(db, user, later)).toMatchObject({ state: "on", recoveryCodesLeft: 10 });

    expect(await verifySecondFactor(db, counter, user.id, old[1]!, later)).toMatchObject({ ok: false, status: 400 });
    expect(await verifySecondFactor(db, counter, user.id, made.value.recoveryCodes[0]!, later)).toEqual({ ok: true, value: { usedRecoveryCode: true } });

    const [audit, ...more] = await auditOf(user.id, "account.recovery_codes_regenerated");
    expect(more).toHaveLength(0);
    expect(audit!.actor_user_id).toBe(user.id);
    expect(JSON.parse(audit!.details ?? "{}")).toEqual({ replaced: 10, made: 10 });
    const everything = JSON.stringify(await db.selectFrom("audit_event").selectAll().where("subject_id", "=", String(user.id)).execute());
    for (const code of [...old, ...made.value.recoveryCodes]) expect(everything).not.toContain(code);
    expect(everything).not.toContain(totpAt(key, later));
  });

  it("a wrong code, a reused code, a recovery code or no code changes nothing", async () => {
    const { user, key, recoveryCodes } = await enrolled("assessor");
    const counter = secondFactorCounter(db);
    const later = addMs(now, 2 * MINUTE);
    const before = await secondFactorRows(user.id);

    expect(await regenerateRecoveryCodes(db, counter, user.id, wrongFor(totpAt(key, later)), later)).toMatchObject({ ok: false, status: 400, fieldErrors: { code: WRONG_CODE } });
    // The code just used to sign in cannot be used again here.
    expect((await verifySecondFactor(db, counter, user.id, totpAt(key, later), later)).ok).toBe(true);
    expect(await regenerateRecoveryCodes(db, counter, user.id, totpAt(key, later), later)).toMatchObject({ ok: false, status: 400, fieldErrors: { code: REUSED_CODE } });
    // A recovery code cannot make new ones (and is not used up by trying).
    expect(await regenerateRecoveryCodes(db, counter, user.id, recoveryCodes[0]!, later)).toMatchObject({ ok: false, status: 400, fieldErrors: { code: APP_CODE_ONLY } });
    expect((await regenerateRecoveryCodes(db, counter, user.id, "  ", later)).ok).toBe(false);

    expect(await secondFactorRows(user.id)).toEqual(before);
    expect(await auditOf(user.id, "account.recovery_codes_regenerated")).toHaveLength(0);
    const none = await createUser(db, { role: "trainer" });
    expect(await regenerateRecoveryCodes(db, counter, none.id, "123456", later)).toMatchObject({ ok: false, status: 409, message: NOT_ON });
  });

  it("shares the sign-in step's throttle: after five wrong codes (at sign-in or here) even the right code waits", async () => {
    const { user, key } = await enrolled("admin");
    const later = addMs(now, 2 * MINUTE);
    const wrong = wrongFor(totpAt(key, later));
    const signInProcess = secondFactorCounter(db);
    const pageProcess = secondFactorCounter(db);
    for (let i = 0; i < SECOND_FACTOR_LIMIT; i++) {
      const attempt = i % 2 ? verifySecondFactor(db, signInProcess, user.id, wrong, later) : regenerateRecoveryCodes(db, pageProcess, user.id, wrong, later);
      expect((await attempt).ok).toBe(false);
    }
    const before = await secondFactorRows(user.id);
    const blocked = await regenerateRecoveryCodes(db, pageProcess, user.id, totpAt(key, later), later);
    expect(blocked).toMatchObject({ ok: false, status: 429 });
    expect(blocked.ok ? "" : blocked.message).toContain("Too many wrong codes");
    expect(await secondFactorRows(user.id)).toEqual(before);
    // And the sign-in step is held too.
    expect(await verifySecondFactor(db, signInProcess, user.id, totpAt(key, later), later)).toMatchObject({ ok: false, status: 429 });
    const after = addMs(later, SECOND_FACTOR_WINDOW_MS);
    expect((await regenerateRecoveryCodes(db, pageProcess, user.id, totpAt(key, after), after)).ok).toBe(true);
  });
});

describe("turning two-factor sign-in off", () => {
  it("a trainer, with their password and an app code: key, recovery codes and used steps gone, other sessions ended, this one kept, audited", async () => {
    const { user, key, recoveryCodes } = await enrolled("trainer");
    const here = await createSession(db, user.id, now);
    const elsewhere = await createSession(db, user.id, now);
    const later = addMs(now, 2 * MINUTE);
    const counter = secondFactorCounter(db);
    const who = { userId: user.id, role: "trainer" as const, sessionId: sessionIdOf(here) };

    const result = await turnOffSecondFactor(db, counter, who, { password: user.password, code: totpAt(key, later) }, later);
    expect(result).toEqual({ ok: true, value: { otherSessionsEnded: 1 } });
    expect(await hasSecondFactor(db, user.id)).toBe(false);
    expect(await secondFactorRows(user.id)).toEqual({ factor: [], codes: [] });
    expect(await db.selectFrom("second_factor_used_step").select("step").where("user_id", "=", user.id).execute()).toEqual([]);
    expect(await validateSessionToken(db, here, later)).not.toBeNull();
    expect(await validateSessionToken(db, elsewhere, later)).toBeNull();
    expect(await enrolmentState(db, user, later)).toEqual({ state: "off" });
    // A recovery code from before is no longer anything.
    expect((await verifySecondFactor(db, counter, user.id, recoveryCodes[0]!, later)).ok).toBe(false);

    const [audit] = await auditOf(user.id, "account.two_factor_disabled");
    expect(audit!.actor_user_id).toBe(user.id);
    expect(JSON.parse(audit!.details ?? "{}")).toEqual({ confirmedWith: "app code", otherSessionsEnded: 1 });
    const everything = JSON.stringify(await db.selectFrom("audit_event").selectAll().where("subject_id", "=", String(user.id)).execute());
    expect(everything).not.toContain(user.password);
    expect(everything).not.toContain(totpAt(key, later));
    for (const code of recoveryCodes) expect(everything).not.toContain(code);
    // Nothing left to turn off.
    expect(await turnOffSecondFactor(db, counter, who, { password: user.password, code: totpAt(key, later) }, later)).toMatchObject({ ok: false, status: 409 });
  });

  it("a recovery code with the password works too", async () => {
    const { user, recoveryCodes } = await enrolled("trainer");
    const token = await createSession(db, user.id, now);
    const result = await turnOffSecondFactor(db, secondFactorCounter(db), { userId: user.id, role: "trainer", sessionId: sessionIdOf(token) }, { password: user.password, code: recoveryCodes[3]! }, now);
    expect(result).toEqual({ ok: true, value: { otherSessionsEnded: 0 } });
    expect(await hasSecondFactor(db, user.id)).toBe(false);
    expect(JSON.parse((await auditOf(user.id, "account.two_factor_disabled"))[0]!.details ?? "{}")).toMatchObject({ confirmedWith: "recovery code" });
  });

  it("a wrong password, a wrong code, a reused code or a used recovery code changes nothing (the code is not spent on a wrong password)", async () => {
    const { user, key, recoveryCodes } = await enrolled("trainer");
    const token = await createSession(db, user.id, now);
    const elsewhere = await createSession(db, user.id, now);
    const counter = secondFactorCounter(db);
    const who = { userId: user.id, role: "trainer" as const, sessionId: sessionIdOf(token) };
    const later = addMs(now, 2 * MINUTE);
    const code = totpAt(key, later);

    expect(await turnOffSecondFactor(db, counter, who, { password: "not my password", code }, later)).toMatchObject({ ok: false, status: 400, fieldErrors: { password: "That password is not right." } });
    expect(await turnOffSecondFactor(db, counter, who, { password: "", code }, later)).toMatchObject({ ok: false, status: 400, fieldErrors: { password: "Enter your password." } });
    expect(await turnOffSecondFactor(db, counter, who, { password: user.password, code: wrongFor(code) }, later)).toMatchObject({ ok: false, status: 400, fieldErrors: { code: WRONG_CODE } });
    expect((await verifySecondFactor(db, counter, user.id, code, later)).ok).toBe(true);
    expect(await turnOffSecondFactor(db, counter, who, { password: user.password, code }, later)).toMatchObject({ ok: false, status: 400, fieldErrors: { code: REUSED_CODE } });
    expect((await verifySecondFactor(db, counter, user.id, recoveryCodes[0]!, later)).ok).toBe(true);
    const before = await secondFactorRows(user.id);
    expect(await turnOffSecondFactor(db, counter, who, { password: user.password, code: recoveryCodes[0]! }, later)).toMatchObject({ ok: false, status: 400 });

    expect(await hasSecondFactor(db, user.id)).toBe(true);
    expect(await secondFactorRows(user.id)).toEqual(before);
    expect(await validateSessionToken(db, elsewhere, later)).not.toBeNull();
    expect(await auditOf(user.id, "account.two_factor_disabled")).toHaveLength(0);
  });

  it("wrong codes count in the sign-in step's throttle: after five, even a right code and password wait", async () => {
    const { user, key } = await enrolled("trainer");
    const token = await createSession(db, user.id, now);
    const counter = secondFactorCounter(db);
    const who = { userId: user.id, role: "trainer" as const, sessionId: sessionIdOf(token) };
    const wrong = wrongFor(totpAt(key, now));
    for (let i = 0; i < SECOND_FACTOR_LIMIT; i++) expect((await turnOffSecondFactor(db, counter, who, { password: user.password, code: wrong }, now)).ok).toBe(false);
    expect(await turnOffSecondFactor(db, counter, who, { password: user.password, code: totpAt(key, now) }, now)).toMatchObject({ ok: false, status: 429 });
    expect(await verifySecondFactor(db, counter, user.id, totpAt(key, now), now)).toMatchObject({ ok: false, status: 429 });
    expect(await hasSecondFactor(db, user.id)).toBe(true);
  });

  it("staff are refused while the policy requires it (403, nothing checked or changed); they may make new recovery codes", async () => {
    expect((await getPolicy(db)).twoFactorRequiredForStaff).toBe(1);
    for (const role of ["admin", "assessor"] as const) {
      const { user, key, recoveryCodes } = await enrolled(role);
      const token = await createSession(db, user.id, now);
      const elsewhere = await createSession(db, user.id, now);
      const before = await secondFactorRows(user.id);
      const refused = await turnOffSecondFactor(db, secondFactorCounter(db), { userId: user.id, role, sessionId: sessionIdOf(token) }, { password: user.password, code: recoveryCodes[0]! }, now);
      expect(refused).toEqual({ ok: false, status: 403, message: STAFF_MUST_KEEP, fieldErrors: {} });
      expect(await secondFactorRows(user.id)).toEqual(before);
      expect(await validateSessionToken(db, elsewhere, now)).not.toBeNull();
      expect(await auditOf(user.id, "account.two_factor_disabled")).toHaveLength(0);
      const later = addMs(now, 2 * MINUTE);
      expect((await regenerateRecoveryCodes(db, secondFactorCounter(db), user.id, totpAt(key, later), later)).ok).toBe(true);
    }
  });
});

describe("the page's action, as a browser (or a forged form) posts to it", () => {
  async function post(token: string, body: Record<string, string>) {
    const request = new Request("http://academy.test/account/two-factor", {
      method: "POST",
      headers: { cookie: `${sessionCookieName()}=${token}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(body).toString(),
    });
    const response = (await twoFactorAction({ request, params: {}, context: {} } as unknown as ActionFunctionArgs)) as unknown as {
      data: Record<string, unknown>;
      init: { status?: number; headers?: HeadersInit } | null;
    };
    return { status: response.init?.status ?? 200, body: response.data, headers: new Headers(response.init?.headers) };
  }
  async function pageFor(token: string) {
    const request = new Request("http://academy.test/account/two-factor", { headers: { cookie: `${sessionCookieName()}=${token}` } });
    return twoFactorLoader({ request, params: {}, context: {} } as unknown as LoaderFunctionArgs);
  }

  it("an assessor's page offers no button and a forged turn-off POST gets 403 with nothing changed; a trainer's works", async () => {
    const clock = serverClock();
    const assessor = await enrolled("assessor", clock);
    const assessorToken = await createSession(db, assessor.user.id, clock);
    expect(await pageFor(assessorToken)).toMatchObject({ mayTurnOff: false, state: { state: "on" } });
    const before = await secondFactorRows(assessor.user.id);
    const forged = await post(assessorToken, { intent: "turn-off", password: assessor.user.password, code: assessor.recoveryCodes[0]! });
    expect(forged).toMatchObject({ status: 403, body: { message: STAFF_MUST_KEEP, turnedOff: false } });
    expect(await secondFactorRows(assessor.user.id)).toEqual(before);

    const trainer = await enrolled("trainer", clock);
    const trainerToken = await createSession(db, trainer.user.id, clock);
    expect(await pageFor(trainerToken)).toMatchObject({ mayTurnOff: true });
    const renewed = await post(trainerToken, { intent: "regenerate", code: totpAt(trainer.key, addMs(serverClock(), 30_000)) });
    expect(renewed).toMatchObject({ status: 200, body: { intent: "regenerate" } });
    expect(renewed.body.recoveryCodes).toHaveLength(10);
    expect(await post(trainerToken, { intent: "turn-off", password: "wrong password", code: trainer.recoveryCodes[0]! })).toMatchObject({ status: 400, body: { fieldErrors: { password: "That password is not right." } } });
    const off = await post(trainerToken, { intent: "turn-off", password: trainer.user.password, code: (renewed.body.recoveryCodes as string[])[0]! });
    expect(off).toMatchObject({ status: 200, body: { turnedOff: true } });
    expect(await hasSecondFactor(db, trainer.user.id)).toBe(false);
    expect(await pageFor(trainerToken)).toMatchObject({ state: { state: "off" }, mayTurnOff: false });
  });

  it("too many wrong codes: a 429 with Retry-After (the wait, in seconds), which the page's headers pass on to the browser", async () => {
    const clock = serverClock();
    const trainer = await enrolled("trainer", clock);
    const token = await createSession(db, trainer.user.id, clock);
    const wrong = wrongFor(totpAt(trainer.key, clock));
    for (let i = 0; i < SECOND_FACTOR_LIMIT; i++) expect((await post(token, { intent: "regenerate", code: wrong })).status).toBe(400);
    const limited = await post(token, { intent: "regenerate", code: totpAt(trainer.key, serverClock()) });
    expect(limited).toMatchObject({ status: 429, body: { message: expect.stringContaining("Too many wrong codes") } });
    const seconds = Number(limited.headers.get("Retry-After"));
    expect(seconds).toBeGreaterThan(SECOND_FACTOR_WINDOW_MS / 1000 - 60);
    expect(seconds).toBeLessThanOrEqual(SECOND_FACTOR_WINDOW_MS / 1000);
    const sent = new Headers(twoFactorHeaders({ actionHeaders: limited.headers } as unknown as Parameters<typeof twoFactorHeaders>[0]) as HeadersInit);
    expect(sent.get("Retry-After")).toBe(String(seconds));
  });

  it("with the policy off, staff may turn it off too", async () => {
    const admin = await createUser(db, { role: "admin" });
    await updatePolicy(db, admin.id, { ...(await getPolicy(db)), twoFactorRequiredForStaff: 0 }, now);
    const { user, recoveryCodes } = await enrolled("assessor");
    const token = await createSession(db, user.id, now);
    expect((await turnOffSecondFactor(db, secondFactorCounter(db), { userId: user.id, role: "assessor", sessionId: sessionIdOf(token) }, { password: user.password, code: recoveryCodes[0]! }, now)).ok).toBe(true);
    expect(await hasSecondFactor(db, user.id)).toBe(false);
  });
});
