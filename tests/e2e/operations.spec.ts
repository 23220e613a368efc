import fs from "node:fs";
import http from "node:http";
import { expect, test } from "@playwright/test";
import { failureKind, startOwnServer, stopOwnServersAfterEach, type OwnServer } from "./support/own-server";

/**
 * Production operations (issue 18, ADR 0035, ADR 0036) on the compiled server as `npm start` runs
 * it: a cluster primary and two workers, real processes on 127.0.0.1, on ports 4110–4114 (E2E_PORT
 * + 900 to + 904, so a run with another E2E_PORT moves them with it).
 *
 * - draining after SIGTERM: `/readyz` answers 503 on a connection still open to a worker while
 *   `/healthz` answers and a request in flight finishes;
 * - metrics on METRICS_PORT count the requests both workers answered, and the site's port does
 *   not serve them; each worker runs with V8's heap limit (ADR 0052); the scheduled jobs ran in
 *   a process of their own that has exited, and their times reached the primary's metrics (ADR 0055);
 * - SIGTERM to the whole process group starts no replacement worker (one worker stopped alone
 *   still gets its successor).
 */
const started = stopOwnServersAfterEach();
const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The request went out on a connection that an earlier request had opened. */
  reusedSocket: boolean;
}

/** Sends a request (its body in parts, the next part when `next()` is called) and reads the answer. */
function send(url: string, agent: http.Agent | false, options: { method?: string; headers?: Record<string, string>; parts?: string[] } = {}) {
  const parts = [...(options.parts ?? [])];
  const length = parts.reduce((sum, part) => sum + Buffer.byteLength(part), 0);
  const request = http.request(url, { method: options.method ?? "GET", agent, headers: { ...options.headers, ...(parts.length > 0 ? { "content-length": String(length) } : {}) } });
  const answer = new Promise<Answer>((resolve, reject) => {
    request.on("error", reject);
    request.on("response", (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body, reusedSocket: request.reusedSocket }));
      response.on("error", reject);
    });
  });
  // Without a body, the request is complete; with one, its first part goes now.
  if (parts.length === 0) request.end();
  else {
    request.flushHeaders();
    request.write(parts.shift()!);
  }
  return {
    answer,
    /** Sends the next part of the body (the last one ends the request). */
    next() {
      const part = parts.shift();
      if (part === undefined) return;
      if (parts.length === 0) request.end(part);
      else request.write(part);
    },
  };
}

const get = (agent: http.Agent | false, url: string) => send(url, agent).answer;

/** Which process answered the request with this X-Request-Id, from its request log line. */
function pidOf(server: OwnServer, requestId: string | string[] | undefined): number | undefined {
  return server.logEntries().find((entry) => entry.msg === "request" && entry.req?.id === requestId)?.pid;
}

/** Resolves once a new connection to the site's port is refused (the primary closed it). */
async function portClosed(baseUrl: string): Promise<void> {
  await expect
    .poll(async () => get(false, `${baseUrl}/healthz`).then(() => "accepted", failureKind), { timeout: 10_000, intervals: [50] })
    .toBe("ECONNREFUSED");
}

