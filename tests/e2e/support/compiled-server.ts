import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** The production server as `npm start` runs it: plain node on the compiled output (ADR 0035). */
export const COMPILED_SERVER = ["--enable-source-maps", "build/server/start.js"];

/**
 * Runs the compiled server as a child of this (seeding) script and stays in front of it: its
 * output goes to this process's stdout/stderr and, when E2E_SERVER_LOG is set, into that file
 * too (for tests that prove what never reaches the logs); SIGTERM/SIGINT are passed on, and this
 * process exits with the server's exit code.
 */
export function runCompiledServer(): void {
  const log = process.env.E2E_SERVER_LOG;
  if (log) {
    fs.mkdirSync(path.dirname(log), { recursive: true });
    fs.writeFileSync(log, "");
  }
  const child = spawn(process.execPath, COMPILED_SERVER, { stdio: ["ignore", "pipe", "pipe"], env: process.env });
  for (const [from, to] of [
    [child.stdout!, process.stdout],
    [child.stderr!, process.stderr],
  ] as const) {
    from.on("data", (chunk: Buffer) => {
      if (log) fs.appendFileSync(log, chunk);
      to.write(chunk);
    });
  }
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
