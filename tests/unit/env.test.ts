import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { InvalidEnvironmentError, readEnv } from "~/utils/env.server";

function refusal(source: Record<string, string>): string {
  try {
    readEnv(source);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidEnvironmentError);
    return (error as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(source)}`);
}

describe("environment", () => {
  it("has a working default for every setting", () => {
    const env = readEnv({});
    expect(env).toMatchObject({
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: 3000,
      DATABASE_PATH: "data/academy.sqlite",
      EVIDENCE_DIR: "data/evidence",
      PUBLIC_BASE_URL: "http://localhost:3000",
      secureCookies: false,
      TRUST_PROXY: 0,
      VERIFY_RATE_LIMIT_PER_MINUTE: 60,
      ACADEMY_WORKERS: 1,
      CONTENT_BUILD_DIR: "content/.generated",
      ATA_TEST_CLOCK: "0",
    });
    expect(env.WEB_CONCURRENCY).toBeUndefined();
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it("takes a PostgreSQL address in DATABASE_URL", () => {
    expect(readEnv({ DATABASE_URL: "postgres://academy@127.0.0.1:5432/academy", DATABASE_POOL_SIZE: "4" })).toMatchObject({
      DATABASE_URL: "postgres://academy@127.0.0.1:5432/academy",
      DATABASE_POOL_SIZE: 4,
    });
  });

  it("reads numbers and treats an empty value as unset", () => {
    const env = readEnv({ VERIFY_RATE_LIMIT_PER_MINUTE: "5", WEB_CONCURRENCY: "2", ACADEMY_WORKERS: "2", PORT: " ", PUBLIC_BASE_URL: "https://academy.example.org/" });
    expect(env).toMatchObject({ VERIFY_RATE_LIMIT_PER_MINUTE: 5, WEB_CONCURRENCY: 2, ACADEMY_WORKERS: 2, PORT: 3000, PUBLIC_BASE_URL: "https://academy.example.org", secureCookies: true });
  });

  it("refuses a non-numeric VERIFY_RATE_LIMIT_PER_MINUTE in one line that names it (it used to disable the limit)", () => {
    const message = refusal({ VERIFY_RATE_LIMIT_PER_MINUTE: "lots" });
    expect(message).toMatch(/^Invalid setting: VERIFY_RATE_LIMIT_PER_MINUTE must be a whole number/);
    expect(message).not.toContain("\n");
  });

  it.each([
    ["VERIFY_RATE_LIMIT_PER_MINUTE", "0"],
    ["VERIFY_RATE_LIMIT_PER_MINUTE", "1.5"],
    ["WEB_CONCURRENCY", "many"],
    ["WEB_CONCURRENCY", "0"],
    ["ACADEMY_WORKERS", "-1"],
    ["PORT", "70000"],
    ["SMTP_PORT", "smtp"],
    ["ATA_TEST_CLOCK", "yes"],
    ["TRUST_PROXY", "true"],
    ["NODE_ENV", "staging"],
    ["PUBLIC_BASE_URL", "academy.example.org"],
    ["PUBLIC_BASE_URL", "ftp://academy.example.org"],
    ["DATABASE_URL", "mysql://db.example.org/academy"],
    ["DATABASE_POOL_SIZE", "0"],
    // Issue 18: the logging and metrics settings are validated with the rest (ADR 0036).
    ["LOG_LEVEL", "verbose"],
    ["LOG_FORMAT", "xml"],
    ["SHUTDOWN_TIMEOUT_SECONDS", "0"],
    ["METRICS_PORT", "metrics"],
  ])("refuses %s=%s, naming it", (name, value) => {
    const message = refusal({ [name]: value });
    expect(message).toContain(name);
    expect(message).not.toContain("\n");
  });

  it("logs at info by default and takes LOG_LEVEL, LOG_FORMAT and METRICS_PORT (issue 18)", () => {
    expect(readEnv({})).toMatchObject({ LOG_LEVEL: "info", SHUTDOWN_TIMEOUT_SECONDS: 20, METRICS_HOST: "127.0.0.1" });
    expect(readEnv({}).METRICS_PORT).toBeUndefined();
    expect(readEnv({ LOG_LEVEL: "debug", LOG_FORMAT: "pretty", METRICS_PORT: "9464" })).toMatchObject({ LOG_LEVEL: "debug", LOG_FORMAT: "pretty", METRICS_PORT: 9464 });
  });

  it("names every bad setting at once", () => {
    const message = refusal({ PORT: "x", VERIFY_RATE_LIMIT_PER_MINUTE: "y" });
    expect(message).toContain("PORT");
    expect(message).toContain("VERIFY_RATE_LIMIT_PER_MINUTE");
  });

  it("`npm start` with a bad setting stops at once with one line naming it, and exit code 1", () => {
    const started = spawnSync(path.resolve("node_modules/.bin/tsx"), ["scripts/start.ts"], {
      env: { ...process.env, VERIFY_RATE_LIMIT_PER_MINUTE: "lots", DATABASE_PATH: path.resolve("tests/.tmp/env-test-never-created.sqlite") },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(started.status).toBe(1);
    expect(started.stdout).toBe("");
    const lines = started.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Invalid setting: VERIFY_RATE_LIMIT_PER_MINUTE must be a whole number from 1 to 1000000000\. See \.env\.example\.$/);
  }, 60_000);
});