test("while draining after SIGTERM, /readyz answers 503 on a worker's open connection, /healthz answers, and the request in flight finishes", async () => {
  test.setTimeout(90_000);
  const server = await startOwnServer("operations-drain", 900, { WEB_CONCURRENCY: "2" });
  started.push(server);
  const base = server.baseUrl;

  // Six keep-alive connections, opened one after another: the primary hands them to the two
  // workers in turn. The log says which worker each one's first request reached.
  const connections = Array.from({ length: 6 }, () => new http.Agent({ keepAlive: true, maxSockets: 1 }));
  const pids: (number | undefined)[] = [];
  try {
    const firstAnswers: Answer[] = [];
    for (const agent of connections) firstAnswers.push(await get(agent, `${base}/`));
    await expect.poll(() => firstAnswers.every((a) => pidOf(server, a.headers["x-request-id"]) !== undefined)).toBe(true);
    for (const a of firstAnswers) pids.push(pidOf(server, a.headers["x-request-id"]));
    expect(new Set(pids).size, "both workers have connections").toBe(2);
    // The slow request's connection, and two more to the same worker (the ones that must still answer).
    const [slow, ...rest] = connections;
    const sameWorker = rest.filter((_, i) => pids[i + 1] === pids[0]);
    expect(sameWorker.length).toBeGreaterThanOrEqual(2);
    const [readyzConnection, healthzConnection] = sameWorker as [http.Agent, http.Agent];
    // Used again just now, so no connection reaches its keep-alive timeout during the test.
    for (const agent of [readyzConnection, healthzConnection]) expect((await get(agent, `${base}/healthz`)).reusedSocket).toBe(true);

    // A sign-in form sent in two parts: the worker has its headers and half its body (in flight).
    const body = new URLSearchParams({ email: "nobody-drain@e2e.test", password: "not the password 1", redirectTo: "" }).toString();
    const half = Math.floor(body.length / 2);
    const inFlight = send(`${base}/login`, slow!, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: base },
      parts: [body.slice(0, half), body.slice(half)],
    });
    await new Promise((resolve) => setTimeout(resolve, 300));

    // KillMode=mixed (deploy/academy.service): SIGTERM to the primary, which closes the port and
    // tells each worker to drain.
    server.stopFirstProcess();
    await portClosed(base);

    // The worker may read the primary's drain message a moment after the port closed: ask again
    // on the same connection until it says it is stopping. A 200 keeps the connection open; a new
    // connection would be refused, so every answer here comes from that worker.
    let readyz = await get(readyzConnection, `${base}/readyz`);
    for (let i = 0; readyz.status === 200 && i < 30; i += 1) {
      expect(readyz.reusedSocket).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 100));
      readyz = await get(readyzConnection, `${base}/readyz`);
    }
    expect(readyz.reusedSocket).toBe(true);
    expect(readyz.status).toBe(503);
    expect(JSON.parse(readyz.body)).toEqual({ status: "shutting down", checks: [] });
    expect(readyz.headers.connection).toBe("close");

    // The same worker, draining: /healthz still answers (the process is alive).
    const healthz = await get(healthzConnection, `${base}/healthz`);
    expect(healthz.reusedSocket).toBe(true);
    expect(healthz.status).toBe(200);
    expect(JSON.parse(healthz.body)).toEqual({ status: "ok" });
    expect(healthz.headers.connection).toBe("close");

    // The request in flight finishes: the rest of its body, then its answer (no such account: 400).
    expect(await Promise.race([server.exited.then(() => "exited"), new Promise((resolve) => setTimeout(() => resolve("running"), 0))])).toBe("running");
    inFlight.next();
    const signIn = await inFlight.answer;
    expect(signIn.status).toBe(400);
    expect(signIn.headers.connection).toBe("close");
  } finally {
    for (const agent of connections) agent.destroy();
  }

  expect(await server.exited, server.output().slice(-3000)).toBe(0);
  // The last lines may still be in the pipe when the exit is reported.
  await expect.poll(() => server.logMessages()).toContain("Stopped cleanly.");
  const messages = server.logMessages();
  expect(messages.filter((m) => m.startsWith("Worker stopped: its requests finished")).length).toBe(2);
  expect(messages.filter((m) => m.includes("shutdown timeout"))).toEqual([]);
});

