/** `npm run dev`: `remix watch` and the islands' watcher rebuild on change; the server loads the newest build per request. */
import { spawn } from "node:child_process";

const children = [
  spawn("npx", ["remix", "watch"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "development" } }),
  // The lesson page's island script (ADR 0047), rebuilt on change.
  spawn("npx", ["tsx", "scripts/build-islands.ts", "--watch"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "development" } }),
  spawn("npx", ["tsx", "scripts/start.ts", "--dev"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "development" } }),
];
const stop = () => {
  for (const child of children) child.kill("SIGTERM");
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
