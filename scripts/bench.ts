/**
 * `npm run bench`: measures the site against a raw node:http baseline in the same run, on this
 * machine, over loopback only, bounded in time. Prints requests per second and p50/p99 latency
 * for each target and its throughput as a ratio of the baseline's.
 *
 *   BENCH_SECONDS   seconds per target (default 8)
 *   BENCH_CONNECTIONS concurrent connections (default 50)
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import { openDatabase } from "~db/connection";
import { migrateToLatest } from "~db/migrate";
import { seedAccounts } from "./lib/seed-accounts";
import { seedCertifiedTrainer } from "./lib/seed-certified";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const APP_PORT = 3510;
const BASELINE_PORT = 3511;
const APP = `http://127.0.0.1:${APP_PORT}`;
const DATABASE = "tests/.tmp/bench.sqlite";

interface Target {
  name: string;
  url: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  expectStatus: number;
}

interface Measurement {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

const children: ChildProcess[] = [];
function stopAll() {
  for (const child of children) if (child.pid) process.kill(-child.pid, "SIGTERM");
}
process.on("exit", stopAll);
process.on("SIGINT", () => process.exit(130));

function startProcess(command: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
  children.push(child);
  child.stderr!.on("data", (chunk: Buffer) => process.stderr.write(chunk));
  return child;
}

async function waitFor(url: string) {
  for (let i = 0; i < 150; i += 1) {
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
  // Warm up briefly so one-off work (first render, JIT) is not in the figures.
  await autocannon({ url: target.url, method: target.method ?? "GET", headers: target.headers, body: target.body, connections: 10, duration: 1 });
  const result = await autocannon({
    url: target.url,
    method: target.method ?? "GET",
    headers: target.headers,
    body: target.body,
    connections: CONNECTIONS,
    duration: SECONDS,
    expectBody: undefined,
  });
  return {
    name: target.name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: target.expectStatus === 200 ? result.non2xx : 0,
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
  const certified = await seedCertifiedTrainer(seeded, { name: "Bench Certified Trainer", email: "certified@bench.test", password: "bench trainer password", staffUserId: staff.id }, APP, new Date());
  await seeded.destroy();

  // The raw node:http baseline serves a page of the lesson page's size from memory.
  const lessonProbeSize = 27_000;
  startProcess(
    process.execPath,
    [
      "-e",
      `const body = "<!doctype html>" + "x".repeat(${lessonProbeSize}); require("node:http").createServer((req, res) => { res.writeHead(200, { "content-type": "text/html; charset=utf-8" }); res.end(body); }).listen(${BASELINE_PORT}, "127.0.0.1");`,
    ],
    {},
  );
  startProcess(path.resolve("node_modules/.bin/tsx"), ["scripts/start.ts"], {
    PORT: String(APP_PORT),
    HOST: "127.0.0.1",
    DATABASE_PATH: DATABASE,
    PUBLIC_BASE_URL: APP,
    NODE_ENV: "production",
    NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? "",
    // Loopback load would otherwise hit the per-IP lookup limit at once.
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
  const optionId = new RegExp(`id="${questionId}-([a-z0-9]+)"`).exec(attemptHtml)![1]!;
  const lessonBytes = (await (await fetch(lessonUrl, { headers: { cookie } })).text()).length;
  const verifyUrl = `${APP}/verify/${certified.certificateId}`;
  const verifyBytes = (await (await fetch(verifyUrl)).text()).length;

  const targets: Target[] = [
    { name: "baseline: raw node:http, 27 kB from memory", url: `http://127.0.0.1:${BASELINE_PORT}/`, expectStatus: 200 },
    { name: `lesson page (${Math.round(lessonBytes / 1000)} kB, signed in)`, url: lessonUrl, headers: { cookie }, expectStatus: 200 },
    {
      name: "answer save (POST, signed in, durable write)",
      url: `${APP}${attemptPath}?index`,
      method: "POST",
      headers: { cookie, "content-type": "application/x-www-form-urlencoded", origin: APP },
      body: new URLSearchParams({ questionId, option: optionId }).toString(),
      expectStatus: 200,
    },
    { name: `verification page, valid certificate (${Math.round(verifyBytes / 1000)} kB)`, url: verifyUrl, expectStatus: 200 },
    { name: "verification page, unknown certificate id (404)", url: `${APP}/verify/abcdefghijklmnopqrstuvwxyz234567`, expectStatus: 404 },
  ];

  console.log(`\nBenchmark: ${CONNECTIONS} connections, ${SECONDS} s per target, 127.0.0.1, ${process.arch}, Node ${process.version}\n`);
  const results: Measurement[] = [];
  for (const target of targets) {
    process.stdout.write(`  measuring ${target.name}…\n`);
    results.push(await measure(target));
  }
  const baseline = results[0]!;
  console.log("");
  console.log(`${"target".padEnd(52)} ${"req/s".padStart(9)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"× baseline".padStart(11)} ${"errors".padStart(7)}`);
  for (const r of results) {
    console.log(
      `${r.name.padEnd(52)} ${r.rps.toFixed(0).padStart(9)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${(r.rps / baseline.rps).toFixed(3).padStart(11)} ${String(r.errors + r.non2xx).padStart(7)}`,
    );
  }
  console.log("");
  stopAll();
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  stopAll();
  process.exit(1);
});
