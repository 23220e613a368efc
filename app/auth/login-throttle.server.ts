import { MINUTE } from "~/clock";

/** Counts events (failed sign-ins, lookups) per key in fixed windows. In memory: the site runs as one process. */
export class FixedWindowCounter {
  private readonly windows = new Map<string, { startedAt: number; failures: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Milliseconds until `key` may try again, or 0 when it is not blocked. */
  retryAfterMs(key: string, now: Date): number {
    const window = this.windows.get(key);
    if (!window) return 0;
    const elapsed = now.getTime() - window.startedAt;
    if (elapsed >= this.windowMs) {
      this.windows.delete(key);
      return 0;
    }
    return window.failures >= this.limit ? this.windowMs - elapsed : 0;
  }

  record(key: string, now: Date): void {
    const window = this.windows.get(key);
    if (!window || now.getTime() - window.startedAt >= this.windowMs) {
      this.windows.set(key, { startedAt: now.getTime(), failures: 1 });
      if (this.windows.size > 100_000) this.prune(now);
    } else {
      window.failures += 1;
    }
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  private prune(now: Date): void {
    for (const [key, window] of this.windows) {
      if (now.getTime() - window.startedAt >= this.windowMs) this.windows.delete(key);
    }
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
 * user is not locked out by someone else's guessing.
 */
export class LoginThrottle {
  readonly perIp: FixedWindowCounter;
  readonly perAccount: FixedWindowCounter;
  readonly perDevice: FixedWindowCounter;

  constructor(options: { ipLimit?: number; accountLimit?: number; deviceLimit?: number; windowMs?: number } = {}) {
    const windowMs = options.windowMs ?? 15 * MINUTE;
    this.perIp = new FixedWindowCounter(options.ipLimit ?? 30, windowMs);
    this.perAccount = new FixedWindowCounter(options.accountLimit ?? 10, windowMs);
    this.perDevice = new FixedWindowCounter(options.deviceLimit ?? 10, windowMs);
  }

  /** Milliseconds the caller must wait, or 0 when the attempt may go ahead. */
  retryAfterMs(keys: LoginAttemptKeys, now: Date): number {
    if (keys.trustedDeviceId) return this.perDevice.retryAfterMs(keys.trustedDeviceId, now);
    return Math.max(this.perIp.retryAfterMs(keys.ip, now), this.perAccount.retryAfterMs(keys.email, now));
  }

  recordFailure(keys: LoginAttemptKeys, now: Date): void {
    if (keys.trustedDeviceId) {
      this.perDevice.record(keys.trustedDeviceId, now);
      return;
    }
    this.perIp.record(keys.ip, now);
    this.perAccount.record(keys.email, now);
  }

  recordSuccess(keys: LoginAttemptKeys): void {
    if (keys.trustedDeviceId) this.perDevice.reset(keys.trustedDeviceId);
    else this.perAccount.reset(keys.email);
  }
}

declare global {
  var __academyLoginThrottle: LoginThrottle | undefined;
}

export function getLoginThrottle(): LoginThrottle {
  globalThis.__academyLoginThrottle ??= new LoginThrottle();
  return globalThis.__academyLoginThrottle;
}
