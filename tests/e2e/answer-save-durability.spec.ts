import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { withDatabaseOf } from "./support/database";
import { startOwnServer } from "./support/own-server";

/**
 * Issue 14 item 3: an answer the server acknowledged survives `kill -9`. 200 answer saves are in
 * flight at every moment (the client's 200 connections), each the request the attempt page sends
 * (a form post to its autosave endpoint, ADR 0050), each slot on its own question of its own trainer's attempt, saving one option after
 * another. The server as `npm start` runs it (a primary and two workers) is killed with SIGKILL
 * mid-flight, restarted on the same database, and every slot's question holds the last answer the
 * server acknowledged, or the one after it that was in flight when the server died (written, but
 * its reply lost): never an older one, never nothing.
 */
const CONCURRENT = 200;
const PROCESSES = 2;
/** Acknowledged saves before the kill: every slot has had a few by then, and all are still saving. */
const SAVES_BEFORE_KILL = 600;

interface Slot {
  cookie: string;
  attemptId: string;
  questionId: string;
  options: string[];
  /** The option of the last save acknowledged (status 200 and the whole body read), if any. */
  acknowledged: string | null;
  /** The option of the save in flight when the connection failed. */
  inFlight: string | null;
}

test(`${CONCURRENT} concurrent answer saves, kill -9 mid-flight, restart: every acknowledged answer is there`, async () => {
  test.setTimeout(420_000);
  const server = await startOwnServer("durability", 70, { WEB_CONCURRENCY: String(PROCESSES), ACCOUNT_RATE_LIMIT_PER_HOUR: "1000" });
  const base = server.baseUrl;
  const modules = JSON.parse(fs.readFileSync("content/.generated/modules.json", "utf8")) as { modules: { slug: string; questionsPerAttempt: number }[] };
  const module = modules.modules[0]!;
  const slots: Slot[] = [];
  for (let n = 0; slots.length < CONCURRENT; n += 1) {
    const signup = await fetch(`${base}/signup`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: base },
      body: new URLSearchParams({ name: `Durable Trainer ${n}`, email: `durable-${n}-${Date.now()}@e2e.test`, password: "durable password 1", confirmPassword: "durable password 1" }),
      redirect: "manual",
    });
    expect(signup.status).toBe(302);
    const cookie = signup.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const start = await fetch(`${base}/modules/${module.slug}/assessment`, { method: "POST", headers: { cookie, origin: base }, redirect: "manual" });
    const attemptPath = start.headers.get("location")!;
    expect(attemptPath).toMatch(/^\/attempts\//);
    const html = await (await fetch(`${base}${attemptPath}`, { headers: { cookie } })).text();
    // Each question: its hidden questionId, then its options' inputs.
    const questions = html
      .split('name="questionId" value="')
      .slice(1)
      .map((chunk) => ({ id: chunk.slice(0, chunk.indexOf('"')), options: [...chunk.matchAll(/name="option" value="([a-z2-7]+)"/g)].map((m) => m[1]!) }));
    expect(questions).toHaveLength(module.questionsPerAttempt);
    for (const q of questions) {
      if (slots.length < CONCURRENT) slots.push({ cookie, attemptId: attemptPath.split("/")[2]!, questionId: q.id, options: q.options, acknowledged: null, inFlight: null });
    }
  }

  let acknowledged = 0;
  let killed = false;
  const unexpected: string[] = [];
  await Promise.all(
    slots.map(async (slot, s) => {
      for (let i = 0; ; i += 1) {
        const option = slot.options[i % slot.options.length]!;
        slot.inFlight = option;
        try {
          const response = await fetch(`${base}/attempts/${slot.attemptId}/answers`, {
            method: "POST",
            headers: { cookie: slot.cookie, "content-type": "application/x-www-form-urlencoded", origin: base },
            body: new URLSearchParams({ questionId: slot.questionId, option }),
          });
          const body = await response.text();
          if (response.status !== 200) {
            unexpected.push(`slot ${s}: status ${response.status} ${body.slice(0, 200)}`);
            return;
          }
          slot.acknowledged = option;
          slot.inFlight = null;
          acknowledged += 1;
          if (acknowledged === SAVES_BEFORE_KILL && !killed) {
            killed = true;
            server.kill();
          }
        } catch (error) {
          // After the kill every connection fails (reset, refused, closed): that ends the slot.
          if (!killed) unexpected.push(`slot ${s} before the kill: ${String((error as { cause?: unknown }).cause ?? error)}`);
          return;
        }
      }
    }),
  );
  expect(unexpected).toEqual([]);
  expect(killed).toBe(true);
  expect(await server.exited).not.toBe(0);
  expect(acknowledged).toBeGreaterThanOrEqual(SAVES_BEFORE_KILL);
  // Killed mid-flight: saves were on their way when it came (every slot ends on a failed save).
  expect(slots.filter((s) => s.inFlight !== null).length).toBeGreaterThan(0);

  const again = await startOwnServer("durability", 70, { WEB_CONCURRENCY: "1" }, { database: server.database });
  try {
    expect((await fetch(`${again.baseUrl}/readyz`)).status).toBe(200);
    await withDatabaseOf(server.database, async (db) => {
      const rows = await db.selectFrom("attempt_question").select(["attempt_id", "question_id", "answer"]).where("attempt_id", "in", [...new Set(slots.map((s) => s.attemptId))]).execute();
      const saved = new Map(rows.map((r) => [`${r.attempt_id} ${r.question_id}`, r.answer]));
      const lost = slots.filter((slot) => {
        const answer = saved.get(`${slot.attemptId} ${slot.questionId}`) ?? null;
        // A slot the server never answered before the kill may hold nothing (or its first save).
        const acknowledged = slot.acknowledged === null ? null : JSON.stringify([slot.acknowledged]);
        return answer !== acknowledged && answer !== JSON.stringify([slot.inFlight]);
      });
      expect(lost.map((s) => `${s.attemptId} ${s.questionId}: acknowledged ${s.acknowledged}, found ${saved.get(`${s.attemptId} ${s.questionId}`)}`)).toEqual([]);
    });
  } finally {
    again.stop();
  }
});
