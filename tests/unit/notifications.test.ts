/**
 * Notifications (issue 12 item 3, ADR 0028): recorded with the fact, emailed at once or in the
 * daily digest by the person's preference (urgent kinds always at once), digests grouped by kind
 * and sent once per person per UK day, and each person reads and marks only their own.
 */
import { beforeEach, describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { isEmailMode, listNotifications, markAllRead, markRead, notify, notifyStaff, setEmailMode, emailModeOf, unreadCount } from "~/notifications/notify.server";
import { composeDigest, sendDailyDigests } from "~/notifications/digest.server";
import { createTestDb, createUser } from "../helpers/db";

// 06:30 and 07:30 UK time on 1 June (British Summer Time: UTC+1).
const early = new Date("2026-06-01T05:30:00Z");
const morning = new Date("2026-06-01T06:30:00Z");
const now = new Date("2026-06-01T04:00:00Z");
const nextMorning = new Date("2026-06-02T06:30:00Z");

let db: DB;
beforeEach(async () => {
  db = await createTestDb();
});

const outbox = (to: string) => db.selectFrom("email_outbox").select(["subject", "body_text"]).where("to_address", "=", to).orderBy("id").execute();

describe("notify", () => {
  it("staff get work in the daily digest; a trainer gets each email at once; urgent kinds always go at once", async () => {
    const assessor = await createUser(db, { role: "assessor" });
    const trainer = await createUser(db, { role: "trainer" });
    await db.transaction().execute(async (trx) => {
      await notify(trx, { userId: assessor.id, kind: "evidence_to_verify", title: "Qualification to verify: Sam Trainer", body: "Sam uploaded a qualification.", link: "/staff/verification" }, now);
      await notify(trx, { userId: trainer.id, kind: "report_outcome", title: "Your report has been marked", body: "The outcome is on your dashboard.", link: "/report" }, now);
      await notify(trx, { userId: assessor.id, kind: "certificate_status", title: "Urgent thing", body: "At once." }, now);
    });
    expect((await outbox(assessor.email)).map((e) => e.subject)).toEqual(["Urgent thing"]);
    const trainerEmails = await outbox(trainer.email);
    expect(trainerEmails.map((e) => e.subject)).toEqual(["Your report has been marked"]);
    expect(trainerEmails[0]!.body_text).toContain("/report");
    expect(await unreadCount(db, assessor.id)).toBe(2);
    expect(await unreadCount(db, trainer.id)).toBe(1);
  });

  it("records nothing when the caller's transaction rolls back", async () => {
    const trainer = await createUser(db, { role: "trainer" });
    await expect(
      db.transaction().execute(async (trx) => {
        await notify(trx, { userId: trainer.id, kind: "certificate_issued", title: "Your certificate", body: "Issued." }, now);
        throw new Error("the fact failed");
      }),
    ).rejects.toThrow("the fact failed");
    expect(await unreadCount(db, trainer.id)).toBe(0);
    expect(await outbox(trainer.email)).toEqual([]);
  });

  it("follows the person's preference; a disabled account gets the in-app notification and no email", async () => {
    const assessor = await createUser(db, { role: "assessor" });
    const trainer = await createUser(db, { role: "trainer" });
    const gone = await createUser(db, { role: "admin" });
    await db.updateTable("user").set({ disabled_at: now.toISOString() }).where("id", "=", gone.id).execute();
    expect(await emailModeOf(db, { id: assessor.id, role: "assessor" })).toBe("digest");
    expect(await emailModeOf(db, { id: trainer.id, role: "trainer" })).toBe("immediate");
    await setEmailMode(db, assessor.id, "immediate", now);
    await setEmailMode(db, trainer.id, "digest", now);
    await db.transaction().execute(async (trx) => {
      await notifyStaff(trx, "staff", { kind: "concern_raised", title: "A concern was raised", body: "See the concern.", link: "/staff/concerns" }, now);
      await notify(trx, { userId: trainer.id, kind: "evidence_verified", title: "Your qualification has been verified", body: "Done." }, now);
      await notify(trx, { userId: gone.id, kind: "certificate_status", title: "Urgent, but the account is disabled", body: "x" }, now);
    });
    expect((await outbox(assessor.email)).map((e) => e.subject)).toEqual(["A concern was raised"]);
    expect(await outbox(trainer.email)).toEqual([]);
    expect(await outbox(gone.email)).toEqual([]);
    // notifyStaff passes over disabled accounts; a direct notify records it without email.
    expect(await unreadCount(db, gone.id)).toBe(1);
    const audit = await db.selectFrom("audit_event").select(["action", "details"]).where("action", "=", "notifications.preference_changed").execute();
    expect(audit).toHaveLength(2);
    expect(isEmailMode("digest")).toBe(true);
    expect(isEmailMode("weekly")).toBe(false);
    expect(isEmailMode(undefined)).toBe(false);
  });
});

describe("the daily digest", () => {
  it("groups each person's waiting notifications by kind into one email, from 07:00 UK, once a day", async () => {
    const first = await createUser(db, { role: "assessor", name: "Ada Assessor" });
    const second = await createUser(db, { role: "admin", name: "Avery Admin" });
    const trainer = await createUser(db, { role: "trainer" });
    await db.transaction().execute(async (trx) => {
      await notify(trx, { userId: first.id, kind: "report_to_mark", title: "Report to mark: candidate 1042", body: "x", link: "/staff/marking" }, now);
      await notify(trx, { userId: first.id, kind: "evidence_to_verify", title: "Insurance to verify: Sam", body: "x", link: "/staff/verification" }, now);
      await notify(trx, { userId: first.id, kind: "evidence_to_verify", title: "Qualification to verify: Kim", body: "x", link: "/staff/verification" }, new Date(now.getTime() + 1000));
      await notify(trx, { userId: second.id, kind: "dbs_to_decide", title: "DBS details to decide: Sam", body: "x", link: "/staff/dbs" }, now);
      await notify(trx, { userId: trainer.id, kind: "report_outcome", title: "Immediate, not in a digest", body: "x" }, now);
    });

    // Before 07:00 UK nothing goes.
    expect(await sendDailyDigests(db, early)).toBe(0);
    expect(await sendDailyDigests(db, morning)).toBe(2);
    const [digest, ...more] = await outbox(first.email);
    expect(more).toEqual([]);
    expect(digest!.subject).toBe("Your daily summary: 3 updates");
    const text = digest!.body_text;
    // Work kinds in a fixed order, each with its count, items oldest first.
    expect(text.indexOf("Evidence to verify (2)")).toBeGreaterThan(-1);
    expect(text.indexOf("Reports to mark (1)")).toBeGreaterThan(text.indexOf("Evidence to verify (2)"));
    expect(text.indexOf("Insurance to verify: Sam")).toBeLessThan(text.indexOf("Qualification to verify: Kim"));
    expect(text).toContain("/staff/verification");
    expect((await outbox(second.email)).map((e) => e.subject)).toEqual(["Your daily summary: 1 update"]);
    expect((await outbox(trainer.email)).map((e) => e.subject)).toEqual(["Immediate, not in a digest"]);

    // Later the same day: a new item waits for tomorrow's digest; running again sends nothing.
    await db.transaction().execute((trx) => notify(trx, { userId: first.id, kind: "supervision_due", title: "Supervision due: Sam", body: "x" }, morning));
    expect(await sendDailyDigests(db, new Date(morning.getTime() + 3_600_000))).toBe(0);
    expect(await outbox(first.email)).toHaveLength(1);
    expect(await sendDailyDigests(db, nextMorning)).toBe(1);
    const next = (await outbox(first.email)).at(-1)!;
    expect(next.subject).toBe("Your daily summary: 1 update");
    expect(next.body_text).toContain("Supervision due (1)");
    expect(next.body_text).not.toContain("candidate 1042");
  });

  it("two nodes running the digest at once send each person one digest", async () => {
    const assessor = await createUser(db, { role: "assessor" });
    await db.transaction().execute((trx) => notify(trx, { userId: assessor.id, kind: "report_to_moderate", title: "Report to moderate", body: "x" }, now));
    const runs = await Promise.all([sendDailyDigests(db, morning), sendDailyDigests(db, morning)]);
    expect(runs.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await outbox(assessor.email)).toHaveLength(1);
  });

  it("composes plain text with the labels of the kinds", () => {
    const { text } = composeDigest("Ada", [{ kind: "concern_raised", title: "A concern", link: null, created_at: "2026-06-01T09:00:00.000Z" }], "http://academy.test");
    expect(text).toContain("Concerns raised (1)\n- A concern");
  });
});

describe("each person's own list", () => {
  it("lists, marks read and marks all read only the person's own notifications", async () => {
    const mine = await createUser(db, { role: "trainer" });
    const theirs = await createUser(db, { role: "trainer" });
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < 3; i += 1) await notify(trx, { userId: mine.id, kind: "evidence_verified", title: `Mine ${i}`, body: "x" }, now);
      await notify(trx, { userId: theirs.id, kind: "evidence_verified", title: "Theirs", body: "x" }, now);
    });
    const list = await listNotifications(db, mine.id);
    expect(list.items.map((n) => n.title)).toEqual(["Mine 2", "Mine 1", "Mine 0"]);
    const other = (await listNotifications(db, theirs.id)).items[0]!;

    // Another person's notification: refused, and left unread.
    expect(await markRead(db, mine.id, other.id, morning)).toBe(false);
    expect(await unreadCount(db, theirs.id)).toBe(1);

    expect(await markRead(db, mine.id, list.items[0]!.id, morning)).toBe(true);
    expect(await unreadCount(db, mine.id)).toBe(2);
    expect(await markAllRead(db, mine.id, morning)).toBe(2);
    expect(await unreadCount(db, mine.id)).toBe(0);
    expect(await unreadCount(db, theirs.id)).toBe(1);
  });
});
