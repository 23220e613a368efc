import type { AddressInfo } from "node:net";
import type http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { httpMetrics, primaryMetrics, serveMetrics } from "~/http/metrics.server";
import { createTestDb } from "../helpers/db";

const NOW = new Date("2026-06-01T09:00:00Z");
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const done of cleanup.splice(0)) await done();
});

/**
 * A strict reader of the Prometheus text format (0.0.4): every line is a HELP or TYPE comment
 * or `name{label="value",…} number`; returns the samples as "name{labels}" → value.
 */
function parseExposition(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  const typed = new Set<string>();
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const comment = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    if (comment) {
      if (comment[1] === "TYPE") {
        expect(["counter", "gauge", "histogram", "summary", "untyped"]).toContain(comment[3]);
        typed.add(comment[2]!);
      }
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*\})? (-?[0-9.e+-]+|NaN|Nan|\+Inf|-Inf)$/.exec(line);
    expect(sample, `not a valid exposition line: ${line}`).not.toBeNull();
    const name = sample![1]!;
    expect(typed.has(name) || typed.has(name.replace(/_(bucket|sum|count)$/, "")), `${name} has no TYPE line`).toBe(true);
    samples.set(`${name}${sample![2] ?? ""}`, Number(sample![3]));
  }
  return samples;
}

async function scrape(server: http.Server, path = "/metrics") {
  if (!server.listening) await new Promise((resolve) => server.once("listening", resolve));
  return fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`);
}

describe("Prometheus metrics (issue 18, ADR 0036)", () => {
  it("serves requests by route id, staff queues, certificates by status and job runs in the text format", async () => {
    const db: DB = await createTestDb();
    cleanup.push(() => db.destroy());
    await db.insertInto("email_outbox").values({ to_address: "someone@example.test", subject: "Hello", body_text: "secret body", created_at: NOW.toISOString(), sent_at: null, last_error: null }).execute();

    const observe = httpMetrics();
    observe({ route: "routes/login", method: "POST", status: 303, seconds: 0.012 });
    observe({ route: "routes/login", method: "POST", status: 303, seconds: 0.3 });
    observe({ route: "/verify/:id", method: "GET", status: 200, seconds: 0.002 });
    const primary = primaryMetrics({ db: () => db, now: () => NOW });
    primary.job("email", 0.05, false);
    primary.job("housekeeping", 1.2, true);

    const server = serveMetrics({ host: "127.0.0.1", port: 0, primary, clustered: false });
    cleanup.push(() => server.close());
    const response = await scrape(server);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const samples = parseExposition(text);

    expect(samples.get('academy_http_requests_total{route="routes/login",method="POST",status="303"}')).toBe(2);
    expect(samples.get('academy_http_requests_total{route="/verify/:id",method="GET",status="200"}')).toBe(1);
    expect(samples.get('academy_http_request_duration_seconds_bucket{le="0.025",route="routes/login",method="POST"}')).toBe(1);
    expect(samples.get('academy_http_request_duration_seconds_count{route="routes/login",method="POST"}')).toBe(2);
    for (const queue of ["evidence", "dbs", "marking", "moderation", "disputed"]) expect(samples.get(`academy_queue_size{queue="${queue}"}`), queue).toBe(0);
    expect(samples.get('academy_queue_size{queue="outbox"}')).toBe(1);
    for (const status of ["valid", "expired", "suspended", "revoked", "superseded"]) expect(samples.get(`academy_certificates{status="${status}"}`), status).toBe(0);
    expect(samples.get('academy_job_duration_seconds_count{job="email"}')).toBe(1);
    expect(samples.get('academy_job_failures_total{job="email"}')).toBe(0);
    expect(samples.get('academy_job_failures_total{job="housekeeping"}')).toBe(1);
    expect(samples.has("process_cpu_user_seconds_total")).toBe(true);
    // No personal data: the outbox is counted, never read.
    expect(text).not.toContain("someone@example.test");

    expect((await scrape(server, "/")).status).toBe(404);
  });
});
