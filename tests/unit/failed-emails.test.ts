/**
 * Failed emails for admins (issue 12 item 3, ADR 0028): what the outbox worker gave up on is
 * listed newest first in keyset pages; an admin retries one (back to the worker as new, then
 * sent) or dismisses it (kept, off the list); each once, audited by id and subject only.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { PermanentDeliveryError, deliverBatch, queueEmails, type EmailTransport } from "~/email/outbox.server";
import { dismissFailedEmail, listFailedEmails, parseFailedEmailsPage, retryFailedEmail } from "~/notifications/failed-emails.server";
import { MINUTE, addMs } from "~/utils/clock";
import { createTestDb, createUser } from "../helpers/db";

const now = new Date("2026-06-01T09:00:00Z");
let db: DB;
let adminId: number;
const refuseAll: EmailTransport = { send: async () => Promise.reject(new PermanentDeliveryError("550 no such mailbox")) };

async function failedIds() {
  return (await listFailedEmails(db, { cursor: null, limit: 100 })).items.map((e) => e.id);
}

beforeAll(async () => {
  db = await createTestDb();
  adminId = (await createUser(db, { role: "admin" })).id;
  // Five emails refused for good, each a minute apart; one sent; one still waiting.
  for (let i = 0; i < 5; i += 1) {
    await queueEmails(db, [{ to: `gone${i}@example.test`, subject: `Failed ${i}`, text: `secret link ${i}` }], addMs(now, i * MINUTE));
    await deliverBatch(db, addMs(now, i * MINUTE), refuseAll);
  }
  await queueEmails(db, [{ to: "fine@example.test", subject: "Sent", text: "x" }], now);
  await deliverBatch(db, now, { send: async () => undefined });
  await queueEmails(db, [{ to: "later@example.test", subject: "Waiting", text: "x" }], now);
});

describe("the failed-email list", () => {
  it("lists only given-up emails, newest failure first, in keyset pages, without their text", async () => {
    const all = await listFailedEmails(db, { cursor: null, limit: 100 });
    expect(all.items.map((e) => e.subject)).toEqual(["Failed 4", "Failed 3", "Failed 2", "Failed 1", "Failed 0"]);
    expect(all.items[0]).toMatchObject({ to: "gone4@example.test", attempts: 1, lastError: expect.stringContaining("550") });
    expect(JSON.stringify(all)).not.toContain("secret link");
    const first = await listFailedEmails(db, { cursor: null, limit: 2 });
    expect(first.total).toBe(5);
    const second = await listFailedEmails(db, parseFailedEmailsPage(new URLSearchParams({ after: first.next!, limit: "2" })));
    expect(second.items.map((e) => e.subject)).toEqual(["Failed 2", "Failed 1"]);
    expect(second.offset).toBe(2);
  });
});

describe("retry and dismiss", () => {
  it("retry puts the email back as new, the worker then sends it, and it leaves the list; a second retry is refused", async () => {
    const [id] = await failedIds();
    expect(await retryFailedEmail(db, adminId, id!, now)).toEqual({ ok: true, value: null });
    expect(await failedIds()).not.toContain(id);
    const row = await db.selectFrom("email_outbox").selectAll().where("id", "=", id!).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ failed_at: null, attempts: 0, next_attempt_at: null, claimed_by: null, sent_at: null });
    const sent: string[] = [];
    await deliverBatch(db, addMs(now, 10 * MINUTE), { send: async (e) => void sent.push(e.subject) });
    expect(sent).toContain(row.subject);
    expect(await retryFailedEmail(db, adminId, id!, now)).toMatchObject({ ok: false, status: 404 });
  });

  it("dismiss keeps the email, unsent, off the list; it cannot then be retried; a sent or waiting email can be neither", async () => {
    const [id] = await failedIds();
    expect((await dismissFailedEmail(db, adminId, id!, now)).ok).toBe(true);
    expect(await failedIds()).not.toContain(id);
    expect(await db.selectFrom("email_outbox").select(["sent_at", "dismissed_at", "dismissed_by_user_id"]).where("id", "=", id!).executeTakeFirstOrThrow()).toEqual({ sent_at: null, dismissed_at: now.toISOString(), dismissed_by_user_id: adminId });
    expect(await dismissFailedEmail(db, adminId, id!, now)).toMatchObject({ ok: false, status: 404 });
    expect(await retryFailedEmail(db, adminId, id!, now)).toMatchObject({ ok: false, status: 404 });
    for (const subject of ["Sent", "Waiting"]) {
      const other = await db.selectFrom("email_outbox").select("id").where("subject", "=", subject).executeTakeFirstOrThrow();
      expect(await retryFailedEmail(db, adminId, other.id, now)).toMatchObject({ ok: false, status: 404 });
      expect(await dismissFailedEmail(db, adminId, other.id, now)).toMatchObject({ ok: false, status: 404 });
    }
    // A dismissed email is never claimed by the worker.
    const tried: string[] = [];
    await deliverBatch(db, addMs(now, 60 * MINUTE), { send: async (e) => void tried.push(e.subject) });
    expect(tried).not.toContain("Failed 3");
  });

  it("each retry and dismissal is audited by the admin, with the email's id and subject, never its address or text", async () => {
    const events = await db.selectFrom("audit_event").select(["action", "actor_user_id", "subject_type", "subject_id", "details"]).where("subject_type", "=", "email").orderBy("id").execute();
    expect(events.map((e) => e.action)).toEqual(["email.retried", "email.dismissed"]);
    for (const e of events) {
      expect(e.actor_user_id).toBe(adminId);
      expect(JSON.parse(e.details)).toEqual({ subject: expect.stringMatching(/^Failed \d$/) });
      expect(e.details).not.toMatch(/@example\.test|secret link/);
    }
  });
});
