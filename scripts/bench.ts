/**
 * `npm run bench`: measures the site against a raw node:http baseline in the same run, on this
 * machine, over loopback only, bounded in time. The baseline runs as many processes as the site
 * (a node:cluster of the same size), so the ratio compares like with like. Each target is the
 * request a browser really sends (the answer save is the single-fetch `.data` POST the attempt
 * page's fetcher makes), every response's status is counted and checked, and the verification
 * page is measured both from its cache and on cache misses (every request a different
 * certificate). Prints requests per second, p50/p99 latency, the ratio to the baseline, the
 * status codes, and the commit, cores and load average the figures were taken with.
 *
 *   BENCH_SECONDS     seconds per target (default 8)
 *   BENCH_CONNECTIONS concurrent connections (default 50)
 *   BENCH_PROCESSES   server processes for the site and the baseline (default: as `npm start`,
 *                     one per core, at most 4)
 */
import { execSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { openDatabase } from "~db/connection";
import { migrateToLatest } from "~db/migrate";
import { seedAccounts } from "./lib/seed-accounts";
import { seedCertifiedTrainer } from "./lib/seed-certified";
import { growAcademy, seedContext } from "./lib/seed-scale";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const APP_PORT = 3510;
const BASELINE_PORT = 3511;
const APP = `http://127.0.0.1:${APP_PORT}`;
const DATABASE = "tests/.tmp/bench.sqlite";
const PROCESSES = Number(process.env.BENCH_PROCESSES ?? Math.max(1, Math.min(os.availableParallelism(), 4)));
/** Seeded certified trainers whose certificates the cache-miss target looks up, each once. */
const CACHE_MISS_TRAINERS = 600;

interface Target {
  name: string;
  url: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  expectStatus: number;
  /** Paths to request in turn, each once (a cache-miss target); otherwise `url` for the duration. */
  paths?: string[];
}

interface Measurement {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Responses by status code. */
  statuses: Record<string, number>;
  unexpected: number;
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
  return child;
}

/** Up to five minutes: at start the server gives the bulk-seeded certificates their credentials. */
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
  // Warm up briefly so one-off work (first render, JIT) is not in the figures (not for cache misses: that would warm the cache).
  if (!target.paths) await autocannon({ ...common, connections: 10, duration: 1 });
  const result = await autocannon(
    target.paths
      ? { ...common, connections: CONNECTIONS, amount: target.paths.length, requests: [{ setupRequest: ((req: object) => ({ ...req, path: target.paths![next++ % target.paths!.length] })) as never }] }
      : { ...common, connections: CONNECTIONS, duration: SECONDS },
  );
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats as Record<string, { count: number }>).map(([code, stat]) => [code, stat.count]));
  const unexpected = Object.entries(statuses).reduce((n, [code, count]) => (Number(code) === target.expectStatus ? n : n + count), 0);
  return {
    name: target.name,
    rps: target.paths ? result.requests.total / (result.duration || 1) : result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    statuses,
    unexpected,
  };
}

