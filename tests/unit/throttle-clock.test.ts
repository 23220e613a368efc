import { beforeEach, describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { signIn } from "~/auth/accounts.server";
import { LoginThrottle } from "~/auth/login-throttle.server";
import { HOUR, MINUTE, addMs } from "~/utils/clock";
import { FixedWindowCounter } from "~/utils/rate-limit";
import { createTestDb, createUser } from "../helpers/db";

/**
 * Throttle windows with an injected clock that steps back (an NTP correction, a VM restored from
 * a snapshot). A window that seems to start in the future must keep counting, not let every
 * attempt through.
 */
describe("throttles when the clock steps back", () => {
  let db: DB;
  beforeEach(async () => {
    db = await createTestDb();
  });

  it("failed sign-ins stay throttled after the clock steps back an hour, and the block ends one window later", async () => {
    const user = await createUser(db);
    const throttle = new LoginThrottle({ db, accountLimit: 10, ipLimit: 1000 });
    let now = new Date("2026-06-01T12:00:00Z");
    const attempt = (password: string) => signIn(db, throttle, { email: user.email, password, ip: "198.51.100.4", deviceCookie: null }, now);
    for (let i = 0; i < 10; i += 1) expect((await attempt(`wrong ${i}`)).ok).toBe(false);
    expect(await attempt("wrong again")).toMatchObject({ ok: false, retryAfterMs: 15 * MINUTE });

    now = addMs(now, -HOUR); // the clock steps back
    let letThrough = 0;
    for (let i = 0; i < 40; i += 1) {
      const result = await attempt(`guess ${i}`);
      if (result.ok || !("retryAfterMs" in result) || !result.retryAfterMs) letThrough += 1;
    }
    expect(letThrough).toBe(0);
    expect(await attempt(user.password)).toMatchObject({ ok: false, retryAfterMs: 15 * MINUTE });

    // The window now starts at the stepped-back time: it ends 15 minutes later, not an hour and 15.
    now = addMs(now, 15 * MINUTE);
    expect(await attempt(user.password)).toMatchObject({ ok: true });
  }, 60_000);

  it("failures recorded after the step count in the same window", async () => {
    const throttle = new LoginThrottle({ db, accountLimit: 3, ipLimit: 1000 });
    const keys = { ip: "198.51.100.5", email: "someone@example.test", trustedDeviceId: null };
    const at = new Date("2026-06-01T12:00:00Z");
    await throttle.recordFailure(keys, at);
    await throttle.recordFailure(keys, at);
    const earlier = addMs(at, -2 * HOUR);
    expect(await throttle.retryAfterMs(keys, earlier)).toBe(0);
    await throttle.recordFailure(keys, earlier);
    expect(await throttle.retryAfterMs(keys, earlier)).toBe(15 * MINUTE);
  });

  it("the in-memory counter (verification lookups) keeps its count too, and does not block for the size of the step", () => {
    const counter = new FixedWindowCounter(3, MINUTE);
    const at = new Date("2026-06-01T12:00:00Z");
    for (let i = 0; i < 3; i += 1) counter.record("203.0.113.9", at);
    const earlier = addMs(at, -HOUR);
    expect(counter.retryAfterMs("203.0.113.9", earlier)).toBe(MINUTE);
    expect(counter.retryAfterMs("203.0.113.9", addMs(earlier, MINUTE))).toBe(0);
  });
});
