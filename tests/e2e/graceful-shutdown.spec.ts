import fs from "node:fs";
import http from "node:http";
import { expect, test } from "@playwright/test";
import { withDatabaseOf } from "./support/database";
import { failureKind, startOwnServer, stopOwnServersAfterEach } from "./support/own-server";

/**
 * Graceful shutdown (issue 18, ADR 0035) of the server as `npm start` runs it in production: a
 * cluster primary and two workers, and one process alone. SIGTERM goes to the primary alone
 * (systemd's KillMode=mixed: the primary must pass it on) or to the whole process group (the
 * default KillMode), while trainers keep saving answers, each on keep-alive connections as a
 * browser does. No request may fail with a reset or cut connection (after the signal, a new
 * connection is refused, which is how a client learns to go elsewhere; or, when it was waiting
 * in the kernel's accept queue as the port closed, reset by the kernel before any process read
 * it: shown below to have changed nothing), every worker finishes and closes its database
 * connection, the server exits 0 after closing the database, and after a restart every save the
 * server acknowledged is there.
 */

/**
 * Where SIGTERM goes: the primary of a primary and two workers (systemd's KillMode=mixed), the
 * whole process group (the default), and the one process `npm start` runs with WEB_CONCURRENCY=1.
 */
const CASES = [
  { target: "the primary of a primary and 2 workers", processes: 2, primaryOnly: true },
  { target: "the process group of a primary and 2 workers", processes: 2, primaryOnly: false },
  { target: "a single process (WEB_CONCURRENCY=1)", processes: 1, primaryOnly: false },
] as const;
const TRAINERS = 4;
/** Saves acknowledged before the signal is sent: the load is steady by then. */
const SAVES_BEFORE_SIGNAL = 40;

interface Trainer {
  cookie: string;
  attemptId: string;
  questions: { id: string; options: string[] }[];
  /** questionId → the option of the last save the server acknowledged. */
  acknowledged: Map<string, string>;
}

/** A save that met a reset as the first request on a new connection, after the signal. */
interface ResetAtThePort {
  trainer: Trainer;
  questionId: string;
  option: string;
}

async function newTrainer(base: string, n: number): Promise<Trainer> {
  const signup = await fetch(`${base}/signup`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base },
    body: new URLSearchParams({ name: `Shutdown Trainer ${n}`, email: `shutdown-${n}-${Date.now()}@e2e.test`, password: "shutdown password 1", confirmPassword: "shutdown password 1" }),
    redirect: "manual",
  });
  const cookie = signup.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const modules = JSON.parse(fs.readFileSync("content/.generated/modules.json", "utf8")) as { modules: { slug: string }[] };
  const start = await fetch(`${base}/modules/${modules.modules[0]!.slug}/assessment`, { method: "POST", headers: { cookie, origin: base }, redirect: "manual" });
  const attemptPath = start.headers.get("location")!;
  expect(attemptPath).toMatch(/^\/attempts\//);
  const html = await (await fetch(`${base}${attemptPath}`, { headers: { cookie } })).text();
  // Each question: its hidden questionId, then its options' inputs.
  const questions = html
    .split('name="questionId" value="')
    .slice(1)
    .map((chunk) => ({ id: chunk.slice(0, chunk.indexOf('"')), options: [...chunk.matchAll(/name="option" value="([a-z2-7]+)"/g)].map((m) => m[1]!) }))
    .filter((q) => q.options.length >= 2);
  expect(questions.length).toBeGreaterThan(1);
  return { cookie, attemptId: attemptPath.split("/")[2]!, questions, acknowledged: new Map() };
}

/**
 * A form post on `agent` (node:http, so the connection each request goes out on is known: `onSocket`
 * is told whether it was reused). Resolves with the status once the whole answer is read; rejects
 * with the socket's error (its `code`: ECONNREFUSED, ECONNRESET).
 */
function postForm(agent: http.Agent, url: string, headers: Record<string, string>, form: URLSearchParams, onSocket: (reused: boolean) => void): Promise<{ status: number }> {
  const body = form.toString();
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: "POST", agent, headers: { ...headers, "content-type": "application/x-www-form-urlencoded", "content-length": String(Buffer.byteLength(body)) } });
    request.on("socket", () => onSocket(request.reusedSocket));
    request.on("error", reject);
    request.on("response", (response) => {
      response.resume();
      response.on("end", () => resolve({ status: response.statusCode ?? 0 }));
      response.on("error", reject);
    });
    request.end(body);
  });
}

const started = stopOwnServersAfterEach();

