/**
 * `npm run bench`: measures the site against a raw node:http baseline in the same run, on this
 * machine, over loopback only, bounded in time. The baseline runs as many processes as the site
 * (a node:cluster of the same size), so the ratio compares like with like. Each target is the
 * request a browser really sends (the answer save is the form post the attempt page makes to
 * its autosave endpoint, ADR 0050), every response's status is counted and checked, and the verification
 * page is measured both from its cache and on cache misses (every request a different
 * certificate). Prints requests per second, p50/p99 latency, the ratio to the baseline, the
 * status codes, and the commit, cores and load average the figures were taken with; each target of
 * issue 14 with its goal (the baseline is measured before the site and again after it, and every
 * ratio is to the mean of the two, so a machine that changed speed during the run shows), the lesson page's JavaScript (gzip) and the resident memory of every
 * process (site and baseline) at its highest during the load, summed (RSS, as issue 14 counts it:
 * pages shared between the processes, such as Node's own code, once per process) and with shared
 * pages counted once (the sum of PSS, what the processes occupy together). The site runs as `npm start` runs it:
 * the compiled server (`node build/server/start.js`, ADR 0035), and is measured once its first
 * scheduled-jobs run has ended.
 *
 *   BENCH_SECONDS     seconds per target (default 8)
 *   BENCH_CONNECTIONS concurrent connections (default 50)
 *   BENCH_PROCESSES   server processes for the site and the baseline (default: as `npm start`,
 *                     one per core, at most 4)
 *   BENCH_ENGINES     `sqlite` (default), or `sqlite,postgres` (the default when DATABASE_URL is
 *                     set): then the same requests are measured, in the same run, on SQLite, on
 *                     PostgreSQL with one app node, and on PostgreSQL with two app nodes (two
 *                     servers on two ports, one database, each with half the processes, the load
 *                     split between them)
 *   BENCH_TARGETS     only the site's targets whose name contains one of these comma-separated
 *                     words (e.g. `answer save`), to re-measure one change quickly; the
 *                     baseline is always measured
 *   BENCH_POSTGRES_URL the PostgreSQL server to use (default DATABASE_URL, else
 *                     postgres://postgres@127.0.0.1:5432/postgres); a fresh database
 *                     `academy_bench_<pid>` is created on it and dropped at the end
 */
import { execSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import autocannon from "autocannon";
import pg from "pg";
import { openDatabase, type DatabaseConfig } from "~db/connection";
import { migrateToLatest } from "~db/migrate";
import { latestCredentialJson } from "~/certificates/credentials/issue-credential.server";
import { CACHE_MS } from "~/certificates/public.server";
import { seedAccounts } from "./lib/seed-accounts";
import { seedCertifiedTrainer } from "./lib/seed-certified";
import { growAcademy, seedContext } from "./lib/seed-scale";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const TARGET_WORDS = (process.env.BENCH_TARGETS ?? "").split(",").map((w) => w.trim()).filter(Boolean);
const chosen = (target: Target) => TARGET_WORDS.length === 0 || TARGET_WORDS.some((word) => target.name.includes(word));
const APP_PORT = 3510;
const BASELINE_PORT = 3511;
const SECOND_NODE_PORT = 3512;
const APP = `http://127.0.0.1:${APP_PORT}`;
const DATABASE = "tests/.tmp/bench.sqlite";
const ENGINES = (process.env.BENCH_ENGINES ?? (process.env.DATABASE_URL ? "sqlite,postgres" : "sqlite")).split(",").map((e) => e.trim());
const POSTGRES_SERVER = process.env.BENCH_POSTGRES_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const PROCESSES = Number(process.env.BENCH_PROCESSES ?? Math.max(1, Math.min(os.availableParallelism(), 4)));
/**
 * Seeded trainers whose certificates the cache-miss target looks up in turn (about 80% are
 * certified, some with an earlier, superseded certificate: about 12,100 distinct ids; seeded in about 35 s). The target
 * runs for BENCH_SECONDS like the others; if it gets through every id it starts again, and the
 * output counts the repeats and those that came within the cache's lifetime (CACHE_MS), which
 * may have been served from the cache: the goal is judged only on a run with none.
 */
const CACHE_MISS_TRAINERS = Number(process.env.BENCH_VERIFY_TRAINERS ?? 15_000);
/** The verification cache's lifetime. */
const VERIFY_CACHE_MS = CACHE_MS;

interface Target {
  name: string;
  url: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  expectStatus: number;
  /** Paths to request in turn for the duration (a cache-miss target: repeats are counted); otherwise `url`. */
  paths?: string[];
  /** Connections for this measurement (a share of BENCH_CONNECTIONS when several nodes are measured at once). */
  connectionsOverride?: number;
  /** Issue 14's goal for this target, if it has one. */
  goal?: { rps: number; p99: number };
}

interface Measurement {
  name: string;
  goal?: { rps: number; p99: number };
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Responses by status code. */
  statuses: Record<string, number>;
  unexpected: number;
  /** A cache-miss target: requests, distinct paths, repeats, and repeats within the cache's lifetime. */
  repeats?: { requests: number; distinct: number; repeated: number; withinCache: number };
}

const children: ChildProcess[] = [];
function stopAll() {
  for (const child of children) {
    try {
      if (child.pid) process.kill(-child.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
}
process.on("exit", stopAll);
process.on("SIGINT", () => process.exit(130));

function startProcess(command: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  children.push(child);
  child.stderr!.on("data", (chunk: Buffer) => process.stderr.write(chunk));
  // The server's request log (one line per request) is read and dropped: an unread pipe fills and
  // would stop the server mid-measurement.
  child.stdout!.resume();
  return child;
}

/** The log lines a primary writes when its first scheduled-jobs run has ended (ran, left to another node, or failed). */
const JOBS_ENDED = ['"msg":"scheduled jobs ran"', '"msg":"Scheduled jobs: another node is running them; skipped this time."', '"msg":"Scheduled jobs failed"'];

/**
 * Resolves once the server's first scheduled-jobs run has ended (its log says so), with the seconds
 * waited. The primary starts that run in the background as it starts serving (on the freshly
 * seeded academy it refreshes thousands of stored statuses): measured while it runs, every target
 * would share the cores with it.
 */
function startUpJobsEnded(child: ChildProcess): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let tail = "";
    const onData = (chunk: Buffer) => {
      tail = (tail + chunk.toString("utf8")).slice(-4096);
      if (JOBS_ENDED.some((line) => tail.includes(line))) {
        child.stdout!.off("data", onData);
        clearTimeout(timer);
        resolve((performance.now() - started) / 1000);
      }
    };
    const timer = setTimeout(() => reject(new Error("The server's start-up jobs did not end within 10 minutes.")), 600_000);
    child.stdout!.on("data", onData);
  });
}

/** Up to five minutes (the server's start-up work on the seeded academy). */
async function waitFor(url: string) {
  for (let i = 0; i < 1_500; i += 1) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not start`);
}

async function measure(target: Target): Promise<Measurement> {
  const common = { url: target.url, method: target.method ?? "GET", headers: target.headers, body: target.body } as const;
  let next = 0;
  const lastAt = new Map<string, number>();
  const repeats = { requests: 0, distinct: 0, repeated: 0, withinCache: 0 };
  const nextPath = () => {
    const path = target.paths![next++ % target.paths!.length]!;
    const now = performance.now();
    const before = lastAt.get(path);
    repeats.requests += 1;
    if (before === undefined) repeats.distinct += 1;
    else {
      repeats.repeated += 1;
      if (now - before < VERIFY_CACHE_MS) repeats.withinCache += 1;
    }
    lastAt.set(path, now);
    return path;
  };
  const connections = target.connectionsOverride ?? CONNECTIONS;
  // Warm up briefly so one-off work (first render, JIT) is not in the figures (not for cache misses: that would warm the cache).
  if (!target.paths) await autocannon({ ...common, connections: 10, duration: 1 });
  const result = await autocannon(
    target.paths
      ? { ...common, connections, duration: SECONDS, requests: [{ setupRequest: ((req: object) => ({ ...req, path: nextPath() })) as never }] }
      : { ...common, connections, duration: SECONDS },
  );
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats as Record<string, { count: number }>).map(([code, stat]) => [code, stat.count]));
  const unexpected = Object.entries(statuses).reduce((n, [code, count]) => (Number(code) === target.expectStatus ? n : n + count), 0);
  return {
    name: target.name,
    goal: target.goal,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    statuses,
    unexpected,
    repeats: target.paths ? repeats : undefined,
  };
}

/** Several app nodes: each target's connections (or cache-miss paths) split between the nodes, measured at once. */
async function measureSplit(target: Target, nodes: string[]): Promise<Measurement> {
  if (nodes.length === 1) return measure(target);
  const parts = await Promise.all(
    nodes.map((node, n) =>
      measure({
        ...target,
        url: target.url.replace(APP, node),
        paths: target.paths?.filter((_, i) => i % nodes.length === n),
        connectionsOverride: Math.max(1, Math.round(CONNECTIONS / nodes.length)),
      }),
    ),
  );
  const statuses: Record<string, number> = {};
  for (const part of parts) for (const [code, count] of Object.entries(part.statuses)) statuses[code] = (statuses[code] ?? 0) + count;
  return {
    name: target.name,
    goal: target.goal,
    rps: parts.reduce((sum, p) => sum + p.rps, 0),
    // The slower node's latency: what the worse half of the users saw.
    p50: Math.max(...parts.map((p) => p.p50)),
    p99: Math.max(...parts.map((p) => p.p99)),
    errors: parts.reduce((sum, p) => sum + p.errors, 0),
    statuses,
    unexpected: parts.reduce((sum, p) => sum + p.unexpected, 0),
    repeats: target.paths
      ? parts.reduce((sum, p) => ({ requests: sum.requests + p.repeats!.requests, distinct: sum.distinct + p.repeats!.distinct, repeated: sum.repeated + p.repeats!.repeated, withinCache: sum.withinCache + p.repeats!.withinCache }), { requests: 0, distinct: 0, repeated: 0, withinCache: 0 })
      : undefined,
  };
}

interface ProcessMemory {
  pid: number;
  /** Resident memory (kB): every page the process has in memory, shared ones included. */
  kb: number;
  /** Proportional set size (kB): its own pages, and its share of those it shares with others. */
  pssKb: number;
  command: string;
}

/** A file under /proc, or null when the process has gone meanwhile (or the kernel does not have it). */
async function readProc(path: string): Promise<string | null> {
  try {
    return await fs.promises.readFile(path, "utf8");
  } catch {
    return null;
  }
}

/**
 * Memory (kB) of every process in the process groups of `leaders` (each started detached: its own
 * group), read from /proc asynchronously. autocannon runs in this process: anything synchronous here
 * stalls every request in flight, and that stall is counted in their latency. A `spawnSync("ps")`
 * twice a second did that (a target at 1,000–2,000 requests a second had 1–2% of its requests
 * stalled, so its p99 was the stall, not the server).
 */
async function groupRss(leaders: ChildProcess[]): Promise<ProcessMemory[]> {
  const groups = new Set(leaders.map((c) => c.pid).filter((p): p is number => p !== undefined));
  const pids = (await fs.promises.readdir("/proc")).filter((name) => /^\d+$/.test(name));
  const found = await Promise.all(
    pids.map(async (pid): Promise<ProcessMemory | null> => {
      const stat = await readProc(`/proc/${pid}/stat`);
      // "pid (command) state ppid pgrp …": the command may hold spaces, so count from its ')'.
      if (stat === null || !groups.has(Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]))) return null;
      const [status, smaps, cmdline] = await Promise.all([readProc(`/proc/${pid}/status`), readProc(`/proc/${pid}/smaps_rollup`), readProc(`/proc/${pid}/cmdline`)]);
      const kb = Number(/^VmRSS:\s+(\d+)/m.exec(status ?? "")?.[1] ?? 0);
      if (kb === 0) return null;
      const pssKb = Number(/^Pss:\s+(\d+)/m.exec(smaps ?? "")?.[1] ?? 0);
      return { pid: Number(pid), kb, pssKb, command: (cmdline ?? "").replaceAll("\0", " ").trim().slice(0, 60) };
    }),
  );
  return found.filter((p): p is ProcessMemory => p !== null);
}

/** The highest total RSS seen (with its processes), and the highest total PSS (the processes' memory with shared pages counted once). */
interface MemoryPeak {
  kb: number;
  processes: ProcessMemory[];
  pssKb: number;
}
const noPeak = (): MemoryPeak => ({ kb: 0, processes: [], pssKb: 0 });

/** Samples the groups' total RSS and PSS about twice a second while `work` runs; keeps the highest of each. */
async function withRssPeak<T>(leaders: ChildProcess[], work: () => Promise<T>, peak: MemoryPeak): Promise<T> {
  const sample = async () => {
    const processes = await groupRss(leaders);
    const kb = processes.reduce((sum, p) => sum + p.kb, 0);
    if (kb > peak.kb) Object.assign(peak, { kb, processes });
    peak.pssKb = Math.max(peak.pssKb, processes.reduce((sum, p) => sum + p.pssKb, 0));
  };
  let working = true;
  const sampling = (async () => {
    while (working) {
      await sample();
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  })();
  try {
    return await work();
  } finally {
    working = false;
    await sampling;
    await sample();
  }
}

/** The JavaScript a browser loads for a page (its module scripts and preloads), and its size gzipped. */
async function pageJavaScript(url: string, cookie: string): Promise<{ files: number; bytes: number; gzip: number }> {
  const html = await (await fetch(url, { headers: { cookie } })).text();
  const srcs = new Set([...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="([^"]+\.js)"/g)].map((m) => m[1]!));
  // The entry module's imports are preloaded (Remix lists them); the inline import of the entry names it too.
  for (const m of html.matchAll(/import\s*(?:\*\s*as\s*\w+\s*from\s*)?"([^"]+\.js)"/g)) srcs.add(m[1]!);
  let bytes = 0;
  let gzip = 0;
  for (const src of srcs) {
    const body = Buffer.from(await (await fetch(new URL(src, url))).arrayBuffer());
    bytes += body.length;
    gzip += zlib.gzipSync(body).length;
  }
  return { files: srcs.size, bytes, gzip };
}

interface Seeded {
  certificateId: string;
  missIds: string[];
}

/**
 * A certified trainer (a valid certificate to show) and many more (the project's bulk seeding) for
 * cache misses. The seeded certificates share the real one's PDF and signed credential (each its
 * own credential row and status index, as bench:scale seeds them), so the server's start-up has no
 * credentials to sign before the run.
 */
async function seed(config: DatabaseConfig): Promise<Seeded> {
  const { db } = openDatabase(config);
  await migrateToLatest(db);
  await seedAccounts(db, [{ role: "assessor", name: "Bench Assessor", email: "assessor@bench.test", password: "bench assessor password" }], new Date());
  const staff = await db.selectFrom("user").select("id").where("email", "=", "assessor@bench.test").executeTakeFirstOrThrow();
  const now = new Date();
  const certified = await seedCertifiedTrainer(db, { name: "Bench Certified Trainer", email: "certified@bench.test", password: "bench trainer password", staffUserId: staff.id }, APP, now);
  const documents = await db.selectFrom("certificate").select("pdf").where("id", "=", certified.certificateId).executeTakeFirstOrThrow();
  const credential = await latestCredentialJson(db, certified.certificateId);
  const started = performance.now();
  await growAcademy(db, { from: 1, to: CACHE_MISS_TRAINERS + 1 }, await seedContext(db, now, [staff.id], { pdf: documents.pdf, credential }));
  process.stdout.write(`  seeded ${CACHE_MISS_TRAINERS} trainers for the cache-miss target in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  const missIds = (await db.selectFrom("certificate").select("id").where("id", "!=", certified.certificateId).orderBy("id").execute()).map((c) => c.id);
  await db.destroy();
  return { certificateId: certified.certificateId, missIds };
}

async function onPostgresServer(work: (client: pg.Client) => Promise<unknown>) {
  const client = new pg.Client({ connectionString: POSTGRES_SERVER });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** Starts `ports.length` app nodes on one database, each with `processes` processes; resolves once all answer. */
async function startNodes(database: DatabaseConfig, ports: number[], processes: number): Promise<ChildProcess[]> {
  const started = ports.map((port) =>
    startProcess(process.execPath, ["--enable-source-maps", "build/server/start.js"], {
      // JSON lines, so the end of the start-up jobs can be read from the log.
      LOG_FORMAT: "json",
      WEB_CONCURRENCY: String(processes),
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_PATH: database.engine === "sqlite" ? database.path : DATABASE,
      DATABASE_URL: database.engine === "postgres" ? database.url : "",
      PUBLIC_BASE_URL: APP,
      NODE_ENV: "production",
      NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? "",
      // All load comes from one address (loopback) and would hit the per-IP lookup limit at once:
      // the limit is off here, and the output says so.
      VERIFY_RATE_LIMIT_PER_MINUTE: "1000000000",
    }),
  );
  const jobsEnded = started.map(startUpJobsEnded);
  // One node first: it migrates and issues the seeded certificates' credentials; then the others.
  await waitFor(`http://127.0.0.1:${ports[0]}/`);
  await Promise.all(ports.slice(1).map((port) => waitFor(`http://127.0.0.1:${port}/`)));
  const seconds = Math.max(...(await Promise.all(jobsEnded)));
  process.stdout.write(`  the servers' start-up jobs ended ${seconds.toFixed(0)} s after start; measuring from now\n`);
  return started;
}

async function stopNodes(nodes: ChildProcess[]) {
  await Promise.all(
    nodes.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          try {
            process.kill(-child.pid!, "SIGTERM");
          } catch {
            resolve();
          }
        }),
    ),
  );
}

