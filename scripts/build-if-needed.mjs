// `npm start`, first step (plain JavaScript, so it runs before anything is compiled): build when
// there is no build yet or a source is newer than it, then `node build/server/start.js` serves.
// A fresh clone therefore starts with `npm install && npm start`, as the README says.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** Written last by `npm run build` (scripts/build-server.ts). */
const BUILD_ENTRY = path.resolve("build/server/start.js");
const SOURCES = ["app", "content", "db", "scripts", "remix.config.js", "package.json", "tsconfig.json"];

function newestMtime(target) {
  if (!fs.existsSync(target)) return 0;
  const stat = fs.statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target)) {
    if (entry === "node_modules" || entry.startsWith(".")) continue;
    newest = Math.max(newest, newestMtime(path.join(target, entry)));
  }
  return newest;
}

const built = fs.existsSync(BUILD_ENTRY) ? fs.statSync(BUILD_ENTRY).mtimeMs : 0;
const sources = Math.max(...SOURCES.map(newestMtime));
if (built === 0 || built < sources) {
  console.log(built === 0 ? "No build found: building the site…" : "Sources changed since the last build: rebuilding…");
  const result = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
  if (result.status !== 0) {
    console.error("The build failed; see the messages above.");
    process.exit(result.status ?? 1);
  }
}
