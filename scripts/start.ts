/**
 * The server: migrate the database, print the first-administrator link when there is no
 * administrator, and serve on HOST:PORT (default http://127.0.0.1:3000). `npm start` runs it
 * compiled (build/server/start.js, plain `node`, after scripts/build-if-needed.mjs has built
 * when the sources are newer than the build; ADR 0035). `--dev` (through tsx) serves the newest
 * Remix build on every request for `npm run dev`, which runs `remix watch` beside it.
 */
import cluster from "node:cluster";
import { fork as forkProcess } from "node:child_process";
import http from "node:http";
import os from "node:os";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { getEnvOrExit, setNodeEnv, type Env } from "~/utils/env.server";
import { databaseConfig, getDb } from "~/db.server";
import type { DB } from "~db/connection";
import { createFirstAdminLink } from "~/auth/accounts.server";
import { serverClock } from "~/utils/clock.server";
import { HOUR } from "~/utils/clock";
import { runScheduledJobs, type JobObserver } from "~/jobs/scheduled.server";
import { startOutboxWorker } from "~/email/outbox.server";
import { startDataExportWorker } from "~/data-export/worker.server";
import { removeStaleIncomingFiles } from "~/evidence/files.server";
import { migrateToLatest } from "~db/migrate";
import { describeDatabase } from "~db/connection";
import { registerModuleVersions } from "~/content/catalog.server";
import { INVALIDATE_MESSAGE, listenForCertificateChanges } from "~/certificates/public.server";
import { localBaseUrlWarning, prepareCredentials } from "~/certificates/credentials/startup.server";
import { recordAgreementPublication } from "~/agreement/reacceptance.server";
import { log } from "~/utils/log.server";
import { httpMetrics, primaryMetrics, serveMetrics } from "~/http/metrics.server";
import { markShuttingDown } from "~/http/shutdown.server";
import { distributeConnections, serveHandedConnections } from "~/http/handoff.server";
import { workerExecArgv } from "~/http/worker-heap.server";

const dev = process.argv.includes("--dev");
/**
 * How long the primary waits before replacing a worker that said it is stopping: if the primary is
 * told to stop meanwhile, the whole service is stopping and no successor is started (ADR 0035).
 */
const REPLACE_AFTER_MS = 1000;
const BUILD_ENTRY = path.resolve("build/index.js");

async function loadBuild(): Promise<ServerBuild> {
  const url = pathToFileURL(BUILD_ENTRY).href;
  return (await import(dev ? `${url}?t=${fs.statSync(BUILD_ENTRY).mtimeMs}` : url)) as ServerBuild;
}

/**
 * How many processes serve HTTP. Rendering a page is CPU work, so production uses every core
 * (WEB_CONCURRENCY overrides). Development and end-to-end runs with the test clock use one
 * process, since the clock offset lives in memory.
 */
function workerCount(env: Env): number {
  if (dev || env.ATA_TEST_CLOCK === "1") return 1;
  if (env.WEB_CONCURRENCY !== undefined) return Math.min(env.WEB_CONCURRENCY, 16);
  return Math.max(1, Math.min(os.availableParallelism(), 4));
}

/**
 * Graceful shutdown (ADR 0035): the first SIGTERM or SIGINT runs `stop` once, bounded by
 * SHUTDOWN_TIMEOUT_SECONDS plus a margin; a second signal, or `stop` overrunning, exits at once.
 * Returns a function that begins the same stop without a signal (a worker told to drain by its
 * primary); calling it again, or after a signal, does nothing, and a signal after it is not
 * a second one.
 */
