import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it, vi } from "vitest";
import { openDatabase, type DB } from "~db/connection";
import { isPostgres, runExclusively } from "~db/dialect";
import { queueEmails } from "~/email/outbox.server";
import { runScheduledJobs, SCHEDULED_JOBS_LOCK } from "~/jobs/scheduled.server";
import { authoriseEvidenceDownload, commitEvidenceFile, evidenceStoreOf, readEvidenceBytes, stageUpload } from "~/evidence/files.server";
import { iso } from "~/utils/clock";
import { cache, CACHE_MS, INVALIDATE_CHANNEL, invalidatePublicView, listenForCertificateChanges } from "~/certificates/public.server";
import { verifyRateLimiter } from "~/certificates/verify-http.server";
import { listenToNodes, notifyNodes } from "~db/notify";
import { createSharedDatabase, removeSharedDatabase } from "../helpers/shared-db";
import { startSmtpSink } from "../helpers/smtp-sink";
import { testPostgresUrl } from "../helpers/postgres";
import { tinyPdf } from "../helpers/evidence";

/**
 * Several app nodes against one database (ADR 0021). Each "node" here is a process of its own,
 * or a connection pool of its own, on the same SQLite file or PostgreSQL database. Email goes to
 * a real SMTP server on a local port, which records what it accepts.
 */
const sink = await startSmtpSink();
process.env.SMTP_HOST = "127.0.0.1";
process.env.SMTP_PORT = String(sink.port);
const { deliverPendingEmail } = await import("~/email/outbox.server");

const run = promisify(execFile);
const now = new Date("2026-06-01T09:00:00Z");
const opened: DB[] = [];
const files: string[] = [];
afterAll(async () => {
  for (const db of opened) await db.destroy();
  for (const target of files) removeSharedDatabase(target);
  await sink.close();
});

/** A shared database, and a way to open it again as another node (its own pool or connection). */
async function sharedDatabase(label: string): Promise<{ target: string; db: DB; open: (poolSize?: number) => DB }> {
  const { target, db } = await createSharedDatabase(label);
  opened.push(db);
  files.push(target);
  const open = (poolSize = 4) => {
    const another = /^postgres(ql)?:\/\//.test(target) ? openDatabase({ engine: "postgres", url: target, poolSize }).db : openDatabase({ engine: "sqlite", path: target }).db;
    opened.push(another);
    return another;
  };
  return { target, db, open };
}

/** The subjects of the messages the SMTP server accepted since `from`. */
const subjectsSince = (from: number) => sink.received.slice(from).map((m) => /^Subject: (.*)$/m.exec(m.data)?.[1]?.trim());

const emails = (count: number) => Array.from({ length: count }, (_, i) => ({ to: `t${i}@example.test`, subject: `Email ${i}`, text: "Hello" }));

describe("the email worker on several nodes", () => {
  it("four worker processes draining one outbox send each email exactly once", async () => {
    const { target, db } = await sharedDatabase("outbox");
    await queueEmails(db, emails(160), now);
    const before = sink.received.length;
    const outputs = await Promise.all(Array.from({ length: 4 }, () => run("node_modules/.bin/tsx", ["tests/unit/support/deliver-email.ts", target], { timeout: 60_000, env: process.env })));
    const perProcess = outputs.map((o) => (JSON.parse(o.stdout.trim().split("\n").at(-1)!) as { sent: number }).sent);
    const subjects = subjectsSince(before);
    expect(subjects).toHaveLength(160);
    expect(new Set(subjects).size).toBe(160);
    expect(perProcess.reduce((a, b) => a + b, 0)).toBe(160);
    const unsent = await db.selectFrom("email_outbox").select("id").where("sent_at", "is", null).execute();
    expect(unsent).toHaveLength(0);
  }, 90_000);

  it("20 delivery runs at once on 20 connections send 200 emails once each", async () => {
    const { open } = await sharedDatabase("outbox20");
    const db = open(20);
    await queueEmails(db, emails(200), now);
    const before = sink.received.length;
    const drain = async () => {
      while ((await deliverPendingEmail(db, now)) > 0);
    };
    await Promise.all(Array.from({ length: 20 }, drain));
    const subjects = subjectsSince(before);
    expect(subjects).toHaveLength(200);
    expect(new Set(subjects).size).toBe(200);
  }, 90_000);

  it("an email whose claim has outlived the lease is taken over; a fresh claim is not", async () => {
    const { db } = await sharedDatabase("lease");
    await queueEmails(db, emails(2), now);
    // A node claimed both and died: one claim is an hour old, the other a minute.
    const rows = await db.selectFrom("email_outbox").select("id").orderBy("id").execute();
    await db.updateTable("email_outbox").set({ claimed_at: "2026-06-01T08:00:00.000Z", claimed_by: "dead" }).where("id", "=", rows[0]!.id).execute();
    await db.updateTable("email_outbox").set({ claimed_at: "2026-06-01T08:59:00.000Z", claimed_by: "busy" }).where("id", "=", rows[1]!.id).execute();
    const before = sink.received.length;
    expect(await deliverPendingEmail(db, now)).toBe(1);
    expect(subjectsSince(before)).toEqual(["Email 0"]);
  });
});

