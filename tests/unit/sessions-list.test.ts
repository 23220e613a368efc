/**
 * Sessions people can see (issue 17 item 2, ADR 0031): the device description from real
 * User-Agent strings; the User-Agent recorded with the session's activity (first sight at once,
 * then at most once a minute, truncated); the list (own, live, current marked); ending one's own
 * session only, and every other session but this one.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { describeUserAgent } from "~/auth/devices";
import { ABSOLUTE_LIFETIME_MS, createSession, endOtherSessions, endOwnSession, listSessions, validateSessionToken } from "~/auth/session.server";
import { addMs, MINUTE } from "~/utils/clock";
import { createTestDb, createUser } from "../helpers/db";

const UA = {
  chromeWindows: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  edgeWindows: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86",
  firefoxLinux: "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
  safariIphone: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
  safariMac: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
  chromeAndroid: "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
  samsungAndroid: "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
  chromeIpad: "Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1",
  operaMac: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 OPR/115.0.0.0",
};

describe("describeUserAgent", () => {
  it("names the browser family and the system, never a version", () => {
    expect(describeUserAgent(UA.chromeWindows)).toBe("Chrome on Windows");
    expect(describeUserAgent(UA.edgeWindows)).toBe("Edge on Windows");
    expect(describeUserAgent(UA.firefoxLinux)).toBe("Firefox on Linux");
    expect(describeUserAgent(UA.safariIphone)).toBe("Safari on iPhone");
    expect(describeUserAgent(UA.safariMac)).toBe("Safari on macOS");
    expect(describeUserAgent(UA.chromeAndroid)).toBe("Chrome on Android");
    expect(describeUserAgent(UA.samsungAndroid)).toBe("Samsung Internet on Android");
    expect(describeUserAgent(UA.chromeIpad)).toBe("Chrome on iPad");
    expect(describeUserAgent(UA.operaMac)).toBe("Opera on macOS");
    expect(describeUserAgent("curl/8.5.0")).toBe("An unrecognised browser or app");
    expect(describeUserAgent("")).toBe("An unrecognised browser or app");
    expect(describeUserAgent(null)).toBe("An unrecognised browser or app");
  });
});

describe("sessions", () => {
  const now = new Date("2026-06-01T09:00:00Z");
  let db: DB;
  let alice: number;
  let bob: number;
  beforeAll(async () => {
    db = await createTestDb();
    alice = (await createUser(db, { name: "Alice" })).id;
    bob = (await createUser(db, { name: "Bob" })).id;
  });
  const agentOf = async (token: string) => (await db.selectFrom("session").select("user_agent").where("id", "=", token.split(".")[0]!).executeTakeFirstOrThrow()).user_agent;

  it("records the User-Agent at first sight, then with the once-a-minute activity write, at most 300 characters", async () => {
    const token = await createSession(db, alice, now);
    expect(await agentOf(token)).toBeNull();
    await validateSessionToken(db, token, addMs(now, 1000), UA.firefoxLinux);
    expect(await agentOf(token)).toBe(UA.firefoxLinux);
    // Within the minute: no write, even with another agent.
    await validateSessionToken(db, token, addMs(now, 2000), UA.chromeWindows);
    expect(await agentOf(token)).toBe(UA.firefoxLinux);
    await validateSessionToken(db, token, addMs(now, 2 * MINUTE), `${UA.chromeWindows} ${"x".repeat(400)}`);
    expect((await agentOf(token))!.length).toBe(300);
    // No agent given (a caller without a request): nothing recorded, nothing lost.
    await validateSessionToken(db, token, addMs(now, 4 * MINUTE));
    expect((await agentOf(token))!.startsWith(UA.chromeWindows)).toBe(true);
  });

  it("lists the person's live sessions only, most recently used first, with the current one marked", async () => {
    const a1 = await createSession(db, alice, now);
    const a2 = await createSession(db, alice, addMs(now, MINUTE));
    await createSession(db, bob, now);
    const old = await createSession(db, alice, addMs(now, -ABSOLUTE_LIFETIME_MS - MINUTE));
    const listed = await listSessions(db, alice, a1.split(".")[0]!, addMs(now, 2 * MINUTE));
    const ids = listed.map((s) => s.id);
    expect(ids).toContain(a1.split(".")[0]);
    expect(ids).toContain(a2.split(".")[0]);
    expect(ids).not.toContain(old.split(".")[0]);
    expect(ids.indexOf(a2.split(".")[0]!)).toBeLessThan(ids.indexOf(a1.split(".")[0]!));
    expect(listed.filter((s) => s.current).map((s) => s.id)).toEqual([a1.split(".")[0]]);
    expect(await db.selectFrom("session").select("user_id").where("id", "in", ids).execute()).toSatisfy((rows: { user_id: number }[]) => rows.every((r) => r.user_id === alice));
  });

  it("ends one's own session, never another person's; 'everywhere else' keeps this one", async () => {
    const mine = await createSession(db, alice, now);
    const other = await createSession(db, alice, now);
    const bobs = await createSession(db, bob, now);
    expect(await endOwnSession(db, alice, bobs.split(".")[0]!)).toBe(false);
    expect(await validateSessionToken(db, bobs, addMs(now, 1000))).not.toBeNull();
    expect(await endOwnSession(db, alice, other.split(".")[0]!)).toBe(true);
    expect(await validateSessionToken(db, other, addMs(now, 1000))).toBeNull();
    const third = await createSession(db, alice, now);
    expect(await endOtherSessions(db, alice, mine.split(".")[0]!)).toBeGreaterThanOrEqual(1);
    expect(await validateSessionToken(db, third, addMs(now, 1000))).toBeNull();
    expect(await validateSessionToken(db, mine, addMs(now, 1000))).not.toBeNull();
    expect(await validateSessionToken(db, bobs, addMs(now, 1000))).not.toBeNull();
  });
});
