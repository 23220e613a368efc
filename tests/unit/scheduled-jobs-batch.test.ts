/**
 * The hourly jobs work in batches (issue 19, ADR 0014): each step reads its candidates in one
 * query and applies them a thousand per transaction, so the number of statements does not grow
 * with the backlog (the credential sync signs each new credential, CPU work without statements);
 * emails are queued in the outbox, and only a first batch is delivered.
 */
import { describe, expect, it } from "vitest";
import { runScheduledJobs } from "~/jobs/scheduled.server";
import { growAcademy } from "../../scripts/lib/seed-scale";
import { seedCertifiedTrainer } from "../../scripts/lib/seed-certified";
import { openScaleDb } from "../helpers/scale-db";

const BASE = "http://academy.test";
const now = new Date("2026-06-01T09:00:00Z");

describe("the hourly jobs on a backlog", () => {
  it("run the same statements for the backlog of 60 trainers as for 300, and queue every email", async () => {
    const { db, record, ctx, staff } = await openScaleDb(now);
    // An academy already issuing: its key, status list and a first credential exist (the real flow).
    await seedCertifiedTrainer(db, { name: "First Trainer", email: "first@example.test", password: "seeded password 1", staffUserId: staff[0]!.id }, BASE, now);
    const info = console.info;
    console.info = () => {};
    try {
      await growAcademy(db, { from: 0, to: 60 }, ctx);
      const small = await record((db) => runScheduledJobs(db, { now: () => now, publicBaseUrl: BASE }));
      await growAcademy(db, { from: 60, to: 360 }, ctx);
      const large = await record((db) => runScheduledJobs(db, { now: () => now, publicBaseUrl: BASE }));
      if (!small.result.ran || !large.result.ran) throw new Error("the jobs' lock was taken");
      const a = small.result.result;
      const b = large.result.result;
      // A real backlog each time, larger the second time.
      for (const key of ["insuranceExpired", "insuranceReminders", "dbsRechecksDue", "dbsDetailsErased"] as const) {
        expect(a.entryRequirements[key], key).toBeGreaterThan(0);
        expect(b.entryRequirements[key], key).toBeGreaterThan(a.entryRequirements[key]);
      }
      // Delivering the first email batch marks each email sent as the SMTP server accepts it: at most one batch.
      const delivery = (q: { sql: string }) => /^update "email_outbox" set "sent_at"/.test(q.sql);
      expect(large.queries.filter(delivery).length).toBeLessThanOrEqual(50);
      expect(large.queries.filter((q) => !delivery(q)).length).toBe(small.queries.filter((q) => !delivery(q)).length);
      // Every reminder's email is in the outbox; a first batch went out, the rest wait for the outbox worker.
      const queued = await db.selectFrom("email_outbox").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      expect(Number(queued.n)).toBeGreaterThanOrEqual(a.entryRequirements.insuranceReminders + b.entryRequirements.insuranceReminders);
      expect(b.emailsSent).toBeLessThan(Number(queued.n));
    } finally {
      console.info = info;
    }
  }, 120_000);
});
