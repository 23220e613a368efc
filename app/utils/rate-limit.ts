/**
 * Counts events per key in fixed windows, in this process's memory. Used where a per-process
 * allowance is enough (the public verification lookups: the limit is split between the
 * processes, ADR 0009); the sign-in throttle keeps its counters in the database instead.
 */
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
