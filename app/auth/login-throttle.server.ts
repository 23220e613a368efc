import type { DB } from "~db/connection";
import { MINUTE } from "~/utils/clock";
import { FixedWindowCounter } from "~/utils/rate-limit";

/** Failure counters the sign-in throttle can use: in memory (one process) or in the database (shared). */
export interface WindowCounter {
  retryAfterMs(key: string, now: Date): Promise<number>;
  record(key: string, now: Date): Promise<void>;
  reset(key: string): Promise<void>;
}

export class MemoryWindowCounter implements WindowCounter {
  private readonly counter: FixedWindowCounter;
  constructor(limit: number, windowMs: number) {
    this.counter = new FixedWindowCounter(limit, windowMs);
  }
  async retryAfterMs(key: string, now: Date) {
    return this.counter.retryAfterMs(key, now);
  }
  async record(key: string, now: Date) {
    this.counter.record(key, now);
  }
  async reset(key: string) {
    this.counter.reset(key);
  }
}

/**
 * Counters in the `login_throttle` table, so every server process sees the same counts (sign-in
 * failures, and attempts at the other account endpoints: account-limits.server.ts). Each key is
 * `scope:key`.
 *
 * Windows do not rely on the clock only moving forward: if the server's clock steps back, a
 * window that seems to start in the future is treated as starting now (and stored so), keeping
 * its count. Before, such a window counted as over, and failures stopped being throttled.
 */
export class DatabaseWindowCounter implements WindowCounter {
  constructor(
    private readonly db: DB,
    private readonly scope: string,
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  async retryAfterMs(key: string, now: Date) {
    const id = `${this.scope}:${key}`;
    const row = await this.db.selectFrom("login_throttle").select(["window_started_at", "count"]).where("key", "=", id).executeTakeFirst();
    if (!row) return 0;
    let started = row.window_started_at;
    if (started > now.getTime()) {
      // The clock stepped back: the window starts now, with the failures it already holds.
      started = now.getTime();
      await this.db.updateTable("login_throttle").set({ window_started_at: started }).where("key", "=", id).where("window_started_at", ">", started).execute();
    }
    const elapsed = now.getTime() - started;
    if (elapsed >= this.windowMs) return 0;
    return row.count >= this.limit ? this.windowMs - elapsed : 0;
  }

  async record(key: string, now: Date) {
    const id = `${this.scope}:${key}`;
    const at = now.getTime();
    const windowStart = at - this.windowMs;
    await this.db
      .insertInto("login_throttle")
      .values({ key: id, window_started_at: at, count: 1 })
      .onConflict((oc) =>
        oc.column("key").doUpdateSet((eb) => ({
          // A window that has ended starts again at one; one "in the future" (the clock stepped
          // back) starts now and keeps its count.
          count: eb.case().when("login_throttle.window_started_at", "<=", windowStart).then(1).else(eb("login_throttle.count", "+", 1)).end(),
          window_started_at: eb
            .case()
            .when(eb.or([eb("login_throttle.window_started_at", "<=", windowStart), eb("login_throttle.window_started_at", ">", at)]))
            .then(at)
            .else(eb.ref("login_throttle.window_started_at"))
            .end(),
        })),
      )
      .execute();
  }

  async reset(key: string) {
    await this.db.deleteFrom("login_throttle").where("key", "=", `${this.scope}:${key}`).execute();
  }
}

export interface LoginAttemptKeys {
  ip: string;
  email: string;
  /** Set when the browser presents a valid device cookie issued to this account. */
  trustedDeviceId: string | null;
}

/**
 * Failed sign-ins are limited per IP address and per account. An attacker guessing one
 * person's password hits the per-account limit, but that limit only applies to browsers the
 * account has never signed in from: a browser holding a device cookie from an earlier
 * successful sign-in (the OWASP "device cookie" pattern) has its own allowance, so the real
 * user is not locked out by someone else's guessing. With `db`, the counters live in the
 * database and hold across server processes; without, in memory.
 */
export class LoginThrottle {
  readonly perIp: WindowCounter;
  readonly perAccount: WindowCounter;
  readonly perDevice: WindowCounter;

  constructor(options: { ipLimit?: number; accountLimit?: number; deviceLimit?: number; windowMs?: number; db?: DB } = {}) {
    const windowMs = options.windowMs ?? 15 * MINUTE;
    const counter = (scope: string, limit: number) => (options.db ? new DatabaseWindowCounter(options.db, scope, limit, windowMs) : new MemoryWindowCounter(limit, windowMs));
    this.perIp = counter("ip", options.ipLimit ?? 30);
    this.perAccount = counter("account", options.accountLimit ?? 10);
    this.perDevice = counter("device", options.deviceLimit ?? 10);
  }

  /** Milliseconds the caller must wait, or 0 when the attempt may go ahead. */
  async retryAfterMs(keys: LoginAttemptKeys, now: Date): Promise<number> {
    if (keys.trustedDeviceId) return this.perDevice.retryAfterMs(keys.trustedDeviceId, now);
    return Math.max(await this.perIp.retryAfterMs(keys.ip, now), await this.perAccount.retryAfterMs(keys.email, now));
  }

  async recordFailure(keys: LoginAttemptKeys, now: Date): Promise<void> {
    if (keys.trustedDeviceId) return this.perDevice.record(keys.trustedDeviceId, now);
    await this.perIp.record(keys.ip, now);
    await this.perAccount.record(keys.email, now);
  }

  async recordSuccess(keys: LoginAttemptKeys): Promise<void> {
    if (keys.trustedDeviceId) await this.perDevice.reset(keys.trustedDeviceId);
    else await this.perAccount.reset(keys.email);
  }
}

declare global {
  var __academyLoginThrottle: LoginThrottle | undefined;
}

/** The site's throttle: counters in the database, shared by every server process. */
export function getLoginThrottle(db: DB): LoginThrottle {
  globalThis.__academyLoginThrottle ??= new LoginThrottle({ db });
  return globalThis.__academyLoginThrottle;
}
