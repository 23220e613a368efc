import { execFile } from "node:child_process";
import fs from "node:fs";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, type DB } from "~db/connection";
import { isPostgres, runExclusively } from "~db/dialect";
import { migrateToLatest } from "~db/migrate";
import { deliverPendingEmail, queueEmails } from "~/email/outbox.server";
import { runScheduledJobs, SCHEDULED_JOBS_LOCK } from "~/jobs/scheduled.server";
import { createDatabase, databaseName, testPostgresUrl, uniqueDatabaseName } from "../helpers/postgres";
import { recordingTransport } from "./support/recording-transport";

/**
 * Several app nodes against one database (ADR 0021). Each "node" here is a process of its own
 * (or, on PostgreSQL, a pool of its own), opening the same SQLite file or PostgreSQL database.
 */
const run = promisify(execFile);
const now = new Date("2026-06-01T09:00:00Z");
const opened: DB[] = [];
afterAll(async () => {
  for (const db of opened) await db.destroy();
});

/** A database several processes can open: a SQLite file, or a PostgreSQL database (its URL). */
async function sharedDatabase(label: string): Promise<{ target: string; open: (poolSize?: number) => DB }> {
  const url = testPostgresUrl();
  let target: string;
  if (url) {
    target = await createDatabase(url, uniqueDatabaseName(process.env.ATA_TEST_PG_RUN ?? `${databaseName(url)}_adhoc`, label), process.env.ATA_TEST_PG_TEMPLATE);
  } else {
    fs.mkdirSync("tests/.tmp", { recursive: true });
    target = `tests/.tmp/${label}-${process.pid}.sqlite`;
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${target}${suffix}`, { force: true });
  }
  const open = (poolSize = 4) => {
    const { db } = openDatabase(url ? { engine: "postgres", url: target, poolSize } : { engine: "sqlite", path: target });
    opened.push(db);
    return db;
  };
  const first = open();
  if (!url || !process.env.ATA_TEST_PG_TEMPLATE) await migrateToLatest(first);
  return { target, open };
}

const emails = (count: number) => Array.from({ length: count }, (_, i) => ({ to: `t${i}@example.test`, subject: `Email ${i}`, text: "Hello" }));

describe("the email worker on several nodes", () => {
  it("four worker processes draining one outbox send each email exactly once", async () => {
    const { target, open } = await sharedDatabase("outbox");
    const db = open();
    await queueEmails(db, emails(160), now);
    const outputs = await Promise.all(Array.from({ length: 4 }, () => run("node_modules/.bin/tsx", ["tests/unit/support/deliver-email.ts", target], { timeout: 60_000 })));
    const perProcess = outputs.map((o) => JSON.parse(o.stdout.trim().split("\n").at(-1)!) as string[]);
    const all = perProcess.flat();
    expect(all).toHaveLength(160);
    expect(new Set(all).size).toBe(160);
    const unsent = await db.selectFrom("email_outbox").select("id").where("sent_at", "is", null).execute();
    expect(unsent).toHaveLength(0);
  }, 90_000);

  it("20 delivery runs at once on 20 connections never send an email twice", async () => {
    const { open } = await sharedDatabase("outbox20");
    const db = open(20);
    await queueEmails(db, emails(300), now);
    const sent: string[] = [];
    const transport = recordingTransport(sent);
    const drain = async () => {
      while ((await deliverPendingEmail(db, now, { transport })) > 0);
    };
    await Promise.all(Array.from({ length: 20 }, drain));
    expect(sent).toHaveLength(300);
    expect(new Set(sent).size).toBe(300);
  });

  it("an email whose claim has outlived the lease is taken over; a fresh claim is not", async () => {
    const { open } = await sharedDatabase("lease");
    const db = open();
    await queueEmails(db, emails(2), now);
    // A node claimed both and died: one claim is an hour old, the other a minute.
    const rows = await db.selectFrom("email_outbox").select("id").orderBy("id").execute();
    await db.updateTable("email_outbox").set({ claimed_at: "2026-06-01T08:00:00.000Z", claimed_by: "dead" }).where("id", "=", rows[0]!.id).execute();
    await db.updateTable("email_outbox").set({ claimed_at: "2026-06-01T08:59:00.000Z", claimed_by: "busy" }).where("id", "=", rows[1]!.id).execute();
    const sent: string[] = [];
    expect(await deliverPendingEmail(db, now, { transport: recordingTransport(sent) })).toBe(1);
    expect(sent).toEqual(["Email 0"]);
  });
});

describe("scheduled jobs on several nodes", () => {
  it("while one node runs them, another node's attempt skips; once finished, it may run", async () => {
    const { open } = await sharedDatabase("jobs");
    // Two nodes: on PostgreSQL two separate pools (separate sessions), on SQLite one process.
    const nodeA = open();
    const nodeB = isPostgres(nodeA) ? open() : nodeA;
    let release!: () => void;
    const holding = new Promise<void>((resolve) => (release = resolve));
    let entered!: () => void;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const first = runExclusively(nodeA, SCHEDULED_JOBS_LOCK, async () => {
      entered();
      await holding;
      return "A";
    });
    await inside;
    // Node A is inside the jobs: node B's hourly run finds them taken and does nothing.
    expect(await runScheduledJobs(nodeB, { now: () => now, publicBaseUrl: "http://academy.test" })).toEqual({ ran: false });
    release();
    expect(await first).toEqual({ ran: true, result: "A" });
    // A has finished: B's next run does the work.
    const next = await runScheduledJobs(nodeB, { now: () => now, publicBaseUrl: "http://academy.test" });
    expect(next.ran).toBe(true);
  });

  it.skipIf(!testPostgresUrl())("on PostgreSQL, 10 nodes trying at once: exactly one runs", async () => {
    const { open } = await sharedDatabase("jobs10");
    const nodes = Array.from({ length: 10 }, () => open(2));
    let release!: () => void;
    const holding = new Promise<void>((resolve) => (release = resolve));
    // Resolves once nine nodes have their answer, or as soon as a second node gets in.
    let nineAnswered!: () => void;
    const answeredOrBroken = new Promise<void>((resolve) => (nineAnswered = resolve));
    const answers: boolean[] = [];
    let ran = 0;
    const attempts = nodes.map((node) =>
      runExclusively(node, SCHEDULED_JOBS_LOCK, async () => {
        ran += 1;
        if (ran > 1) nineAnswered();
        await holding;
      }).then((outcome) => {
        answers.push(outcome.ran);
        if (answers.length === 9) nineAnswered();
      }),
    );
    await answeredOrBroken;
    // One node is inside the jobs; the other nine were told "taken" without waiting for it.
    expect(ran).toBe(1);
    expect(answers).toEqual(Array(9).fill(false));
    release();
    await Promise.all(attempts);
    expect(answers.filter((a) => a)).toHaveLength(1);
  });
});
