/**
 * `npm run bench:scale [N]`: staff pages at scale (issue 19). Grows a fresh database to 1,000
 * trainers with the project's own seeding (scripts/lib/seed-scale.ts), measures, grows it to N
 * (default 10,000; `npm run bench:scale 50000` or BENCH_SCALE_TRAINERS=50000) and measures
 * again, then prints both side by side with the commit, the cores and the load average.
 *
 * Measured at each size, over real HTTP against the built server on 127.0.0.1:
 *   - every staff page and the dashboard, signed in as an admin: p50 of sequential requests and
 *     the response size;
 *   - the hourly jobs (`runScheduledJobs`: entry requirements, agreement, first email batch,
 *     missing certificates, credential statuses, housekeeping) on the backlog the new trainers
 *     bring, run in-process and timed; then the server's start-up (migrations, credential
 *     backfill check), timed to its first answer, and the jobs run it starts in the background
 *     (nothing left to do), timed to its log line and waited for before the pages are measured;
 *   - two load figures with autocannon: a lesson page (signed in) and cache-miss verification
 *     (every request a different existing certificate id).
 * Bounded: a fixed number of requests per page, a few seconds per load figure. The database (several
 * GB at 50,000) goes in the system's temporary folder (BENCH_SCALE_DATABASE to choose) and is
 * deleted at the end unless BENCH_SCALE_KEEP=1.
 *
 * Re-measuring without re-seeding (seeding 50,000 takes a quarter of an hour): with
 * BENCH_SCALE_SEEDED=<folder>, the first run keeps a copy of the database as it stood just before
 * each measurement (seeded-1000.sqlite, seeded-<N>.sqlite, with their evidence folders) in that
 * folder; a later run with the same folder and N copies those back instead of seeding, brings
 * them up to the current code's migrations, and measures again: the same rows and the same
 * backlog for the hourly jobs, measured with the code of the current commit. The copies stay
 * until you delete the folder.
 */
import { execSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { openDatabase, type DB } from "~db/connection";
import { migrateToLatest } from "~db/migrate";
import { runScheduledJobs } from "~/jobs/scheduled.server";
import { latestCredentialJson } from "~/certificates/credentials/issue-credential.server";
import { seedAccounts } from "./lib/seed-accounts";
import { BENCH_TOTP_SECRET, benchSignIn } from "./lib/bench-sign-in";
import { seedCertifiedTrainer } from "./lib/seed-certified";
import { growAcademy, seedContext } from "./lib/seed-scale";

const N = Number(process.argv[2] ?? process.env.BENCH_SCALE_TRAINERS ?? 10_000);
const SMALL = 1_000;
const PORT = Number(process.env.BENCH_SCALE_PORT ?? 3520);
const APP = `http://127.0.0.1:${PORT}`;
const DATABASE = process.env.BENCH_SCALE_DATABASE ?? path.join(os.tmpdir(), "academy-bench-scale.sqlite");
const EVIDENCE = `${DATABASE}-evidence`;
const REQUESTS = Number(process.env.BENCH_SCALE_REQUESTS ?? 25);
const LOAD_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ADMIN = { role: "admin" as const, name: "Scale Admin", email: "admin@scale.academy.invalid", password: "scale admin password", totpSecret: BENCH_TOTP_SECRET };
const STAFF = [ADMIN, { role: "assessor" as const, name: "Scale Assessor", email: "assessor@scale.academy.invalid", password: "scale assessor password", totpSecret: BENCH_TOTP_SECRET }, { role: "assessor" as const, name: "Second Assessor", email: "assessor2@scale.academy.invalid", password: "scale assessor password", totpSecret: BENCH_TOTP_SECRET }];

const PAGES: [string, string][] = [
  ["dashboard", "/dashboard"],
  ["trainers list", "/trainers"],
  ["trainers, searched by name", "/trainers?q=hughes"],
  ["admin users list", "/admin/users"],
  ["admin certificates", "/admin/certificates"],
  ["certificates, expiring in 30 days", "/admin/certificates?expiring=30"],
  ["certificates, valid, sorted by status", "/admin/certificates?status=valid&sort=status"],
  ["admin DBS list", "/admin/dbs"],
  ["marking queue", "/marking"],
  ["verification queue", "/assessor/verification"],
  ["audit trail", "/admin/audit"],
];

interface Figures {
  pages: Record<string, { p50: number; bytes: number; status: number }>;
  jobsMs: number;
  jobs: string;
  /** Each step of the hourly run with its time. */
  jobSteps: string;
  startMs: number;
  /** From spawn to the end of the scheduled-jobs run the server starts (in the background). */
  startJobsMs: number;
  lesson: { rps: number; p50: number };
  verify: { rps: number; p50: number; requests: number };
  trainers: number;
  certificates: number;
}

let server: ChildProcess | null = null;
function stopServer() {
  if (server?.pid) process.kill(-server.pid, "SIGTERM");
  server = null;
}
process.on("exit", stopServer);
process.on("SIGINT", () => process.exit(130));

/** Waits up to ten minutes: at start the server runs migrations, the credential backfill and the hourly jobs before listening. */
async function waitFor(url: string) {
  for (let i = 0; i < 3000; i += 1) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not start`);
}

/**
 * Starts the server and times it to its first answer; the scheduled-jobs run it starts at the
 * same moment (in the background, ADR 0040) is timed to its log line, and waited for, so the
 * pages are measured without it.
 */
async function startServer(): Promise<{ startMs: number; startJobsMs: number }> {
  const started = performance.now();
  server = spawn(path.resolve("node_modules/.bin/tsx"), ["scripts/start.ts"], {
    env: { ...process.env, PORT: String(PORT), HOST: "127.0.0.1", DATABASE_PATH: DATABASE, EVIDENCE_DIR: EVIDENCE, PUBLIC_BASE_URL: APP, NODE_ENV: "production", VERIFY_RATE_LIMIT_PER_MINUTE: "1000000000" },
    stdio: ["ignore", "pipe", "inherit"],
    detached: true,
  });
  let output = "";
  let seen = false;
  const jobsDone = new Promise<number>((resolve) => {
    // Read to the end (a full pipe would stop the server); the first jobs log line resolves.
    server!.stdout!.on("data", (chunk: Buffer) => {
      if (seen) return;
      output = (output + chunk.toString()).slice(-4096);
      if (/scheduled jobs ran|Scheduled jobs/.test(output)) {
        seen = true;
        resolve(performance.now() - started);
      }
    });
  });
  await waitFor(`${APP}/`);
  const startMs = performance.now() - started;
  return { startMs, startJobsMs: await jobsDone };
}

async function signIn(email: string, password: string): Promise<string> {
  return benchSignIn(APP, email, password);
}

async function measurePage(url: string, cookie: string) {
  const times: number[] = [];
  let bytes = 0;
  let status = 0;
  for (let i = 0; i < REQUESTS + 3; i += 1) {
    const started = performance.now();
    const response = await fetch(`${APP}${url}`, { headers: { cookie } });
    const body = await response.arrayBuffer();
    if (i >= 3) times.push(performance.now() - started);
    bytes = body.byteLength;
    status = response.status;
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length / 2)]!, bytes, status };
}

async function load(url: string, headers: Record<string, string>, ids?: string[]) {
  let next = 0;
  const common = { url, headers, connections: 20 };
  const result = await autocannon(
    ids
      ? // Each request a different certificate: every lookup misses the verification cache.
        { ...common, amount: ids.length, requests: [{ setupRequest: ((req: object) => ({ ...req, path: `/verify/${ids[next++ % ids.length]}` })) as never }] }
      : { ...common, duration: LOAD_SECONDS },
  );
  return { rps: ids ? result.requests.total / (result.duration || 1) : result.requests.average, p50: result.latency.p50, requests: result.requests.total };
}

/**
 * Writes the database file and its log to disk before the jobs are timed. A file just copied back
 * from BENCH_SCALE_SEEDED or just seeded has gigabytes of dirty pages in the page cache, and the
 * jobs' first synced commit on that file would otherwise pay for writing them all back, which no
 * database in service does. Returns the seconds it took (printed, not hidden).
 */
function flushToDisk(): number {
  const started = performance.now();
  for (const suffix of ["", "-wal"]) {
    if (!fs.existsSync(`${DATABASE}${suffix}`)) continue;
    const fd = fs.openSync(`${DATABASE}${suffix}`, "r+");
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  }
  return (performance.now() - started) / 1000;
}

async function measure(db: DB, trainersNow: number): Promise<Figures> {
  console.log(`  database written to disk before the jobs run (${flushToDisk().toFixed(1)} s, not counted)`);
  // With no SMTP_HOST the outbox prints each email it delivers: kept out of the report.
  const info = console.info;
  console.info = () => {};
  const started = performance.now();
  const steps: string[] = [];
  const outcome = await runScheduledJobs(db, { now: () => new Date(), publicBaseUrl: APP, observe: (job, seconds) => steps.push(`${job} ${(seconds * 1000).toFixed(0)} ms`) });
  const jobsMs = performance.now() - started;
  console.info = info;
  const summary = outcome.ran ? outcome.result : "not run: lock taken";
  const { startMs, startJobsMs } = await startServer();
  const admin = await signIn(ADMIN.email, ADMIN.password);
  const pages: Figures["pages"] = {};
  for (const [name, url] of PAGES) pages[name] = await measurePage(url, admin);
  const trainer = await signIn("trainer1@scale.academy.invalid", "scale seeded password");
  const modules = JSON.parse(fs.readFileSync("content/.generated/modules.json", "utf8")) as { modules: { slug: string; sections: { id: string }[] }[] };
  const lesson = await load(`${APP}/modules/${modules.modules[0]!.slug}/${modules.modules[0]!.sections[1]!.id}`, { cookie: trainer });
  const ids = (await db.selectFrom("certificate").select("id").orderBy("issued_at", "desc").limit(20_000).execute()).map((r) => r.id);
  const verify = await load(`${APP}/verify/${ids[0]}`, {}, ids);
  stopServer();
  const certificates = Number((await db.selectFrom("certificate").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
  return { pages, jobsMs, jobs: JSON.stringify(summary), jobSteps: steps.join(", "), startMs, startJobsMs, lesson, verify, trainers: trainersNow, certificates };
}

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
const ms = (n: number) => `${n.toFixed(1)} ms`;

function report(small: Figures, large: Figures) {
  const commit = execSync("git rev-parse --short HEAD").toString().trim();
  const dirty = execSync("git status --porcelain").toString().trim() ? " (with uncommitted changes)" : "";
  console.log(`\nbench:scale — commit ${commit}${dirty}, ${os.availableParallelism()} cores, Node ${process.version}, ${new Date().toISOString()}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  if (reused) console.log(`Seeded databases reused from ${SEEDED} (BENCH_SCALE_SEEDED, kept ${fs.readFileSync(`${seededCopy(large.trainers)}.done`, "utf8")}), migrated to this commit.`);
  console.log(`Sequential p50 of ${REQUESTS} requests per page, signed in as an admin, 127.0.0.1.\n`);
  const head = `| page | p50 at ${small.trainers.toLocaleString("en-GB")} | size | p50 at ${large.trainers.toLocaleString("en-GB")} | size |`;
  console.log(head);
  console.log("|---|---:|---:|---:|---:|");
  for (const [name] of PAGES) {
    const a = small.pages[name]!;
    const b = large.pages[name]!;
    const flag = (f: { status: number }) => (f.status === 200 ? "" : ` (HTTP ${f.status})`);
    console.log(`| ${name} | ${ms(a.p50)}${flag(a)} | ${kb(a.bytes)} | ${ms(b.p50)}${flag(b)} | ${kb(b.bytes)} |`);
  }
  console.log(`| hourly jobs on the new trainers' backlog | ${ms(small.jobsMs)} | | ${ms(large.jobsMs)} | |`);
  console.log(`| server start-up after the jobs, to its first answer (migrations, backfill check) | ${ms(small.startMs)} | | ${ms(large.startMs)} | |`);
  console.log(`| the jobs run the server starts in the background, done (from spawn) | ${ms(small.startJobsMs)} | | ${ms(large.startJobsMs)} | |`);
  console.log(`| lesson page, 20 connections (req/s, p50) | ${small.lesson.rps.toFixed(0)} req/s, ${ms(small.lesson.p50)} | | ${large.lesson.rps.toFixed(0)} req/s, ${ms(large.lesson.p50)} | |`);
  console.log(`| cache-miss verification, distinct ids (req/s, p50) | ${small.verify.rps.toFixed(0)} req/s, ${ms(small.verify.p50)} (${small.verify.requests} ids) | | ${large.verify.rps.toFixed(0)} req/s, ${ms(large.verify.p50)} (${large.verify.requests} ids) | |`);
  console.log(`\nHourly jobs, step by step: ${small.jobSteps} / ${large.jobSteps}`);
  console.log(`Certificates: ${small.certificates.toLocaleString("en-GB")} and ${large.certificates.toLocaleString("en-GB")}. Jobs: ${small.jobs} / ${large.jobs}`);
  console.log(`Database file: ${(fs.statSync(DATABASE).size / 1e9).toFixed(2)} GB at ${large.trainers.toLocaleString("en-GB")} trainers.\n`);
}

const SEEDED = process.env.BENCH_SCALE_SEEDED ? path.resolve(process.env.BENCH_SCALE_SEEDED) : null;
let reused = false;
const seededCopy = (trainers: number) => path.join(SEEDED!, `seeded-${trainers}.sqlite`);
const seededReady = (trainers: number) => SEEDED !== null && fs.existsSync(`${seededCopy(trainers)}.done`);

/** Keeps a copy of the database as it stands (closed, so the WAL is checkpointed into it). */
function keepSeeded(trainers: number) {
  if (!SEEDED) return;
  fs.mkdirSync(SEEDED, { recursive: true });
  fs.rmSync(`${seededCopy(trainers)}.done`, { force: true });
  fs.copyFileSync(DATABASE, seededCopy(trainers));
  fs.rmSync(`${seededCopy(trainers)}-evidence`, { recursive: true, force: true });
  if (fs.existsSync(EVIDENCE)) fs.cpSync(EVIDENCE, `${seededCopy(trainers)}-evidence`, { recursive: true });
  fs.writeFileSync(`${seededCopy(trainers)}.done`, new Date().toISOString());
}

/** Puts a kept copy back as the database to measure, and migrates it to the current code. */
async function restoreSeeded(trainers: number): Promise<DB> {
  removeDatabase();
  fs.copyFileSync(seededCopy(trainers), DATABASE);
  if (fs.existsSync(`${seededCopy(trainers)}-evidence`)) fs.cpSync(`${seededCopy(trainers)}-evidence`, EVIDENCE, { recursive: true });
  const { db } = openDatabase(DATABASE);
  await migrateToLatest(db);
  return db;
}

function removeDatabase() {
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${DATABASE}${suffix}`, { force: true });
  fs.rmSync(EVIDENCE, { recursive: true, force: true });
}

async function main() {
  if (!Number.isInteger(N) || N < SMALL) throw new Error(`Give a number of trainers of at least ${SMALL}.`);
  if (!fs.existsSync("build/index.js") || !fs.existsSync("content/.generated/modules.json")) {
    if (spawnSync("npm", ["run", "build"], { stdio: "inherit" }).status !== 0) process.exit(1);
  }
  fs.mkdirSync(path.dirname(DATABASE), { recursive: true });
  if (seededReady(SMALL) && seededReady(N)) {
    reused = true;
    console.log(`Reusing the seeded databases in ${SEEDED} (BENCH_SCALE_SEEDED); measuring at ${SMALL.toLocaleString("en-GB")}…`);
    let db = await restoreSeeded(SMALL);
    const small = await measure(db, SMALL);
    await db.destroy();
    console.log(`measuring at ${N.toLocaleString("en-GB")}…`);
    db = await restoreSeeded(N);
    const large = await measure(db, N);
    await db.destroy();
    report(small, large);
    if (process.env.BENCH_SCALE_KEEP !== "1") removeDatabase();
    process.exit(0);
  }
  removeDatabase();
  let { db } = openDatabase(DATABASE);
  await migrateToLatest(db);
  const now = new Date();
  await seedAccounts(db, STAFF, now);
  const staff = await db.selectFrom("user").select("id").where("role", "in", ["admin", "assessor"]).execute();
  // One real certificate, rendered and signed by the real code: its PDF and credential are shared by the seeded ones.
  const real = await seedCertifiedTrainer(db, { name: "Scale Certified Trainer", email: "certified@scale.academy.invalid", password: "scale seeded password", staffUserId: staff[0]!.id }, APP, now);
  const documents = await db.selectFrom("certificate").select(["pdf"]).where("id", "=", real.certificateId).executeTakeFirstOrThrow();
  const ctx = await seedContext(db, now, staff.map((s) => s.id), { pdf: documents.pdf, credential: await latestCredentialJson(db, real.certificateId) });
  const progress = (done: number) => process.stdout.write(`\r  seeded ${done.toLocaleString("en-GB")} trainers`);
  /** Closes the database so the kept copy is whole, then opens it again. */
  const keep = async (trainers: number) => {
    if (!SEEDED) return;
    await db.destroy();
    keepSeeded(trainers);
    db = openDatabase(DATABASE).db;
  };

  let t = performance.now();
  await growAcademy(db, { from: 1, to: SMALL + 1 }, ctx, progress);
  console.log(` in ${((performance.now() - t) / 1000).toFixed(1)} s; measuring at ${SMALL.toLocaleString("en-GB")}…`);
  await keep(SMALL);
  const small = await measure(db, SMALL);
  t = performance.now();
  await growAcademy(db, { from: SMALL + 1, to: N + 1 }, ctx, progress);
  console.log(` in ${((performance.now() - t) / 1000).toFixed(1)} s; measuring at ${N.toLocaleString("en-GB")}…`);
  await keep(N);
  const large = await measure(db, N);
  await db.destroy();
  report(small, large);
  if (process.env.BENCH_SCALE_KEEP !== "1") removeDatabase();
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  stopServer();
  process.exit(1);
});