function onStopSignal(env: Env, stop: (reason: string) => Promise<void>): (reason: string) => void {
  let stopping = false;
  const begin = (reason: string) => {
    if (stopping) return;
    stopping = true;
    markShuttingDown();
    setTimeout(() => {
      log().error("Shutdown overran its timeout: exiting now.");
      process.exit(1);
    }, (env.SHUTDOWN_TIMEOUT_SECONDS + 10) * 1000).unref();
    stop(reason)
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        log().error({ err: error }, "Shutdown failed");
        process.exit(1);
      });
  };
  let signalled = false;
  const handle = (signal: string) => {
    // A second signal, not the first after a drain message (a worker may hear its primary first).
    if (signalled) {
      log().warn({ signal }, "Second stop signal: exiting now.");
      process.exit(1);
    }
    signalled = true;
    begin(signal);
  };
  process.on("SIGTERM", () => handle("SIGTERM"));
  process.on("SIGINT", () => handle("SIGINT"));
  return begin;
}

/** Closes this process's database connections cleanly (SQLite checkpoints its WAL on close). */
async function closeDatabase(): Promise<void> {
  const db = globalThis.__academyDb;
  globalThis.__academyDb = undefined;
  await db?.destroy();
}

/**
 * This process's HTTP handling: the app, its email worker and (PostgreSQL) the certificate-change
 * listener. `stop` ends the last two; the caller deals with the connections.
 */
async function httpHandling(env: Env) {
  const build = dev ? loadBuild : await loadBuild();
  // Loaded here, not with this file: a cluster's primary serves no HTTP and so never loads
  // Express and Remix's adapter (ADR 0049).
  const { createHttpApp } = await import("~/http/app.server");
  // This process's email worker: sends what its requests queue, and polls for the rest (ADR 0028).
  const stopOutbox = startOutboxWorker(getDb(), serverClock);
  // This process's data-export worker: builds the ZIPs its requests ask for, and polls for the rest (ADR 0033).
  const stopExports = startDataExportWorker(getDb(), serverClock, { evidenceDir: env.EVIDENCE_DIR, publicBaseUrl: env.PUBLIC_BASE_URL });
  // PostgreSQL: hear about certificate changes made on any node (ADR 0021).
  const listener = env.DATABASE_URL ? listenForCertificateChanges(env.DATABASE_URL) : null;
  const app = createHttpApp({ env, build, observe: httpMetrics() });
  return {
    app,
    async stop() {
      stopOutbox();
      stopExports();
      await listener?.stop();
    },
  };
}

function listeningLine(env: Env): string {
  return `Approved Trainer Academy is listening on http://${env.HOST}:${env.PORT} (public address ${env.PUBLIC_BASE_URL})`;
}

/**
 * Serves HTTP in this process alone (one process, or development). Returns `drain`: stop
 * accepting connections, let requests in flight finish (idle keep-alive connections are left to
 * their keep-alive timeout, or closed after their next response, rather than cut while a request
 * may be on its way), and after SHUTDOWN_TIMEOUT_SECONDS close whatever is left. Then the email
 * worker and the PostgreSQL listener stop; the caller closes the database.
 */
async function serve(env: Env): Promise<() => Promise<void>> {
  const handling = await httpHandling(env);
  const server = handling.app.listen(env.PORT, env.HOST, () => log().info(listeningLine(env)));
  return async () => {
    // Keep connections that are idle now: closing them could cut a request already on its way.
    server.closeIdleConnections = () => undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    const timeout = setTimeout(() => {
      log().warn({ timeoutSeconds: env.SHUTDOWN_TIMEOUT_SECONDS }, "Requests still in flight at the shutdown timeout: closing their connections.");
      server.closeAllConnections();
    }, env.SHUTDOWN_TIMEOUT_SECONDS * 1000);
    timeout.unref();
    await closed;
    clearTimeout(timeout);
    await handling.stop();
  };
}

/**
 * A cluster worker: serves the connections the primary accepts and hands over (ADR 0035). On
 * SIGTERM, or the primary's drain message, it answers with `Connection: close` from then on, and
 * drains when the primary says no more connections will come (the port is closed, or another
 * worker takes them).
 */