async function main() {
  if (!fs.existsSync("build/index.js") || !fs.existsSync("content/.generated/modules.json")) {
    const built = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
    if (built.status !== 0) process.exit(1);
  }
  fs.mkdirSync(path.dirname(DATABASE), { recursive: true });
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${DATABASE}${suffix}`, { force: true });

  // A certified trainer, so the verification page has a valid certificate to show.
  const seeded = openDatabase(DATABASE).db;
  await migrateToLatest(seeded);
  await seedAccounts(seeded, [{ role: "assessor", name: "Bench Assessor", email: "assessor@bench.test", password: "bench assessor password" }], new Date());
  const staff = await seeded.selectFrom("user").select("id").where("email", "=", "assessor@bench.test").executeTakeFirstOrThrow();
  const now = new Date();
  const certified = await seedCertifiedTrainer(seeded, { name: "Bench Certified Trainer", email: "certified@bench.test", password: "bench trainer password", staffUserId: staff.id }, APP, now);
  // Many certified trainers (the project's own bulk seeding), for verification lookups that miss the cache.
  const documents = await seeded.selectFrom("certificate").select("pdf").where("id", "=", certified.certificateId).executeTakeFirstOrThrow();
  await growAcademy(seeded, { from: 1, to: CACHE_MISS_TRAINERS + 1 }, await seedContext(seeded, now, [staff.id], { pdf: documents.pdf, credential: null }));
  const missIds = (await seeded.selectFrom("certificate").select("id").where("id", "!=", certified.certificateId).orderBy("id").execute()).map((c) => c.id);
  await seeded.destroy();

  // The raw node:http baseline serves a page of the lesson page's size from memory, with as many processes as the site.
  const lessonProbeSize = 27_000;
  startProcess(process.execPath, ["scripts/lib/bench-baseline.mjs", String(BASELINE_PORT), String(PROCESSES), String(lessonProbeSize)], {});
  startProcess(path.resolve("node_modules/.bin/tsx"), ["scripts/start.ts"], {
    WEB_CONCURRENCY: String(PROCESSES),
    PORT: String(APP_PORT),
    HOST: "127.0.0.1",
    DATABASE_PATH: DATABASE,
    PUBLIC_BASE_URL: APP,
    NODE_ENV: "production",
    NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? "",
    // All load comes from one address (loopback) and would hit the per-IP lookup limit at once:
    // the limit is off here, and the output says so.
    VERIFY_RATE_LIMIT_PER_MINUTE: "1000000000",
  });
  await Promise.all([waitFor(`http://127.0.0.1:${BASELINE_PORT}/`), waitFor(`${APP}/`)]);

  // A trainer with a session and an open attempt.
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
  // What the attempt page's fetcher sends when a choice is made: a single-fetch data request.
  const answerSavePath = `${attemptPath}.data?index`;
  const probe = await fetch(`${APP}${answerSavePath}`, { method: "POST", headers: { cookie, "content-type": "application/x-www-form-urlencoded", origin: APP }, body: new URLSearchParams({ questionId, option: optionId }) });
  if (probe.status !== 200 || !(probe.headers.get("content-type") ?? "").includes("text/x-script")) throw new Error(`The answer save data request answered ${probe.status} ${probe.headers.get("content-type")}: ${(await probe.text()).slice(0, 300)}`);
  const lessonBytes = (await (await fetch(lessonUrl, { headers: { cookie } })).text()).length;
  const verifyUrl = `${APP}/verify/${certified.certificateId}`;
  const verifyBytes = (await (await fetch(verifyUrl)).text()).length;

  const targets: Target[] = [
    { name: `baseline: raw node:http, 27 kB, ${PROCESSES} process(es)`, url: `http://127.0.0.1:${BASELINE_PORT}/`, expectStatus: 200 },
    { name: `lesson page (${Math.round(lessonBytes / 1000)} kB, signed in)`, url: lessonUrl, headers: { cookie }, expectStatus: 200 },
    {
      name: "answer save (POST .data, as the page sends it)",
      url: `${APP}${answerSavePath}`,
      method: "POST",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded", origin: APP },
      body: new URLSearchParams({ questionId, option: optionId }).toString(),
      expectStatus: 200,
    },
    { name: `verification page, one certificate, cached (${Math.round(verifyBytes / 1000)} kB)`, url: verifyUrl, expectStatus: 200 },
    { name: `verification page, cache misses (${missIds.length} distinct)`, url: verifyUrl, paths: missIds.map((id) => `/verify/${id}`), expectStatus: 200 },
    { name: "verification page, unknown certificate id (404)", url: `${APP}/verify/abcdefghijklmnopqrstuvwxyz234567`, expectStatus: 404 },
  ];

  const commit = execSync("git rev-parse --short HEAD").toString().trim();
  const dirty = execSync("git status --porcelain").toString().trim() ? " (with uncommitted changes)" : "";
  console.log(
    `\nBenchmark: commit ${commit}${dirty}; ${os.availableParallelism()} cores (${os.cpus()[0]?.model ?? "unknown CPU"}), load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}; ` +
      `${PROCESSES} server process(es) for the site and for the baseline; ${CONNECTIONS} connections, ${SECONDS} s per target; 127.0.0.1; ${process.arch}, Node ${process.version}; ` +
      `verification rate limit off (all load comes from one address)\n`,
  );
  const results: Measurement[] = [];
  for (const target of targets) {
    process.stdout.write(`  measuring ${target.name}…\n`);
    results.push(await measure(target));
  }
  const baseline = results[0]!;
  console.log("");
  console.log(`${"target".padEnd(56)} ${"req/s".padStart(9)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"× baseline".padStart(11)}  statuses`);
  for (const r of results) {
    const statuses = Object.entries(r.statuses).map(([code, count]) => `${code}×${count}`).join(" ") + (r.errors > 0 ? ` errors×${r.errors}` : "");
    console.log(`${r.name.padEnd(56)} ${r.rps.toFixed(0).padStart(9)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${(r.rps / baseline.rps).toFixed(3).padStart(11)}  ${statuses}`);
  }
  console.log("");
  stopAll();
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
