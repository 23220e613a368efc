import pino, { type DestinationStream, type Logger } from "pino";
import { getEnv, type Env } from "./env.server";

/**
 * The server's log (issue 18, ADR 0036): pino, one JSON object per line on stdout, for a log
 * shipper or journald; human-readable lines when LOG_FORMAT is `pretty` (the default when stdout
 * is a terminal, and under `npm run dev`). LOG_LEVEL chooses how much.
 *
 * Redaction is configuration, not care at each call site: any field at these paths is replaced
 * by "[redacted]" before the line is written, wherever in the code it was logged. Request lines
 * carry a route id, never the raw path (which holds reset and invitation tokens, certificate and
 * user ids) or the query, headers or body. Free text (a `msg`) is not inspected: messages name
 * what happened, never the secret values (tests/unit/log.test.ts proves both).
 */
const SECRET_KEYS = [
  "password",
  "newPassword",
  "currentPassword",
  "passwordHash",
  "password_hash",
  "token",
  "secret",
  "totpSecret",
  "totp_secret",
  "totp",
  "recoveryCode",
  "recoveryCodes",
  "recovery_code",
  "codeHash",
  "code_hash",
  "secretEncrypted",
  "secret_encrypted",
  "pendingSignIn",
  "cookie",
  "authorization",
  "dbsNumber",
  "dbs_number",
  "certificateNumber",
  "certificate_number",
  "body",
  "bodyText",
  "body_text",
  "html",
  "text",
  "secretKeyMultibase",
  "secret_key_multibase",
];

/** Every secret key at the top level, one level down, and under the headers of req/res. */
export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
  "req.headers.cookie",
  "req.headers.authorization",
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  "email.to",
];

export type LogFormat = "json" | "pretty";

/** How `level` numbers read in the pretty format. */
const LEVEL_NAMES: Record<number, string> = { 10: "TRACE", 20: "DEBUG", 30: "INFO ", 40: "WARN ", 50: "ERROR", 60: "FATAL" };

/**
 * A destination that turns pino's JSON lines into `12:34:56 INFO  message key=value …` (and
 * the stack of an error under it), for people reading a terminal.
 */
export function prettyDestination(out: { write(line: string): unknown } = process.stdout): DestinationStream {
  return {
    write(line: string) {
      const { level, time, msg, pid: _pid, hostname: _hostname, err, ...rest } = JSON.parse(line) as Record<string, unknown> & { level: number; time: number; msg?: string; err?: { stack?: string; message?: string } };
      const clock = new Date(time).toISOString().slice(11, 19);
      const extra = Object.entries(rest)
        .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
        .join(" ");
      const stack = err ? `\n${err.stack ?? err.message ?? ""}` : "";
      out.write(`${clock} ${LEVEL_NAMES[level] ?? level} ${msg ?? ""}${extra ? ` ${extra}` : ""}${stack}\n`);
    },
  };
}

/**
 * A logger with the project's settings; `sink` (tests) replaces stdout. `redact: false` is only
 * for the request lines (`requestLineLog`), which are built from fixed fields.
 */
export function createLogger(options: { level: Env["LOG_LEVEL"]; format: LogFormat; sink?: { write(line: string): unknown }; redact?: boolean }): Logger {
  const settings = {
    level: options.level,
    ...(options.redact === false ? {} : { redact: { paths: REDACT_PATHS, censor: "[redacted]" } }),
    base: { pid: process.pid },
    serializers: { err: pino.stdSerializers.err },
  };
  if (options.format === "pretty") return pino(settings, prettyDestination(options.sink));
  return pino(settings, options.sink ? (options.sink as DestinationStream) : pino.destination({ dest: 1, sync: true }));
}

declare global {
  var __academyLogger: Logger | undefined;
  var __academyRequestLineLogger: Logger | undefined;
}

function processLogger(redact: boolean): Logger {
  const env = getEnv();
  const format: LogFormat = env.LOG_FORMAT ?? (env.NODE_ENV === "development" || process.stdout.isTTY ? "pretty" : "json");
  return createLogger({ level: env.LOG_LEVEL, format, redact });
}

/** The process's logger, made on first use from LOG_LEVEL and LOG_FORMAT. */
export function log(): Logger {
  globalThis.__academyLogger ??= processLogger(true);
  return globalThis.__academyLogger;
}

/**
 * The logger of the one-line-per-request log (`requestLog`): the same level, format and output as
 * `log()`, without the redaction pass. A request line is built from fixed fields (request id,
 * method, route id, status, duration), never from the request's path, query, headers or body, so
 * there is nothing to redact; the pass over REDACT_PATHS was about 5% of a small request's CPU in
 * a profile (issue 14). tests/unit/log.test.ts holds the line to exactly those fields.
 */
export function requestLineLog(): Logger {
  globalThis.__academyRequestLineLogger ??= processLogger(false);
  return globalThis.__academyRequestLineLogger;
}