for (const { target, processes, primaryOnly } of CASES) {
  test(`SIGTERM to ${target} under a steady load of answer saves: no request cut, every acknowledged save kept`, async () => {
    test.setTimeout(300_000);
    const first = await startOwnServer("shutdown", 50, { WEB_CONCURRENCY: String(processes) });
    started.push(first);
    const base = first.baseUrl;
    const trainers: Trainer[] = [];
    for (let n = 0; n < TRAINERS; n += 1) trainers.push(await newTrainer(base, n));

    let acknowledged = 0;
    let signalled = false;
    const failures: string[] = [];
    const refused: number[] = [];
    const resetAtThePort: ResetAtThePort[] = [];
    const load = trainers.map(async (trainer, t) => {
      // Each trainer is a browser tab: one keep-alive connection of its own, a new one only when the
      // server closed the last (a shared pool would hand one trainer's connection to another, and a
      // trainer could then open a new connection although its own last answer kept its connection).
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      // Whether the request went out on a new connection (not one an earlier request had opened).
      let onNewConnection = false;
      for (let i = 0; ; i += 1) {
        const question = trainer.questions[i % trainer.questions.length]!;
        const option = question.options[Math.floor(i / trainer.questions.length) % question.options.length]!;
        try {
          // The request the attempt page sends when a choice is made (its autosave, ADR 0050).
          const response = await postForm(agent, `${base}/attempts/${trainer.attemptId}/answers`, { cookie: trainer.cookie, origin: base }, new URLSearchParams({ questionId: question.id, option }), (reused) => (onNewConnection = !reused));
          if (response.status !== 200) {
            failures.push(`trainer ${t}: status ${response.status}`);
            return;
          }
          trainer.acknowledged.set(question.id, option);
          acknowledged += 1;
          if (acknowledged === SAVES_BEFORE_SIGNAL && !signalled) {
            signalled = true;
            if (primaryOnly) first.stopFirstProcess();
            else first.stop();
          }
        } catch (error) {
          const kind = failureKind(error);
          if (signalled && kind === "ECONNREFUSED") refused.push(t);
          // Closing a listening socket makes the kernel reset the connections still in its accept
          // queue (no process has read them; the same happens with one process): refused, in effect.
          // That nothing read it is checked after the restart: its answer was not saved.
          else if (signalled && onNewConnection && kind === "ECONNRESET") {
            refused.push(t);
            resetAtThePort.push({ trainer, questionId: question.id, option });
          } else failures.push(`trainer ${t} after ${trainer.acknowledged.size} saves: ${kind}${onNewConnection ? " (new connection)" : " (reused connection)"}`);
          agent.destroy();
          return;
        }
      }
    });
    await Promise.all(load);
    // On failure, the server's own lines (not the request lines) say what it was doing.
    const serverLines = () => first.logMessages().filter((m) => m !== "request").slice(-25).join("\n");
    expect(failures, serverLines()).toEqual([]);
    expect(refused.length).toBe(TRAINERS);
    expect(await first.exited, serverLines()).toBe(0);
    const messages = first.logMessages();
    // Each worker says it finished (one process alone has no workers).
    expect(messages.filter((m) => m.startsWith("Worker stopped: its requests finished")).length).toBe(processes > 1 ? processes : 0);
    expect(messages).toContain("Stopped cleanly.");
    expect(messages.filter((m) => m.includes("shutdown timeout"))).toEqual([]);

    // Restart on the same database: every acknowledged save is there.
    const second = await startOwnServer("shutdown", 50, { WEB_CONCURRENCY: "1" }, { database: first.database });
    started.push(second);
    try {
      expect((await fetch(`${second.baseUrl}/readyz`)).status).toBe(200);
      await withDatabaseOf(first.database, async (db) => {
        for (const trainer of trainers) {
          const rows = await db.selectFrom("attempt_question").select(["question_id", "answer"]).where("attempt_id", "=", trainer.attemptId).execute();
          const saved = new Map(rows.map((r) => [r.question_id, r.answer]));
          for (const [questionId, option] of trainer.acknowledged) expect(saved.get(questionId), questionId).toBe(JSON.stringify([option]));
          // A save reset at the port was never read: its choice (always another than the last acknowledged) is not there.
          for (const reset of resetAtThePort.filter((r) => r.trainer === trainer)) expect(saved.get(reset.questionId), reset.questionId).not.toBe(JSON.stringify([reset.option]));
        }
      });
    } finally {
      // Wait for it to exit: the next test resets this database and port, and a server still
      // closing (its log checkpoint) would write into the fresh database.
      second.stop();
      await second.exited;
    }
  });
}
