import { isIP } from "node:net";
import { z } from "zod";

/**
 * The environment, validated once at start. Every setting the server reads is here, with an
 * embedded default so `npm start` works on a fresh machine with nothing configured; `.env.example`
 * and the README's configuration table list them. This is the only module in app/ that reads
 * `process.env` (lint enforces it); domains receive what they need as arguments.
 *
 * A bad value stops the server with one line naming the variable: a limit that silently became
 * NaN once disabled the verification rate limit.
 */
const wholeNumber = (min: number, max: number) =>
  z.coerce
    .number({ error: `must be a whole number from ${min} to ${max}` })
    .refine((n) => Number.isInteger(n) && n >= min && n <= max, `must be a whole number from ${min} to ${max}`);

const flag = z.enum(["0", "1"], { error: "must be 0 or 1" });

/** Express's names for address ranges, usable in TRUST_PROXY's list. */
const NAMED_RANGES = new Set(["loopback", "linklocal", "uniquelocal"]);

function isAddressOrRange(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split("/");
  const version = isIP(address ?? "");
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/**
 * Which proxies in front of the server are trusted to say who the client is: a number of hops
 * (0: none, the socket's address is the client; 1: one proxy, the right-most X-Forwarded-For
 * entry is the client), or a comma-separated list of the proxies' addresses or ranges. Either
 * way the client is the right-most address not added by a trusted proxy, so an X-Forwarded-For
 * the client writes itself cannot change it.
 */
const trustProxy = z
  .string()
  .transform((value, ctx): number | string[] => {
    const trimmed = value.trim();
    if (/^\d+$/.test(trimmed)) {
      const hops = Number(trimmed);
      if (hops <= 10) return hops;
    } else {
      const entries = trimmed.split(",").map((e) => e.trim());
      if (entries.every((e) => e !== "" && isAddressOrRange(e))) return entries;
    }
    ctx.addIssue({ code: "custom", message: "must be a number of proxy hops from 0 to 10, or a comma-separated list of proxy addresses (like 10.0.0.2,10.0.0.0/8)" });
    return z.NEVER;
  });

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"], { error: "must be development, production or test" }).default("production"),
  HOST: z.string().default("127.0.0.1"),
  PORT: wholeNumber(1, 65535).default(3000),
  DATABASE_PATH: z.string().default("data/academy.sqlite"),
  /** When set (postgres://user@host:5432/name), PostgreSQL is used instead of the SQLite file (ADR 0011). */
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\/.+/, "must be a postgres:// or postgresql:// URL (leave it unset for SQLite)")
    .optional(),
  /** Connections each server process keeps to PostgreSQL. */
  DATABASE_POOL_SIZE: wholeNumber(1, 100).default(10),
  /** Uploaded evidence (PDF/PNG/JPEG), outside public/, under server-generated names. */
  EVIDENCE_DIR: z.string().default("data/evidence"),
  PUBLIC_BASE_URL: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// address" }).optional(),
  TRUST_PROXY: trustProxy.default(0),
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: wholeNumber(1, 65535).optional(),
  SMTP_USER: z.string().optional(),
  SMTP_PASS: z.string().optional(),
  SMTP_FROM: z.string().default("Approved Trainer Academy <no-reply@academy.invalid>"),
  /** Certificate lookups per IP per minute on the public verification pages (split between processes). */
  VERIFY_RATE_LIMIT_PER_MINUTE: wholeNumber(1, 1_000_000_000).default(60),
  /**
   * Attempts per client address per hour at each account endpoint other than sign-in (sign-up,
   * reset email, reset link, first-administrator link). Per email address or link the limits are
   * fixed and smaller (auth/account-limits.server.ts).
   */
  ACCOUNT_RATE_LIMIT_PER_HOUR: wholeNumber(1, 1_000_000_000).default(20),
  /** Processes serving HTTP; unset means one per core, at most 4. More than 16 is treated as 16. */
  WEB_CONCURRENCY: wholeNumber(1, 1024).optional(),
  /**
   * V8's old-generation limit (MB) for each worker of a cluster (ADR 0052), unless NODE_OPTIONS or
   * the command line gives `--max-old-space-size`. One process alone (WEB_CONCURRENCY=1) runs with
   * what its command line gives.
   */
  HEAP_LIMIT_MB: wholeNumber(128, 65_536).default(512),
  /** Node's own options: read only to see whether the operator gave a heap limit there. */
  NODE_OPTIONS: z.string().optional(),
  /** Set by the primary process on the workers it starts: how many serve HTTP. Not for operators. */
  ACADEMY_WORKERS: wholeNumber(1, 1024).default(1),
  /** Where `npm run content:build` wrote the compiled content. */
  CONTENT_BUILD_DIR: z.string().default("content/.generated"),
  /** How much the server logs (ADR 0036): info is one line per request plus jobs, emails and errors. */
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], { error: "must be fatal, error, warn, info, debug, trace or silent" }).default("info"),
  /** json: one JSON object per line; pretty: for reading in a terminal. Unset: pretty on a terminal and in development, else json. */
  LOG_FORMAT: z.enum(["json", "pretty"], { error: "must be json or pretty" }).optional(),
  /** On SIGTERM, how long requests in flight (and a scheduled-jobs run) may take to finish before their connections are closed. */
  SHUTDOWN_TIMEOUT_SECONDS: wholeNumber(1, 600).default(20),
  /** Serve Prometheus metrics at http://METRICS_HOST:METRICS_PORT/metrics (ADR 0036). Unset: no metrics endpoint. */
  METRICS_PORT: wholeNumber(1, 65535).optional(),
  /** The address the metrics port listens on: keep it private (127.0.0.1 or the monitoring network). */
  METRICS_HOST: z.string().default("127.0.0.1"),
  /** End-to-end tests only: 1 adds the endpoint that moves the server's clock. Never in a real deployment. */
  ATA_TEST_CLOCK: flag.default("0"),
});

export type Env = z.infer<typeof schema> & { PUBLIC_BASE_URL: string; secureCookies: boolean };

/** A setting with a bad value. Its message is one line that names the variable. */
export class InvalidEnvironmentError extends Error {
  override name = "InvalidEnvironmentError";
}

/** Validates `source` (normally `process.env`). Empty values count as unset, so they take the default. */
export function readEnv(source: Record<string, string | undefined>): Env {
  const given = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value.trim() !== ""));
  const parsed = schema.safeParse(given);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`);
    throw new InvalidEnvironmentError(`Invalid setting: ${problems.join("; ")}. See .env.example.`.replace(/\s*\n\s*/g, " "));
  }
  const base = (parsed.data.PUBLIC_BASE_URL ?? `http://localhost:${parsed.data.PORT}`).replace(/\/+$/, "");
  return { ...parsed.data, PUBLIC_BASE_URL: base, secureCookies: base.startsWith("https://") };
}

let cached: Env | undefined;

export function getEnv(): Env {
  cached ??= readEnv(process.env);
  return cached;
}

/**
 * For the command-line entry points (start, jobs, migrate, demo): the environment, or one line on
 * stderr naming the bad setting and exit code 1, instead of a stack trace.
 */
export function getEnvOrExit(): Env {
  try {
    return getEnv();
  } catch (error) {
    if (!(error instanceof InvalidEnvironmentError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

/**
 * `npm start` serves the production build unless `--dev`; React and Remix read NODE_ENV from the
 * environment itself, so it is set here, before anything reads it.
 */
export function setNodeEnv(dev: boolean): void {
  if (dev) process.env.NODE_ENV = "development";
  else process.env.NODE_ENV ??= "production";
}
