/**
 * The outbox worker (issue 12 item 3, ADR 0028): retries with exponential backoff, gives up after
 * MAX_ATTEMPTS (or at once on a permanent refusal) and marks the email failed, never stalls
 * behind failures, and never sends one email twice when two workers on two connections race.
 * Runs on SQLite, and on PostgreSQL when DATABASE_URL is set.
 */
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, type DB } from "~db/connection";
import { BACKOFF_BASE_MS, MAX_ATTEMPTS, PermanentDeliveryError, backoffMs, deliverBatch, drainOutbox, queueEmails, type EmailTransport, type OutgoingEmail } from "~/email/outbox.server";
import { createTestDb } from "../helpers/db";
import { createSharedDatabase, removeSharedDatabase } from "../helpers/shared-db";

const now = new Date("2026-06-01T09:00:00Z");
const at = (ms: number) => new Date(now.getTime() + ms);
const emails = (count: number, domain = "example.test", prefix = "Email") => Array.from({ length: count }, (_, i) => ({ to: `t${i}@${domain}`, subject: `${prefix} ${i}`, text: "Hello" }));

/** A transport that records what it accepted and refuses what `refuse` says. */
function recorder(refuse: (email: OutgoingEmail, call: number) => Error | null = () => null) {
  const sent: string[] = [];
  let calls = 0;
  const transport: EmailTransport = {
    send: async (email) => {
      calls += 1;
      const error = refuse(email, calls);
      if (error) throw error;
      sent.push(email.subject);
    },
  };
  return { transport, sent, calls: () => calls };
}

const opened: DB[] = [];
const files: string[] = [];
afterAll(async () => {
  for (const db of opened) await db.destroy();
  for (const target of files) removeSharedDatabase(target);
});

describe("the outbox worker", () => {
  it("retries a refused email after an exponential backoff and sends it once accepted", async () => {
    const db = await createTestDb();
    await queueEmails(db, emails(1), now);
    // Refused on the first two tries, accepted on the third.
    const smtp = recorder((_, call) => (call <= 2 ? new Error("421 try again later") : null));

    expect(await deliverBatch(db, now, smtp.transport)).toEqual({ claimed: 1, sent: 0, retrying: 1, failed: 0 });
    let row = await db.selectFrom("email_outbox").selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ attempts: 1, sent_at: null, failed_at: null, claimed_by: null, next_attempt_at: at(BACKOFF_BASE_MS).toISOString() });
    expect(row.last_error).toMatch(/421/);

    // Not before its backoff has passed.
    expect((await deliverBatch(db, at(BACKOFF_BASE_MS - 1), smtp.transport)).claimed).toBe(0);
    expect((await deliverBatch(db, at(BACKOFF_BASE_MS), smtp.transport)).retrying).toBe(1);
    row = await db.selectFrom("email_outbox").selectAll().executeTakeFirstOrThrow();
    // The second wait is twice the first.
    expect(row.attempts).toBe(2);
    expect(row.next_attempt_at).toBe(at(BACKOFF_BASE_MS + 2 * BACKOFF_BASE_MS).toISOString());
    expect((await deliverBatch(db, at(3 * BACKOFF_BASE_MS - 1), smtp.transport)).claimed).toBe(0);

    expect((await deliverBatch(db, at(3 * BACKOFF_BASE_MS), smtp.transport)).sent).toBe(1);
    row = await db.selectFrom("email_outbox").selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ attempts: 3, sent_at: at(3 * BACKOFF_BASE_MS).toISOString(), failed_at: null });
    expect(smtp.sent).toEqual(["Email 0"]);
    expect(smtp.calls()).toBe(3);
    // Sent is sent: later runs leave it alone.
    expect((await deliverBatch(db, at(1e9), smtp.transport)).claimed).toBe(0);
  });

  it("the backoff doubles and is capped", () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([1, 2, 4, 8].map((n) => n * BACKOFF_BASE_MS));
    expect(backoffMs(30)).toBe(6 * 3_600_000);
  });

  it(`gives up after ${MAX_ATTEMPTS} tries: marked failed with its error, and never claimed again`, async () => {
    const db = await createTestDb();
    await queueEmails(db, emails(1), now);
    const smtp = recorder(() => new Error("451 mailbox busy"));
    let clock = now;
    for (let i = 1; i <= MAX_ATTEMPTS; i += 1) {
      const run = await deliverBatch(db, clock, smtp.transport);
      expect(run).toEqual({ claimed: 1, sent: 0, retrying: i < MAX_ATTEMPTS ? 1 : 0, failed: i < MAX_ATTEMPTS ? 0 : 1 });
      clock = new Date(clock.getTime() + backoffMs(i));
    }
    const row = await db.selectFrom("email_outbox").selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ attempts: MAX_ATTEMPTS, sent_at: null, failed_at: expect.any(String), next_attempt_at: null });
    expect(row.last_error).toMatch(/451/);
    expect((await deliverBatch(db, at(1e10), smtp.transport)).claimed).toBe(0);
    expect(smtp.calls()).toBe(MAX_ATTEMPTS);
  });

  it("does not stall after 100 permanent failures: the emails behind them go in the same run, and the failures are never tried again", async () => {
    const db = await createTestDb();
    await queueEmails(db, emails(100, "bounce.example.test", "Bounce"), now);
    await queueEmails(db, emails(5, "example.test", "Good"), now);
    const smtp = recorder((email) => (email.to.endsWith("@bounce.example.test") ? new PermanentDeliveryError("550 no such user") : null));

    const run = await drainOutbox(db, now, { transport: smtp.transport });
    expect(run).toEqual({ claimed: 105, sent: 5, retrying: 0, failed: 100 });
    expect(smtp.sent).toEqual(["Good 0", "Good 1", "Good 2", "Good 3", "Good 4"]);
    const failed = await db.selectFrom("email_outbox").select((eb) => eb.fn.countAll<number>().as("n")).where("failed_at", "is not", null).executeTakeFirstOrThrow();
    expect(Number(failed.n)).toBe(100);

    // A new email later goes at once; the 100 failures are not even looked at again.
    await queueEmails(db, [{ to: "late@example.test", subject: "Late", text: "Hi" }], at(60_000));
    const callsBefore = smtp.calls();
    expect(await drainOutbox(db, at(1e10), { transport: smtp.transport })).toEqual({ claimed: 1, sent: 1, retrying: 0, failed: 0 });
    expect(smtp.calls() - callsBefore).toBe(1);
  });

  it("does not stall behind 100 emails that keep failing for now: they wait out their backoff while later ones go", async () => {
    const db = await createTestDb();
    await queueEmails(db, emails(100, "down.example.test", "Down"), now);
    await queueEmails(db, emails(3, "example.test", "Good"), now);
    const smtp = recorder((email) => (email.to.endsWith("@down.example.test") ? new Error("421 service not available") : null));
    expect(await drainOutbox(db, now, { transport: smtp.transport })).toEqual({ claimed: 103, sent: 3, retrying: 100, failed: 0 });
    expect(smtp.sent).toEqual(["Good 0", "Good 1", "Good 2"]);
    // Until their backoff passes, a run finds nothing to do.
    expect((await drainOutbox(db, at(BACKOFF_BASE_MS - 1), { transport: smtp.transport })).claimed).toBe(0);
  });
});

