import { spawn, type ChildProcess } from "node:child_process";
import { expect } from "@playwright/test";
import { databaseEnv, e2eDatabaseConfig, resetDatabase } from "./database";

/**
 * A server of the test's own, on a fresh database and another port, for what the shared e2e
 * server must not have (an empty database, a low rate limit). Its own process group, so the
 * whole tree (tsx and node) stops with it. `database` lets two servers share one database
 * (several app nodes); by default each gets a fresh one named after it. `script` replaces
 * scripts/start.ts with a script that seeds before starting it.
 */
export async function startOwnServer(name: string, portOffset: number, env: Record<string, string> = {}, options: { database?: ReturnType<typeof e2eDatabaseConfig>; script?: string } = {}) {
  const port = Number(process.env.E2E_PORT ?? 3210) + portOffset;
  const database = options.database ?? e2eDatabaseConfig(name, port);
  if (!options.database) await resetDatabase(database);
  const child: ChildProcess = spawn("node_modules/.bin/tsx", [options.script ?? "scripts/start.ts"], {
    detached: true,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", ...databaseEnv(database), PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await expect.poll(() => output, { timeout: 60_000 }).toContain("is listening on");
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    database,
    output: () => output,
    stop: () => {
      if (child.pid) process.kill(-child.pid, "SIGTERM");
    },
  };
}
