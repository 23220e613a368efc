import type { Clock } from "./clock";
import { getEnv } from "./env.server";

declare global {
  var __academyClockOffsetMs: number | undefined;
}

/**
 * The server's clock. Normally the system time; end-to-end tests may move it forward through
 * the test-only endpoint, which exists only when ATA_TEST_CLOCK=1 (never in a real deployment).
 */
export const serverClock: Clock = () => new Date(Date.now() + (globalThis.__academyClockOffsetMs ?? 0));

export function testClockEnabled(): boolean {
  return getEnv().ATA_TEST_CLOCK === "1";
}

export function setClockOffset(ms: number): void {
  if (!testClockEnabled()) throw new Error("The test clock is disabled");
  globalThis.__academyClockOffsetMs = ms;
}