describe("scheduled jobs on several nodes", () => {
  it("while one node runs them, another node's attempt skips; once finished, it may run", async () => {
    const { db: nodeA, open } = await sharedDatabase("jobs");
    // Two nodes: on PostgreSQL two separate pools (separate sessions), on SQLite one process.
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

describe("evidence on several nodes", () => {
  it("a file uploaded through one node is served by another with its own, empty evidence folder", async () => {
    const { db: nodeA, open } = await sharedDatabase("evidence");
    const nodeB = open();
    const owner = await nodeA
      .insertInto("user")
      .values({ email: "owner@example.test", name: "Owner", role: "trainer", password_hash: "x", disabled_at: null, created_at: iso(now), updated_at: iso(now) })
      .returning("id")
      .executeTakeFirstOrThrow();
    const folderA = fs.mkdtempSync(path.join(os.tmpdir(), "ata-node-a-"));
    const folderB = fs.mkdtempSync(path.join(os.tmpdir(), "ata-node-b-"));
    const staged = await stageUpload((async function* () {
      yield tinyPdf();
    })(), { evidenceDir: folderA, clientFileName: "insurance.pdf" });
    if (!staged.ok) throw new Error("staging failed");
    const row = await commitEvidenceFile(nodeA, staged.file, folderA, owner.id, now);
    await nodeA.insertInto("evidence_file").values(row).execute();

    const decision = await authoriseEvidenceDownload(nodeB, { id: owner.id, role: "trainer" }, row.id);
    expect(decision.ok).toBe(true);
    const served = await readEvidenceBytes(nodeB, folderB, row.storage_name);
    if (evidenceStoreOf(nodeA) === "database") {
      // PostgreSQL: the bytes are in the database, so node B serves them (ADR 0022).
      expect(served).toEqual(tinyPdf());
      expect(fs.readdirSync(folderA, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())).toHaveLength(0);
    } else {
      // SQLite is one machine: the folder is the store, and only a node sharing it serves the file.
      expect(served).toBeNull();
      expect(await readEvidenceBytes(nodeB, folderA, row.storage_name)).toEqual(tinyPdf());
    }
    for (const folder of [folderA, folderB]) fs.rmSync(folder, { recursive: true, force: true });
  });
});

describe.skipIf(!testPostgresUrl())("verification pages on several nodes (PostgreSQL)", () => {
  it("a certificate change on one node reaches every listening node's cache (LISTEN/NOTIFY)", async () => {
    const { target, db: nodeA } = await sharedDatabase("notify");
    const listener = listenForCertificateChanges(target);
    let heard!: (payload: string) => void;
    const heardByWitness = new Promise<string>((resolve) => (heard = resolve));
    const witness = listenToNodes(target, INVALIDATE_CHANNEL, { onMessage: (payload) => heard(payload), onGap: () => undefined });
    await Promise.all([listener.ready, witness.ready]);
    // A change on node A is announced to every node.
    const changed = "a".repeat(32);
    await invalidatePublicView(nodeA, changed);
    expect(await heardByWitness).toBe(changed);
    // Node B's serving process holds a cached view; the announcement (not a local call) drops it.
    const cached = "b".repeat(32);
    cache().set(cached, { at: now.getTime(), view: null });
    await notifyNodes(nodeA, INVALIDATE_CHANNEL, cached);
    await vi.waitFor(() => expect(cache().get(cached)).toBeUndefined(), { timeout: CACHE_MS });
    await Promise.all([listener.stop(), witness.stop()]);
  }, 30_000);

  it("the verification lookup limit is counted once for all nodes", async () => {
    const { db: nodeA, open } = await sharedDatabase("verifylimit");
    const nodeB = open();
    const limit = { perMinute: 3, processes: 4 };
    globalThis.__academyVerifyLimiter = undefined;
    const onA = verifyRateLimiter(nodeA, limit);
    for (let i = 0; i < 3; i += 1) {
      expect(await onA.retryAfterMs("203.0.113.9", now)).toBe(0);
      await onA.record("203.0.113.9", now);
    }
    // Another node (another process: its own limiter) sees the same count: the fourth is refused.
    globalThis.__academyVerifyLimiter = undefined;
    const onB = verifyRateLimiter(nodeB, limit);
    expect(await onB.retryAfterMs("203.0.113.9", now)).toBeGreaterThan(0);
    expect(await onB.retryAfterMs("203.0.113.10", now)).toBe(0);
    globalThis.__academyVerifyLimiter = undefined;
  });
});