/** The site's targets against the node(s) at `nodes` (the first is `APP`): a trainer signs up and opens an attempt first. */
async function siteTargets(seeded: Seeded): Promise<{ targets: Target[]; javascript: Awaited<ReturnType<typeof pageJavaScript>> }> {
  const signup = await fetch(`${APP}/signup`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: APP },
    body: new URLSearchParams({ name: "Bench Trainer", email: `bench-${Date.now()}@bench.test`, password: "bench password 1", confirmPassword: "bench password 1" }),
    redirect: "manual",
  });
  const cookie = signup.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const modules = JSON.parse(fs.readFileSync("content/.generated/modules.json", "utf8")) as { modules: { slug: string; sections: { id: string }[] }[] };
  const module = modules.modules[0]!;
  const lessonUrl = `${APP}/modules/${module.slug}/${module.sections[1]!.id}`;
  const start = await fetch(`${APP}/modules/${module.slug}/assessment`, { method: "POST", headers: { cookie, origin: APP }, redirect: "manual" });
  const attemptPath = start.headers.get("location")!;
  const attemptHtml = await (await fetch(`${APP}${attemptPath}`, { headers: { cookie } })).text();
  const questionId = /name="questionId" value="([^"]+)"/.exec(attemptHtml)![1]!;
  // The first option of the first question (its input comes after that question's hidden questionId).
  const optionId = /name="option" value="([a-z2-7]+)"/.exec(attemptHtml)![1]!;
  // What the attempt page sends when a choice is made: a form post to the autosave endpoint (ADR 0050).
  const answerSavePath = `${attemptPath}/answers`;
  const probe = await fetch(`${APP}${answerSavePath}`, { method: "POST", headers: { cookie, "content-type": "application/x-www-form-urlencoded;charset=UTF-8", origin: APP }, body: new URLSearchParams({ questionId, option: optionId }) });
  const probeBody = await probe.text();
  if (probe.status !== 200 || !(probe.headers.get("content-type") ?? "").includes("application/json") || !probeBody.includes('"ok":true')) throw new Error(`The answer save answered ${probe.status} ${probe.headers.get("content-type")}: ${probeBody.slice(0, 300)}`);
  const lessonBytes = (await (await fetch(lessonUrl, { headers: { cookie } })).text()).length;
  const verifyUrl = `${APP}/verify/${seeded.certificateId}`;
  const verifyBytes = (await (await fetch(verifyUrl)).text()).length;
  const javascript = await pageJavaScript(lessonUrl, cookie);
  const targets: Target[] = [
    { name: `lesson page (${Math.round(lessonBytes / 1000)} kB, signed in)`, url: lessonUrl, headers: { cookie }, expectStatus: 200, goal: { rps: 1500, p99: 60 } },
    {
      name: "answer save (POST /answers, as the page sends it)",
      url: `${APP}${answerSavePath}`,
      method: "POST",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded;charset=UTF-8", origin: APP },
      body: new URLSearchParams({ questionId, option: optionId }).toString(),
      expectStatus: 200,
      goal: { rps: 1000, p99: 50 },
    },
    { name: `verification page, one certificate, cached (${Math.round(verifyBytes / 1000)} kB)`, url: verifyUrl, expectStatus: 200 },
    { name: `verification page, cache misses (${seeded.missIds.length} distinct)`, url: verifyUrl, paths: seeded.missIds.map((id) => `/verify/${id}`), expectStatus: 200, goal: { rps: 5000, p99: 20 } },
    { name: "verification page, unknown certificate id (404)", url: `${APP}/verify/abcdefghijklmnopqrstuvwxyz234567`, expectStatus: 404 },
  ];
  return { targets, javascript };
}

