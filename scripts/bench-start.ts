/**
 * `npm run bench:start`: how long the production server takes to start and how much memory its
 * process group holds, idle and after a short load (issue 18). Starts `npm start`'s command (or
 * BENCH_START_COMMAND, e.g. "node_modules/.bin/tsx scripts/start.ts" to compare with the
 * TypeScript loader) on a fresh SQLite database and port 3990, measures from spawn to the
 * "is listening on" line, then sums the resident memory (RSS) of every process in its group.
 */
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import autocannon from "autocannon";

const command = (process.env.BENCH_START_COMMAND ?? "node --enable-source-maps build/server/start.js").split(" ");
const port = Number(process.env.BENCH_START_PORT ?? 3990);
const database = `tests/.tmp/bench-start-${port}.sqlite`;
for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(database + suffix, { force: true });
fs.mkdirSync("tests/.tmp", { recursive: true });

function groupRssMb(pgid: number): { total: number; processes: number[] } {
  const out = execFileSync("ps", ["-o", "rss=", "-g", String(pgid)], { encoding: "utf8" });
  const processes = out.split("\n").map((l) => Number(l.trim())).filter((n) => n > 0).map((kb) => Math.round(kb / 1024));
  return { total: processes.reduce((a, b) => a + b, 0), processes };
}

const started = performance.now();
const child = spawn(command[0]!, command.slice(1), {
  detached: true,
  stdio: ["ignore", "pipe", "pipe"],
  env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", DATABASE_PATH: database, EVIDENCE_DIR: `tests/.tmp/bench-start-evidence-${port}`, LOG_LEVEL: "info" },
});
let output = "";
await new Promise<void>((resolve, reject) => {
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.includes("is listening on")) resolve();
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);
  child.on("exit", (code) => reject(new Error(`The server stopped (${code}):\n${output}`)));
});
const startMs = performance.now() - started;
// Every worker has started once the port answers; give them a moment to settle.
await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
await new Promise((r) => setTimeout(r, 3000));
const idle = groupRssMb(child.pid!);
const result = await autocannon({ url: `http://127.0.0.1:${port}/privacy`, connections: 10, duration: Number(process.env.BENCH_SECONDS ?? 15) });
const loaded = groupRssMb(child.pid!);
process.kill(-child.pid!, "SIGTERM");
console.log(`Command: ${command.join(" ")}`);
console.log(`Start-up (spawn to listening, including migrations on a fresh database): ${Math.round(startMs)} ms`);
console.log(`RSS idle: ${idle.total} MB (${idle.processes.join(" + ")})`);
console.log(`RSS after ${result.duration} s of /privacy at 10 connections (${Math.round(result.requests.average)} req/s, ${result.non2xx} non-2xx): ${loaded.total} MB (${loaded.processes.join(" + ")})`);
