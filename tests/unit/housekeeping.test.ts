import { describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { createSession, validateSessionToken } from "~/auth/session.server";
import { DAY, HOUR, MINUTE, iso } from "~/utils/clock";
import { runHousekeeping } from "~/jobs/housekeeping.server";
import { createTestDb, createUser } from "../helpers/db";

/** Issue 16.13: the hourly job deletes what no longer does anything, after the stated retention. */
const NOW = new Date("2026-11-30T12:00:00Z");
const ago = (ms: number) => new Date(NOW.getTime() - ms);

async function count(db: DB, table: "session" | "login_throttle" | "one_time_token" | "email_outbox") {
  return Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
}

async function session(db: DB, userId: number, createdAt: Date, lastActiveAt: Date) {
  const token = await createSession(db, userId, createdAt);
  await db.updateTable("session").set({ last_active_at: iso(lastActiveAt) }).where("id", "=", token.split(".")[0]!).execute();
  return token;
}

async function link(db: DB, id: string, userId: number, expiresAt: Date, usedAt: Date | null) {
  await db
    .insertInto("one_time_token")
    .values({ id, purpose: "password_reset", user_id: userId, secret_hash: id, created_at: iso(new Date(expiresAt.getTime() - HOUR)), expires_at: iso(expiresAt), used_at: usedAt ? iso(usedAt) : null })
    .execute();
}

async function email(db: DB, subject: string, sentAt: Date | null) {
  await db.insertInto("email_outbox").values({ to_address: "t@example.test", subject, body_text: "x", created_at: iso(sentAt ?? ago(40 * DAY)), sent_at: sentAt ? iso(sentAt) : null, last_error: null }).execute();
}

describe("housekeeping", () => {
  it("deletes expired sessions, old throttle counters, used or expired links a week on and sent emails a month on, and nothing else", async () => {
    const db = await createTestDb();
    const user = await createUser(db);

    const live = await session(db, user.id, ago(2 * DAY), ago(11 * HOUR));
    await session(db, user.id, ago(2 * DAY), ago(12 * HOUR + MINUTE)); // idle too long
    await session(db, user.id, ago(7 * DAY + MINUTE), ago(MINUTE)); // past its absolute lifetime

    await db
      .insertInto("login_throttle")
      .values([
        { key: "login-ip:old", window_started_at: ago(25 * HOUR + MINUTE).getTime(), count: 3 },
        { key: "login-ip:recent", window_started_at: ago(30 * MINUTE).getTime(), count: 3 },
        { key: "login-ip:yesterday", window_started_at: ago(20 * HOUR).getTime(), count: 1 },
        // A window in the future (the clock stepped back) is still counting: kept.
        { key: "login-ip:future", window_started_at: NOW.getTime() + HOUR, count: 5 },
      ])
      .execute();

    await link(db, "used-long-ago", user.id, ago(8 * DAY), ago(8 * DAY + 30 * MINUTE));
    await link(db, "expired-long-ago", user.id, ago(7 * DAY + MINUTE), null);
    await link(db, "used-recently", user.id, ago(2 * DAY), ago(2 * DAY + 30 * MINUTE));
    await link(db, "expired-recently", user.id, ago(DAY), null);
    await link(db, "usable", user.id, new Date(NOW.getTime() + 30 * MINUTE), null);

    await email(db, "sent long ago", ago(31 * DAY));
    await email(db, "sent recently", ago(29 * DAY));
    await email(db, "never sent", null);

    const summary = await runHousekeeping(db, NOW);
    expect(summary).toEqual({ sessions: 2, throttleCounters: 1, oneTimeLinks: 2, sentEmails: 1 });

    expect(await count(db, "session")).toBe(1);
    expect(await validateSessionToken(db, live, NOW)).not.toBeNull();
    expect((await db.selectFrom("login_throttle").select("key").orderBy("key").execute()).map((r) => r.key)).toEqual(["login-ip:future", "login-ip:recent", "login-ip:yesterday"]);
    expect((await db.selectFrom("one_time_token").select("id").orderBy("id").execute()).map((r) => r.id)).toEqual(["expired-recently", "usable", "used-recently"]);
    expect((await db.selectFrom("email_outbox").select("subject").orderBy("subject").execute()).map((r) => r.subject)).toEqual(["never sent", "sent recently"]);

    // Running again finds nothing more.
    expect(await runHousekeeping(db, NOW)).toEqual({ sessions: 0, throttleCounters: 0, oneTimeLinks: 0, sentEmails: 0 });
  });

  it("works through a backlog larger than one batch", async () => {
    const db = await createTestDb();
    const rows = Array.from({ length: 12_345 }, (_, i) => ({ key: `login-ip:10.0.${Math.floor(i / 256)}.${i % 256}`, window_started_at: ago(3 * DAY).getTime(), count: 1 }));
    for (let i = 0; i < rows.length; i += 1000) await db.insertInto("login_throttle").values(rows.slice(i, i + 1000)).execute();
    expect((await runHousekeeping(db, NOW)).throttleCounters).toBe(12_345);
    expect(await count(db, "login_throttle")).toBe(0);
  });
});
