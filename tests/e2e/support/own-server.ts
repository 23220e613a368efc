import { spawn, type ChildProcess } from "node:child_process";
import { expect, test } from "@playwright/test";
import { databaseEnv, e2eDatabaseConfig, resetDatabase } from "./database";
import { COMPILED_SERVER } from "./compiled-server";

/**
 * A server of the test's own, on a fresh database and another port, for what the shared e2e
 * server must not have (an empty database, a low rate limit). Its own process group, so the
 * whole tree (a seeding script and node) stops with it. `database` lets two servers share one database
 * (several app nodes); by default each gets a fresh one named after it. The server is the
 * compiled one (`npm run build` first); `script` runs a seeding script before it instead.
 */
export async function startOwnServer(name: string, portOffset: number, env: Record<string, string> = {}, options: { database?: ReturnType<typeof e2eDatabaseConfig>; script?: string } = {}) {
  const port = Number(process.env.E2E_PORT ?? 3210) + portOffset;
  const database = options.database ?? e2eDatabaseConfig(name, port);
  if (!options.database) await resetDatabase(database);
  // The compiled server as `npm start` runs it, or a seeding script (tsx) that starts it after seeding.
  const [command, args] = options.script ? ["node_modules/.bin/tsx", [options.script]] : [process.execPath, COMPILED_SERVER];
  const child: ChildProcess = spawn(command, args, {
    detached: true,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", ...databaseEnv(database), PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await expect.poll(() => output, { timeout: 60_000 }).toContain("is listening on");
  /** The log's lines: each JSON line parsed (ADR 0036), other lines as `{ msg: line }`. */
  const logEntries = (): LogEntry[] =>
    output.split("\n").map((line) => {
      try {
        const entry = JSON.parse(line) as LogEntry;
        return { ...entry, msg: String(entry.msg ?? line) };
      } catch {
        return { msg: line };
      }
    });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    database,
    output: () => output,
    logEntries,
    /** The log's messages, one per line: the `msg` of each JSON line (ADR 0036), other lines as they are. */
    logMessages: () => logEntries().map((entry) => entry.msg),
    /** The exit code of the process started (the server, or the seeding script in front of it). */
    exited,
    /** SIGTERM to the whole process group (as systemd's default KillMode=control-group does). */
    stop: () => {
      if (child.pid) process.kill(-child.pid, "SIGTERM");
    },
    /** SIGKILL to the whole process group: a crash or power cut, with nothing given a chance to finish. */
    kill: () => {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    },
    /** SIGTERM to the process started only (KillMode=mixed): with several processes, the cluster primary. */
    stopFirstProcess: () => {
      if (child.pid) process.kill(child.pid, "SIGTERM");
    },
  };
}

/** One line of a server's log: the JSON fields the tests read (ADR 0036). */
export interface LogEntry {
  msg: string;
  pid?: number;
  worker?: number;
  req?: { id?: string; method?: string; route?: string };
  res?: { status?: number };
}

export type OwnServer = Awaited<ReturnType<typeof startOwnServer>>;

/**
 * The servers a spec starts: push each one here. After each test, whatever is still running is
 * stopped (SIGTERM to its process group) and waited for, so a failed test does not leave its
 * server on the port the next test (or the next run) uses.
 */
export function stopOwnServersAfterEach(): OwnServer[] {
  const started: OwnServer[] = [];
  test.afterEach(async () => {
    for (const server of started.splice(0)) {
      const exited = await Promise.race([server.exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 0))]);
      if (exited) continue;
      try {
        server.stop();
      } catch {
        // It exited in the meantime.
      }
      await server.exited;
    }
  });
  return started;
}

/** Why a request failed: the socket error's code (`ECONNREFUSED` once the port is closed), or its message. */
export function failureKind(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string }; code?: string }).cause;
  return cause?.code ?? cause?.message ?? (error as { code?: string }).code ?? String(error);
}