test("metrics on METRICS_PORT sum the requests both workers answered; the site's port does not serve them", async () => {
  test.setTimeout(60_000);
  const metricsPort = E2E_PORT + 903;
  const server = await startOwnServer("operations-metrics", 902, { WEB_CONCURRENCY: "2", METRICS_PORT: String(metricsPort) });
  started.push(server);
  const base = server.baseUrl;

  // Ten requests for the home page, each on a connection of its own: the primary hands them to
  // the workers in turn.
  const REQUESTS = 10;
  const ids: string[] = [];
  for (let i = 0; i < REQUESTS; i += 1) {
    const answer = await get(false, `${base}/`);
    expect(answer.status).toBe(200);
    ids.push(String(answer.headers["x-request-id"]));
  }
  await expect.poll(() => ids.every((id) => pidOf(server, id) !== undefined)).toBe(true);
  const perWorker = new Map<number, number>();
  for (const id of ids) perWorker.set(pidOf(server, id)!, (perWorker.get(pidOf(server, id)!) ?? 0) + 1);
  // Each worker answered some of them (its own log lines, its own pid).
  expect([...perWorker.values()].length, JSON.stringify([...perWorker])).toBe(2);
  for (const count of perWorker.values()) expect(count).toBeGreaterThan(0);
  // Each worker runs with V8's heap limit (HEAP_LIMIT_MB, ADR 0052): its command line, as V8 read it.
  for (const pid of perWorker.keys()) {
    const args = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    expect(args, `worker ${pid}`).toContain("--max-old-space-size=512");
  }

  // The metrics port, scraped as Prometheus does: the home page's counter is every worker's, summed.
  const scrape = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
  expect(scrape.status).toBe(200);
  const text = await scrape.text();
  const line = text.split("\n").find((l) => l.startsWith('academy_http_requests_total{route="routes/_index",method="GET",status="200"} '));
  expect(line, text.slice(0, 2000)).toBeDefined();
  expect(Number(line!.split(" ").at(-1))).toBe(REQUESTS);
  const histogramCount = text.split("\n").find((l) => l.startsWith('academy_http_request_duration_seconds_count{route="routes/_index",method="GET"} '));
  expect(Number(histogramCount?.split(" ").at(-1))).toBe(REQUESTS);
  // The primary's own figures are there too (README: every process on the node).
  expect(text).toContain("# TYPE academy_queue_size gauge");

  // The scheduled jobs ran at start in a process of their own (ADR 0055): not the primary, not a
  // worker, and gone once the run ended; each job's time reached the primary's metrics.
  await expect.poll(() => server.logEntries().some((entry) => entry.msg === "scheduled jobs ran")).toBe(true);
  const jobsRan = server.logEntries().find((entry) => entry.msg === "scheduled jobs ran");
  expect(jobsRan?.pid).toBeDefined();
  const primaryPid = server.logEntries().find((entry) => entry.msg === "Worker started.")?.pid;
  expect(primaryPid).toBeDefined();
  expect([primaryPid, ...perWorker.keys()]).not.toContain(jobsRan!.pid);
  await expect.poll(() => fs.existsSync(`/proc/${jobsRan!.pid}`), { message: "the jobs' process has exited" }).toBe(false);
  const jobCount = async (job: string) => {
    const lines = (await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text()).split("\n");
    return Number(lines.find((l) => l.startsWith(`academy_job_duration_seconds_count{job="${job}"} `))?.split(" ").at(-1) ?? 0);
  };
  for (const job of ["entry-requirements", "credential-statuses", "housekeeping"]) await expect.poll(() => jobCount(job), { message: job }).toBe(1);

  // The site's port does not serve them (README and ADR 0036: only METRICS_PORT does).
  const publicScrape = await get(false, `${base}/metrics`);
  expect(publicScrape.status).toBe(404);
  expect(publicScrape.body).not.toContain("academy_http_requests_total");

  server.stop();
  expect(await server.exited).toBe(0);
});

test("SIGTERM to the whole process group starts no replacement worker; a worker stopped alone still gets its successor", async () => {
  test.setTimeout(60_000);
  const server = await startOwnServer("operations-group", 904, { WEB_CONCURRENCY: "2" });
  started.push(server);
  const starts = () => server.logEntries().filter((e) => e.msg === "Worker started.");
  const replacements = () => server.logMessages().filter((m) => m === "A worker was told to stop; starting another.");
  const stoppedPids = () => server.logEntries().filter((e) => e.msg.startsWith("Worker stopped: its requests finished")).map((e) => e.pid);
  expect(starts().length).toBe(2);

  // One worker told to stop on its own: the primary starts its successor, then lets it drain.
  const first = starts()[0]!.worker!;
  process.kill(first, "SIGTERM");
  await expect.poll(stoppedPids, { timeout: 30_000 }).toEqual([first]);
  expect(starts().length).toBe(3);
  expect(replacements().length).toBe(1);
  expect((await get(false, `${server.baseUrl}/healthz`)).status).toBe(200);

  // The whole process group (systemd's default KillMode, `kill -TERM -<pgid>`): every process
  // stops, and no worker is started while they do.
  server.stop();
  expect(await server.exited, server.output().slice(-3000)).toBe(0);
  // The last lines may still be in the pipe when the exit is reported.
  await expect.poll(() => server.logMessages()).toContain("Stopped cleanly.");
  expect(starts().length).toBe(3);
  expect(replacements().length).toBe(1);
  expect(stoppedPids().length).toBe(3);
});
