import { afterAll, describe, expect, it } from "vitest";
import { createTestDb } from "../helpers/db";
import { startSmtpSink } from "../helpers/smtp-sink";

// A real SMTP server on a local port; the outbox reads SMTP_HOST/SMTP_PORT once, so they are set
// before the module is first loaded (vitest gives each test file its own module registry).
const sink = await startSmtpSink();
process.env.SMTP_HOST = "127.0.0.1";
process.env.SMTP_PORT = String(sink.port);
const { queueEmail, deliverPendingEmail } = await import("~/email/outbox.server");

afterAll(() => sink.close());

const now = new Date("2026-06-01T09:00:00Z");

describe("the email outbox", () => {
  it("queues without sending; the worker records sent_at only once the SMTP server has accepted the message", async () => {
    const db = await createTestDb();
    const id = await queueEmail(db, { to: "trainer@example.test", subject: "Your certificate", text: "Line one\n.\nLine three" }, now);
    const queued = await db.selectFrom("email_outbox").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(queued.sent_at).toBeNull();
    expect(sink.received).toHaveLength(0);
    expect(await deliverPendingEmail(db, now)).toBe(1);
    const row = await db.selectFrom("email_outbox").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.sent_at).toBe(now.toISOString());
    expect(row.last_error).toBeNull();
    expect(sink.received).toHaveLength(1);
    expect(sink.received[0]!.to).toEqual(["trainer@example.test"]);
    expect(sink.received[0]!.data).toContain("Subject: Your certificate");
    expect(sink.received[0]!.data).toContain("Line one\r\n.\r\nLine three");
  });

  it("keeps a refused email unsent with the error, and sends it on a later run", async () => {
    const db = await createTestDb();
    sink.state.refuse = true;
    const before = sink.received.length;
    const id = await queueEmail(db, { to: "assessor@example.test", subject: "Work waiting", text: "Two reports." }, now);
    expect(await deliverPendingEmail(db, now)).toBe(0);
    const refused = await db.selectFrom("email_outbox").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(refused.sent_at).toBeNull();
    expect(refused.last_error).toMatch(/550/);
    expect(refused.attempts).toBe(1);
    expect(refused.next_attempt_at).toBe(new Date(now.getTime() + 2 * 60_000).toISOString());
    expect(sink.received).toHaveLength(before);

    sink.state.refuse = false;
    const later = new Date("2026-06-01T10:00:00Z");
    await deliverPendingEmail(db, later);
    const sent = await db.selectFrom("email_outbox").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(sent.sent_at).toBe(later.toISOString());
    expect(sink.received.map((m) => m.to[0])).toEqual([...sink.received.slice(0, before).map((m) => m.to[0]), "assessor@example.test"]);
  });
});
