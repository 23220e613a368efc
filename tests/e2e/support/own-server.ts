import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { expect } from "@playwright/test";

/**
 * A server of the test's own, on a fresh database and another port, for what the shared e2e
 * server must not have (an empty database, a low rate limit). Its own process group, so the
 * whole tree (tsx and node) stops with it.
 */
export async function startOwnServer(name: string, portOffset: number, env: Record<string, string> = {}, script = "scripts/start.ts") {
  const port = Number(process.env.E2E_PORT ?? 3210) + portOffset;
  const database = `tests/.tmp/${name}-${port}.sqlite`;
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${database}${suffix}`, { force: true });
  const child: ChildProcess = spawn("node_modules/.bin/tsx", [script], {
    detached: true,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATABASE_PATH: database, PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await expect.poll(() => output, { timeout: 60_000 }).toContain("is listening on");
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    output: () => output,
    stop: () => {
      if (child.pid) process.kill(-child.pid, "SIGTERM");
    },
  };
}