interface Setup {
  label: string;
  database: DatabaseConfig;
  ports: number[];
  processesPerNode: number;
  seeded: Seeded;
}

async function main() {
  if (!fs.existsSync("build/index.js") || !fs.existsSync("content/.generated/modules.json")) {
    const built = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
    if (built.status !== 0) process.exit(1);
  }
  const unknown = ENGINES.filter((e) => e !== "sqlite" && e !== "postgres");
  if (unknown.length > 0) throw new Error(`BENCH_ENGINES: unknown engine ${unknown.join(", ")} (use sqlite, postgres or sqlite,postgres)`);

  const setups: Setup[] = [];
  let benchDatabase: string | null = null;
  if (ENGINES.includes("sqlite")) {
    fs.mkdirSync(path.dirname(DATABASE), { recursive: true });
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${DATABASE}${suffix}`, { force: true });
    const database: DatabaseConfig = { engine: "sqlite", path: DATABASE };
    setups.push({ label: "SQLite, one node", database, ports: [APP_PORT], processesPerNode: PROCESSES, seeded: await seed(database) });
  }
  if (ENGINES.includes("postgres")) {
    benchDatabase = `academy_bench_${process.pid}`;
    const name = benchDatabase;
    await onPostgresServer((client) => client.query(`CREATE DATABASE "${name}"`));
    const database: DatabaseConfig = { engine: "postgres", url: withDatabaseName(POSTGRES_SERVER, name) };
    const seeded = await seed(database);
    setups.push({ label: "PostgreSQL, one node", database, ports: [APP_PORT], processesPerNode: PROCESSES, seeded });
    // Two nodes on this one machine share its cores: each gets half the processes, so the total matches the baseline's.
    setups.push({ label: "PostgreSQL, two nodes", database, ports: [APP_PORT, SECOND_NODE_PORT], processesPerNode: Math.max(1, Math.floor(PROCESSES / 2)), seeded });
  }

  // The raw node:http baseline serves a page of the lesson page's size from memory, with as many processes as the site.
  const lessonProbeSize = 27_000;
  const baselineTarget: Target = { name: `baseline: raw node:http, 27 kB, ${PROCESSES} process(es)`, url: `http://127.0.0.1:${BASELINE_PORT}/`, expectStatus: 200 };
  const baselineProcess = startProcess(process.execPath, ["scripts/lib/bench-baseline.mjs", String(BASELINE_PORT), String(PROCESSES), String(lessonProbeSize)], {});
  await waitFor(`http://127.0.0.1:${BASELINE_PORT}/`);

  const commit = execSync("git rev-parse --short HEAD").toString().trim();
  const dirty = execSync("git status --porcelain").toString().trim() ? " (with uncommitted changes)" : "";
  console.log(
    `\nBenchmark: commit ${commit}${dirty}; ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? "unknown CPU"}), load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}; ` +
      `${PROCESSES} server process(es) for the site and for the baseline; ${CONNECTIONS} connections, ${SECONDS} s per target; 127.0.0.1; ${process.arch}, Node ${process.version}; ` +
      `verification rate limit off (all load comes from one address); engines: ${setups.map((s) => s.label).join("; ")}\n`,
  );
  process.stdout.write(`  measuring ${baselineTarget.name}…\n`);
  const baselineRss = noPeak();
  const baselines = [await withRssPeak([baselineProcess], () => measure(baselineTarget), baselineRss)];
  const sections: { setup: Setup; results: Measurement[]; javascript: Awaited<ReturnType<typeof pageJavaScript>>; rss: typeof baselineRss }[] = [];
  for (const setup of setups) {
    process.stdout.write(`  starting ${setup.label} (${setup.ports.length} × ${setup.processesPerNode} process(es))…\n`);
    const nodes = await startNodes(setup.database, setup.ports, setup.processesPerNode);
    const urls = setup.ports.map((port) => `http://127.0.0.1:${port}`);
    const results: Measurement[] = [];
    const rss = noPeak();
    const { targets, javascript } = await siteTargets(setup.seeded);
    for (const target of targets.filter(chosen)) {
      process.stdout.write(`  measuring ${setup.label}: ${target.name}…\n`);
      results.push(await withRssPeak(nodes, () => measureSplit(target, urls), rss));
    }
    await stopNodes(nodes);
    sections.push({ setup, results, javascript, rss });
  }
  // Again at the end, whatever was measured: a machine that slowed down (or sped up) during the run
  // shows as two different baselines, and every ratio is to their mean.
  process.stdout.write(`  measuring ${baselineTarget.name} again…\n`);
  baselines.push(await measure(baselineTarget));
  const baselineRps = baselines.reduce((sum, b) => sum + b.rps, 0) / baselines.length;

  // A cache-miss target is judged only if no request could have been served from the cache.
  const goalOf = (r: Measurement) =>
    r.goal ? `≥${r.goal.rps}, p99<${r.goal.p99}: ${r.repeats && r.repeats.withinCache > 0 ? "not measured" : r.rps >= r.goal.rps && r.p99 < r.goal.p99 ? "met" : "NOT met"}` : "";
  const line = (r: Measurement, reference: number) => {
    const statuses = Object.entries(r.statuses).map(([code, count]) => `${code}×${count}`).join(" ") + (r.errors > 0 ? ` errors×${r.errors}` : "");
    return `${r.name.padEnd(56)} ${r.rps.toFixed(0).padStart(9)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${(r.rps / baselineRps).toFixed(3).padStart(11)} ${(r.rps / reference).toFixed(2).padStart(9)}  ${goalOf(r).padEnd(24)}  ${statuses}`;
  };
  const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
  console.log("");
  console.log(`${"target".padEnd(56)} ${"req/s".padStart(9)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"× baseline".padStart(11)} ${"× first".padStart(9)}  ${"goal (issue 14)".padEnd(24)}  statuses`);
  for (const b of baselines) console.log(line(b, b.rps));
  const first = sections[0]!.results;
  for (const { setup, results, javascript, rss } of sections) {
    console.log(`-- ${setup.label} (${setup.ports.length} × ${setup.processesPerNode} process(es))`);
    results.forEach((r, i) => {
      console.log(line(r, first[i]!.rps));
      if (r.repeats) {
        const { requests, distinct, repeated, withinCache } = r.repeats;
        const pct = (n: number) => `${((100 * n) / Math.max(1, requests)).toFixed(1)}%`;
        console.log(`${"".padEnd(4)}${requests} requests, ${distinct} distinct certificate ids; ${repeated} repeated an id (${pct(repeated)}), ${withinCache} within the cache's ${VERIFY_CACHE_MS / 1000} s (${pct(withinCache)}: may have been cache hits${withinCache > 0 ? "; seed more with BENCH_VERIFY_TRAINERS" : ""})`);
      }
    });
    console.log(`${"lesson page JavaScript".padEnd(56)} ${javascript.files} files, ${(javascript.bytes / 1024).toFixed(1)} KB, ${(javascript.gzip / 1024).toFixed(1)} KB gzip (goal ≤ 80 KB gzip: ${javascript.gzip <= 80 * 1024 ? "met" : "NOT met"})`);
    console.log(`${"RSS of all the site's processes, highest under load".padEnd(56)} ${mb(rss.kb)} (goal ≤ 250 MB: ${rss.kb <= 250 * 1024 ? "met" : "NOT met"}): ${rss.processes.map((p) => `${p.pid} ${mb(p.kb)}`).join(", ")}`);
    console.log(`${"  the same, shared pages counted once (PSS)".padEnd(56)} ${mb(rss.pssKb)}`);
  }
  console.log(`${"RSS of the baseline's processes, highest under load".padEnd(56)} ${mb(baselineRss.kb)}: ${baselineRss.processes.map((p) => `${p.pid} ${mb(p.kb)}`).join(", ")}`);
  console.log(`${"  the same, shared pages counted once (PSS)".padEnd(56)} ${mb(baselineRss.pssKb)}`);
  console.log(`\n× baseline: to the mean of the baseline runs (${baselines.map((b) => b.rps.toFixed(0)).join(", ")} req/s); × first: to the same target on ${sections[0]!.setup.label}. Two nodes: both measured at once, half the connections each; req/s summed, p50/p99 of the slower node.\n`);
  stopAll();
  if (benchDatabase) {
    const name = benchDatabase;
    await onPostgresServer((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).catch(() => undefined);
  }
  const results = [...baselines, ...sections.flatMap((s) => s.results)];
  const wrong = results.filter((r) => r.unexpected > 0 || r.errors > 0);
  if (wrong.length > 0) {
    console.error(`Unexpected status codes or errors for: ${wrong.map((r) => r.name).join("; ")}. The figures above are not valid.`);
    process.exit(1);
  }
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  stopAll();
  process.exit(1);
});
