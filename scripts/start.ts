/**
 * `npm start`: build if the sources are newer than the build, migrate the database, print the
 * first-administrator link when there is no administrator, and serve on HOST:PORT
 * (default http://127.0.0.1:3000). `--dev` serves the newest build on every request for
 * `npm run dev`, which runs `remix watch` beside it.
 */
import { spawnSync } from "node:child_process";
import cluster from "node:cluster";
import os from "node:os";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { getEnvOrExit, setNodeEnv, type Env } from "~/utils/env.server";
import { databaseConfig, getDb } from "~/db.server";
import { createHttpApp } from "~/http/app.server";
import { createFirstAdminLink } from "~/auth/accounts.server";
import { serverClock } from "~/utils/clock.server";
import { HOUR } from "~/utils/clock";
import { runScheduledJobs } from "~/jobs/scheduled.server";
import { removeStaleIncomingFiles } from "~/evidence/files.server";
import { migrateToLatest } from "~db/migrate";
import { describeDatabase } from "~db/connection";
import { registerModuleVersions } from "~/content/catalog.server";
import { INVALIDATE_MESSAGE, listenForCertificateChanges } from "~/certificates/public.server";
import { localBaseUrlWarning, prepareCredentials } from "~/certificates/credentials/startup.server";
import { recordAgreementPublication } from "~/agreement/reacceptance.server";

const dev = process.argv.includes("--dev");
const BUILD_ENTRY = path.resolve("build/index.js");
const SOURCES = ["app", "content", "db", "remix.config.js", "package.json"];

function newestMtime(target: string): number {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) {
    if (entry === "node_modules" || entry.startsWith(".")) continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

function buildIfNeeded(): void {
  const built = fs.existsSync(BUILD_ENTRY) ? fs.statSync(BUILD_ENTRY).mtimeMs : 0;
  const sources = Math.max(...SOURCES.map(newestMtime));
  if (built > 0 && built >= sources) return;
  console.log(built === 0 ? "No build found: building the site…" : "Sources changed since the last build: rebuilding…");
  const result = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
  if (result.status !== 0) {
    console.error("The build failed; see the messages above.");
    process.exit(result.status ?? 1);
  }
}

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

async function serve(env: Env) {
  const build = dev ? loadBuild : await loadBuild();
  // PostgreSQL: hear about certificate changes made on any node (ADR 0021).
  if (env.DATABASE_URL) listenForCertificateChanges(env.DATABASE_URL);
  const app = createHttpApp({ env, build });
  const server = app.listen(env.PORT, env.HOST, () => {
    if (cluster.isPrimary || cluster.worker?.id === 1) {
      console.log(`Approved Trainer Academy is listening on http://${env.HOST}:${env.PORT} (public address ${env.PUBLIC_BASE_URL})`);
    }
  });
  const stop = () => {
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

async function main() {
  setNodeEnv(dev);
  // A bad setting stops here, with one line naming it, before anything is built or opened.
  const env = getEnvOrExit();
  if (cluster.isWorker) return serve(env);
  if (!dev) buildIfNeeded();

  const db = getDb();
  console.log(`Database: ${describeDatabase(databaseConfig(env))}`);
  const migrations = await migrateToLatest(db);
  for (const result of migrations.results ?? []) console.log(`Migration ${result.migrationName}: ${result.status}`);

  const versions = await registerModuleVersions(db, serverClock());
  console.log(`Serving ${versions.size} training modules.`);
  // A new agreement version starts its re-acceptance window the first time it is served.
  await recordAgreementPublication(db, serverClock());

  // Open Badges 3.0 credentials: the signing key, credentials for older certificates (ADR 0013).
  const baseUrlWarning = localBaseUrlWarning(env.PUBLIC_BASE_URL);
  if (baseUrlWarning) console.warn(baseUrlWarning);
  const credentials = await prepareCredentials(db, env.PUBLIC_BASE_URL, serverClock());
  console.log(`Credentials are signed by ${credentials.did}.`);
  if (credentials.upgraded > 0) console.log(`Issued Open Badges 3.0 credentials for ${credentials.upgraded} existing certificate(s).`);

  const setupLink = await createFirstAdminLink(db, env.PUBLIC_BASE_URL, serverClock());
  if (setupLink) {
    console.log(
      `\nNo administrator exists yet. Open this one-time link within 24 hours to create the first one:\n\n  ${setupLink}\n\n(Restarting the server replaces it with a new link.)\n`,
    );
  }

  // The scheduled jobs (expiry, re-checks, reminders, DBS retention, email, credential
  // statuses, housekeeping): now, then hourly; with several nodes, one node at a time runs them (ADR 0021).
  const runJobs = () =>
    runScheduledJobs(db, { now: serverClock, publicBaseUrl: env.PUBLIC_BASE_URL })
      .then(async (outcome) => {
        if (!outcome.ran) console.log("Scheduled jobs: another node is running them; skipped this time.");
        else {
          const { entryRequirements, agreement, credentials, housekeeping } = outcome.result;
          if (Object.values(entryRequirements).some((n) => n > 0)) console.log(`Entry-requirement jobs: ${JSON.stringify(entryRequirements)}`);
          if (agreement.told + agreement.suspended > 0) console.log(`Agreement re-acceptance: ${JSON.stringify(agreement)}`);
          if (credentials.revoked + credentials.issued > 0) console.log(`Credential statuses: ${JSON.stringify(credentials)}`);
          if (Object.values(housekeeping).some((n) => n > 0)) console.log(`Housekeeping: ${JSON.stringify(housekeeping)}`);
        }
        // This node's own half-received uploads.
        const stale = await removeStaleIncomingFiles(env.EVIDENCE_DIR, new Date());
        if (stale > 0) console.log(`Removed ${stale} unfinished upload(s) from ${env.EVIDENCE_DIR}`);
      })
      .catch((error: unknown) => console.error("Scheduled jobs failed:", error));
  await runJobs();
  setInterval(() => void runJobs(), HOUR).unref();

  const workers = workerCount(env);
  if (workers === 1) return serve(env);
  // The primary runs migrations and jobs; workers share the port and serve requests.
  for (let i = 0; i < workers; i += 1) cluster.fork({ ACADEMY_WORKERS: String(workers) });
  // Certificate changes clear the other processes' verification caches.
  cluster.on("message", (from, message: { type?: string } | null) => {
    if (message?.type !== INVALIDATE_MESSAGE) return;
    for (const worker of Object.values(cluster.workers ?? {})) if (worker && worker !== from) worker.send(message);
  });
  let stopping = false;
  cluster.on("exit", (worker, code) => {
    if (stopping) return;
    console.error(`Worker ${worker.process.pid} stopped (${code}); starting another.`);
    cluster.fork({ ACADEMY_WORKERS: String(workers) });
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill("SIGTERM");
    setTimeout(() => process.exit(0), 3000).unref();
    cluster.on("exit", () => {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
    });
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
