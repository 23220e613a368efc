import http from "node:http";
import cluster from "node:cluster";
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics, register as workerRegistry } from "prom-client";
import type { DB } from "~db/connection";
import { verificationQueueSummary } from "~/evidence/verification-queue.server";
import { dbsQueueSummary } from "~/evidence/dbs-list.server";
import { markingQueueSummary } from "~/marking/open-work.server";
import { getStatusRules, liveStatusSql } from "~/certificates/status-sql.server";
import { ukToday } from "~/utils/dates";
import type { RequestObserver } from "./request-log.server";

/**
 * Prometheus metrics (issue 18, ADR 0036), in the text exposition format, served on a port of
 * their own (METRICS_PORT, on METRICS_HOST, default 127.0.0.1) by the primary process, never on
 * the site's port: only what can reach that port (Prometheus on the machine or the private
 * network) reads them.
 *
 * - Each process serving HTTP counts requests and their latency by route id (never the path),
 *   in prom-client's default registry; with several processes the primary asks each worker for
 *   its figures and sums them (prom-client's AggregatorRegistry, over the cluster channel).
 * - The primary process keeps its own registry: scheduled-job durations and failures, and
 *   gauges read from the database when scraped (at most once every 30 s): the staff queues and
 *   certificates by live status.
 */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The figures of the processes that serve HTTP (prom-client's default registry). */
export function httpMetrics(): RequestObserver {
  const requests =
    (workerRegistry.getSingleMetric("academy_http_requests_total") as Counter<"route" | "method" | "status"> | undefined) ??
    new Counter({ name: "academy_http_requests_total", help: "HTTP requests answered, by route id, method and status", labelNames: ["route", "method", "status"] });
  const durations =
    (workerRegistry.getSingleMetric("academy_http_request_duration_seconds") as Histogram<"route" | "method"> | undefined) ??
    new Histogram({ name: "academy_http_request_duration_seconds", help: "Time to answer an HTTP request, by route id and method", labelNames: ["route", "method"], buckets: DURATION_BUCKETS });
  if (!workerRegistry.getSingleMetric("process_cpu_user_seconds_total")) collectDefaultMetrics();
  // In a worker, this makes it answer the primary's requests for its figures.
  if (cluster.isWorker) new AggregatorRegistry();
  return ({ route, method, status, seconds }) => {
    requests.inc({ route, method, status: String(status) });
    durations.observe({ route, method }, seconds);
  };
}

export type QueueName = "evidence" | "dbs" | "marking" | "moderation" | "disputed" | "outbox";

/** The staff queues' sizes and certificates by live status, in a handful of count queries. */
export async function readAcademyGauges(db: DB, now: Date): Promise<{ queues: Record<QueueName, number>; certificates: Record<string, number> }> {
  const [evidence, dbs, marking, outbox] = await Promise.all([
    verificationQueueSummary(db),
    dbsQueueSummary(db),
    markingQueueSummary(db),
    db.selectFrom("email_outbox").select((eb) => eb.fn.countAll<number>().as("count")).where("sent_at", "is", null).executeTakeFirstOrThrow(),
  ]);
  const rules = await getStatusRules(db, now);
  const today = ukToday(now);
  const rows = await db
    .selectFrom("certificate")
    .select((eb) => [liveStatusSql(eb, today, rules).as("status"), eb.fn.countAll<number>().as("count")])
    .groupBy("status")
    .execute();
  const certificates: Record<string, number> = { valid: 0, expired: 0, suspended: 0, revoked: 0, superseded: 0 };
  for (const row of rows) certificates[row.status] = Number(row.count);
  return {
    queues: { evidence: evidence.count, dbs: dbs.count, marking: marking.mark.count, moderation: marking.moderate.count, disputed: marking.disputed.count, outbox: Number(outbox.count) },
    certificates,
  };
}

export interface PrimaryMetrics {
  registry: Registry;
  /** Records one scheduled job's run. */
  job(name: string, seconds: number, failed: boolean): void;
}

/** The primary process's registry: jobs, and the database gauges (cached for `cacheMs`). */
export function primaryMetrics(options: { db: () => DB; now: () => Date; cacheMs?: number }): PrimaryMetrics {
  const registry = new Registry();
  const jobDurations = new Histogram({ name: "academy_job_duration_seconds", help: "Time a scheduled job took, by job", labelNames: ["job"], buckets: [0.01, 0.1, 0.5, 1, 5, 15, 60, 300], registers: [registry] });
  const jobFailures = new Counter({ name: "academy_job_failures_total", help: "Scheduled job runs that failed, by job", labelNames: ["job"], registers: [registry] });
  let cached: { at: number; value: Promise<Awaited<ReturnType<typeof readAcademyGauges>>> } | undefined;
  const gauges = () => {
    const at = Date.now();
    if (!cached || at - cached.at > (options.cacheMs ?? 30_000)) {
      cached = { at, value: readAcademyGauges(options.db(), options.now()) };
      cached.value.catch(() => (cached = undefined));
    }
    return cached.value;
  };
  new Gauge({
    name: "academy_queue_size",
    help: "Items waiting in each staff queue (evidence, dbs, marking, moderation, disputed) and emails not yet sent (outbox)",
    labelNames: ["queue"],
    registers: [registry],
    async collect() {
      const { queues } = await gauges();
      for (const [queue, size] of Object.entries(queues)) this.set({ queue }, size);
    },
  });
  new Gauge({
    name: "academy_certificates",
    help: "Certificates by live status",
    labelNames: ["status"],
    registers: [registry],
    async collect() {
      const { certificates } = await gauges();
      for (const [status, count] of Object.entries(certificates)) this.set({ status }, count);
    },
  });
  return {
    registry,
    job(name, seconds, failed) {
      jobDurations.observe({ job: name }, seconds);
      if (failed) jobFailures.inc({ job: name });
      else jobFailures.inc({ job: name }, 0);
    },
  };
}

/**
 * The metrics endpoint: GET /metrics on its own port. `workers` is how many cluster workers
 * serve HTTP (0: this process serves HTTP itself, its default registry holds those figures).
 */
export function serveMetrics(options: { host: string; port: number; primary: PrimaryMetrics; clustered: boolean }): http.Server {
  const aggregator = options.clustered ? new AggregatorRegistry() : null;
  const server = http.createServer((req, res) => {
    if (req.method !== "GET" || (req.url ?? "").split("?")[0] !== "/metrics") {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("Not found: metrics are at /metrics\n");
      return;
    }
    Promise.all([aggregator ? aggregator.clusterMetrics() : workerRegistry.metrics(), options.primary.registry.metrics()])
      .then(([http, primary]) => res.writeHead(200, { "Content-Type": workerRegistry.contentType, "Cache-Control": "no-store" }).end(`${http.trimEnd()}\n${primary}`))
      .catch((error: unknown) => res.writeHead(500, { "Content-Type": "text/plain" }).end(`Metrics could not be gathered: ${error instanceof Error ? error.message : String(error)}\n`));
  });
  server.listen(options.port, options.host);
  return server;
}