async function serveAsWorker(env: Env): Promise<void> {
  const handling = await httpHandling(env);
  // Told to drain by the primary without a signal of its own (the service manager signalled only
  // the primary, or the primary has gone): stop as on SIGTERM.
  let stop: ((reason: string) => void) | null = null;
  const connections = serveHandedConnections(http.createServer(handling.app), { onDrainRequested: () => stop?.("drain") });
  stop = onStopSignal(env, async () => {
    await connections.stopRequested();
    const drained = await connections.drain(env.SHUTDOWN_TIMEOUT_SECONDS * 1000);
    if (!drained) log().warn({ timeoutSeconds: env.SHUTDOWN_TIMEOUT_SECONDS }, "Requests still in flight at the shutdown timeout: closed their connections.");
    await handling.stop();
    await closeDatabase();
    log().info("Worker stopped: its requests finished, its database connection closed.");
  });
}

/**
 * One scheduled-jobs run in this process, with its log lines; resolves when it has ended, whether
 * it ran, was left to another node, or failed (logged).
 */
async function runJobsHere(db: DB, env: Env, observe: JobObserver): Promise<void> {
  try {
    const outcome = await runScheduledJobs(db, { now: serverClock, publicBaseUrl: env.PUBLIC_BASE_URL, evidenceDir: env.EVIDENCE_DIR, observe });
    if (!outcome.ran) log().info("Scheduled jobs: another node is running them; skipped this time.");
    else {
      const { entryRequirements, agreement, credentials, housekeeping, emailsSent } = outcome.result;
      log().info({ job: "scheduled", entryRequirements, agreement, credentials, housekeeping, emailsSent }, "scheduled jobs ran");
    }
    // This node's own half-received uploads.
    const stale = await removeStaleIncomingFiles(env.EVIDENCE_DIR, new Date());
    if (stale > 0) log().info({ removed: stale }, `Removed unfinished upload(s) from ${env.EVIDENCE_DIR}`);
  } catch (error: unknown) {
    log().error({ err: error, job: "scheduled" }, "Scheduled jobs failed");
  }
}

/** The argument that makes this script one scheduled-jobs run, as a child of a cluster's primary. */
const JOBS_RUN_ARGUMENT = "--scheduled-jobs-run";
/** A child's message to the primary: one job's time, for the primary's metrics. */
const JOB_MESSAGE = "academy:job-observed";

/**
 * A cluster's scheduled-jobs run, in a process of its own (ADR 0055): a run over a large backlog
 * grows the heap by about 100 MB (thousands of statuses refreshed, emails queued), which V8
 * keeps for the life of the process; in a child it is given back when the run ends. Its lines go
 * to the same log (the child writes to the primary's stdout); each job's time comes back as a
 * message for the primary's metrics. Resolves when the child has exited; an exit that is not
 * clean (a crash, a signal) is logged as a failed run.
 */
function runJobsInChild(observe: JobObserver): Promise<void> {
  return new Promise((resolve) => {
    const child = forkProcess(process.argv[1]!, [...process.argv.slice(2), JOBS_RUN_ARGUMENT], { execArgv: process.execArgv });
    child.on("message", (message: { type?: string; job?: string; seconds?: number; failed?: boolean } | null) => {
      if (message?.type === JOB_MESSAGE && typeof message.job === "string") observe(message.job, Number(message.seconds), message.failed === true);
    });
    // A child that could not be started emits 'error', and 'exit' may not follow (Node's docs): the
    // run ends there too, or `jobsRun` would stay set and every later run, and a stop, would wait on it.
    let startFailed = false;
    child.on("error", (error) => {
      startFailed = true;
      log().error({ err: error, job: "scheduled" }, "Scheduled jobs failed");
      resolve();
    });
    child.on("exit", (code, signal) => {
      if (code !== 0 && !startFailed) log().error({ job: "scheduled", code, signal, child: child.pid }, "Scheduled jobs failed");
      resolve();
    });
  });
}

/**
 * This process is a scheduled-jobs run for its parent, a cluster's primary: one run, then exit.
 * The primary decides when the service stops: a stop signal to the whole process group lets the
 * run finish, as it would in one process (the primary waits for it); if the primary goes, the run
 * stops (each batch is its own transaction).
 */