describe("two workers racing for one outbox", () => {
  it("two connections interleaved mid-batch send each email exactly once", async () => {
    const { target, db } = await createSharedDatabase("outbox-race");
    opened.push(db);
    files.push(target);
    // A second node: its own connection (pool) to the same SQLite file or PostgreSQL database.
    const other = (/^postgres(ql)?:\/\//.test(target) ? openDatabase({ engine: "postgres", url: target, poolSize: 2 }) : openDatabase({ engine: "sqlite", path: target })).db;
    opened.push(other);
    await queueEmails(db, emails(120), now);

    const sends: string[] = [];
    let secondRan = false;
    const secondWorker: EmailTransport = { send: async (email) => void sends.push(`B:${email.subject}`) };
    // Worker A has claimed its batch; while it sends the first email, worker B runs to the end:
    // the worst moment for a race, and the one a broken claim loses.
    const firstWorker: EmailTransport = {
      send: async (email) => {
        if (!secondRan) {
          secondRan = true;
          await drainOutbox(other, now, { transport: secondWorker });
        }
        sends.push(`A:${email.subject}`);
      },
    };
    await drainOutbox(db, now, { transport: firstWorker });

    const subjects = sends.map((s) => s.slice(2));
    expect(subjects).toHaveLength(120);
    expect(new Set(subjects).size).toBe(120);
    // A sent the one batch (50) it had claimed; B the other 70 (a claim never takes more than a batch).
    expect(sends.filter((s) => s.startsWith("A:"))).toHaveLength(50);
    expect(sends.filter((s) => s.startsWith("B:"))).toHaveLength(70);
    const unsent = await db.selectFrom("email_outbox").select("id").where("sent_at", "is", null).execute();
    expect(unsent).toHaveLength(0);
  });

  it("two workers started together on two connections send 300 emails once each", async () => {
    const { target, db } = await createSharedDatabase("outbox-together");
    opened.push(db);
    files.push(target);
    const other = (/^postgres(ql)?:\/\//.test(target) ? openDatabase({ engine: "postgres", url: target, poolSize: 2 }) : openDatabase({ engine: "sqlite", path: target })).db;
    opened.push(other);
    await queueEmails(db, emails(300), now);
    const sends: string[] = [];
    // Each send yields, so the two workers' claims and sends interleave.
    const transport: EmailTransport = { send: async (email) => void (await new Promise((r) => setImmediate(r)), sends.push(email.subject)) };
    await Promise.all([drainOutbox(db, now, { transport }), drainOutbox(other, now, { transport })]);
    expect(sends).toHaveLength(300);
    expect(new Set(sends).size).toBe(300);
  });
});