async function jobsRunForPrimary(env: Env): Promise<void> {
  process.on("SIGTERM", () => undefined);
  process.on("SIGINT", () => undefined);
  process.on("disconnect", () => process.exit(1));
  await runJobsHere(getDb(), env, (job, seconds, failed) => process.send?.({ type: JOB_MESSAGE, job, seconds, failed }));
  await closeDatabase();
  process.exit(0);
}

async function main() {
  setNodeEnv(dev);
  // A bad setting stops here, with one line naming it, before anything is built or opened.
  const env = getEnvOrExit();
  if (process.argv.includes(JOBS_RUN_ARGUMENT)) {
    await jobsRunForPrimary(env);
    return;
  }
  if (cluster.isWorker) {
    await serveAsWorker(env);
    return;
  }

  const db = getDb();
  log().info(`Database: ${describeDatabase(databaseConfig(env))}`);
  const migrations = await migrateToLatest(db);
  for (const result of migrations.results ?? []) log().info({ migration: result.migrationName, status: result.status }, "migration");

  const versions = await registerModuleVersions(db, serverClock());
  log().info(`Serving ${versions.size} training modules.`);
  // A new agreement version starts its re-acceptance window the first time it is served.
  await recordAgreementPublication(db, serverClock());

  // Open Badges 3.0 credentials: the signing key, credentials for older certificates (ADR 0013).
  const baseUrlWarning = localBaseUrlWarning(env.PUBLIC_BASE_URL);
  if (baseUrlWarning) log().warn(baseUrlWarning);
  const credentials = await prepareCredentials(db, env.PUBLIC_BASE_URL, serverClock());
  log().info(`Credentials are signed by ${credentials.did}.`);
  if (credentials.upgraded > 0) log().info(`Issued Open Badges 3.0 credentials for ${credentials.upgraded} existing certificate(s).`);

  const setupLink = await createFirstAdminLink(db, env.PUBLIC_BASE_URL, serverClock());
  if (setupLink) {
    // The one secret the log carries on purpose: the operator needs it to finish installing.
    log().warn(
      `\nNo administrator exists yet. Open this one-time link within 24 hours to create the first one:\n\n  ${setupLink}\n\n(Restarting the server replaces it with a new link.)\n`,
    );
  }

  // The scheduled jobs (expiry, re-checks, reminders, DBS retention, email, credential
  // statuses, housekeeping): now (in the background), then hourly; with several nodes, one node
  // at a time runs them (ADR 0021). With workers, each run is a process of its own (ADR 0055).
  const workers = workerCount(env);
  const metrics = primaryMetrics({ db: () => db, now: serverClock });
  const runJobs = workers > 1 ? () => runJobsInChild(metrics.job) : () => runJobsHere(db, env, metrics.job);
  // The first run starts now but is not waited for: the server listens at once, and a backlog
  // (a restore, a long stop, an upgrade that marks every stored status stale) is worked off in
  // the background instead of delaying start-up (issue 19: 70–87 s at 50,000 trainers). Pages
  // need nothing from it: readers of stored statuses refresh them first (ADR 0025).
  let jobsRun: Promise<void> | null = runJobs().finally(() => (jobsRun = null));
  const jobsTimer = setInterval(() => {
    // One run at a time from this primary: a run still going (a large backlog) is left to finish.
    if (jobsRun) {
      log().warn("Scheduled jobs: the previous run is still going; skipped this time.");
      return;
    }
    jobsRun = runJobs().finally(() => (jobsRun = null));
  }, HOUR);
  jobsTimer.unref();
  /** No new scheduled-jobs run from now on; resolves when a run in progress has finished. */
  const stopJobs = async () => {
    clearInterval(jobsTimer);
    await jobsRun;
  };

  let metricsServer: ReturnType<typeof serveMetrics> | null = null;
  if (env.METRICS_PORT !== undefined) {
    metricsServer = serveMetrics({ host: env.METRICS_HOST, port: env.METRICS_PORT, primary: metrics, clustered: workers > 1 });
    log().info(`Prometheus metrics at http://${env.METRICS_HOST}:${env.METRICS_PORT}/metrics`);
  }
  const closeMetrics = () => new Promise<void>((resolve) => (metricsServer ? metricsServer.close(() => resolve()) : resolve()));
  if (workers === 1) {
    const drain = await serve(env);
    onStopSignal(env, async (signal) => {
      log().info({ signal }, "Stopping: finishing the requests in flight; no new scheduled jobs.");
      await Promise.all([drain(), stopJobs(), closeMetrics()]);
      await closeDatabase();
      log().info("Stopped cleanly.");
    });
    return;
  }
  // The primary runs migrations and accepts connections; workers serve them (ADR 0035); each scheduled-jobs run is a child of its own (ADR 0055).
  // Each worker with a heap limit, so a busy worker collects before its memory runs far ahead of its live objects (ADR 0052).
  cluster.setupPrimary({ execArgv: workerExecArgv(process.execArgv, env.NODE_OPTIONS, env.HEAP_LIMIT_MB) });
  const fork = () => cluster.fork({ ACADEMY_WORKERS: String(workers) });
  // One line per worker started, so the log shows every start (and any replacement) by its pid.
  cluster.on("fork", (worker) => log().info({ worker: worker.process.pid }, "Worker started."));
  /** Workers that said they are stopping and already have (or are about to have) a successor. */
  const replaced = new Set<number>();
  let stopping = false;
  const connections = distributeConnections({
    host: env.HOST,
    port: env.PORT,
    expectedWorkers: workers,
    // A worker told to stop on its own (not the whole service): start its successor, unless this
    // primary is told to stop within REPLACE_AFTER_MS. A stop signal to the whole service reaches
    // the workers too, and a worker's "stopping" message can be read before the primary's own
    // signal (kill(-pgid) signals every process at once; systemd signals each in turn), which
    // forked a successor only to stop it again.
    replace: (worker) => {
      if (stopping || replaced.has(worker.id)) return;
      replaced.add(worker.id);
      setTimeout(() => {
        if (stopping) return;
        log().warn({ worker: worker.process.pid }, "A worker was told to stop; starting another.");
        fork();
      }, REPLACE_AFTER_MS);
    },
  });
  // Certificate changes clear the other processes' verification caches.
  cluster.on("message", (from, message: { type?: string } | null) => {
    if (message?.type !== INVALIDATE_MESSAGE) return;
    // A worker that has just exited has a closed channel: a send without a callback would raise an
    // 'error' event and stop the primary; the callback swallows it (that worker has no cache left).
    for (const worker of Object.values(cluster.workers ?? {})) if (worker && worker !== from && worker.isConnected()) worker.send(message, undefined, () => undefined);
  });
  cluster.on("exit", (worker, code) => {
    if (stopping || replaced.delete(worker.id)) return;
    log().error({ worker: worker.process.pid, code }, "A worker stopped; starting another.");
    fork();
  });
  for (let i = 0; i < workers; i += 1) fork();
  await connections.listening;
  log().info(listeningLine(env));
  onStopSignal(env, async (signal) => {
    stopping = true;
    log().info({ signal }, "Stopping: no new connections; the workers finish the requests in flight; no new scheduled jobs.");
    const workersGone = new Promise<void>((resolve) => {
      const check = () => Object.keys(cluster.workers ?? {}).length === 0 && resolve();
      cluster.on("exit", check);
      check();
    });
    // The port closes first (new connections are refused), then each worker drains. Under a
    // service manager every process also gets the signal; the workers wait for this either way.
    connections.stopAccepting();
    await Promise.all([workersGone, stopJobs(), closeMetrics()]);
    await closeDatabase();
    log().info("Stopped cleanly.");
  });
}

main().catch((error: unknown) => {
  log().fatal({ err: error }, "The server could not start");
  process.exit(1);
});
