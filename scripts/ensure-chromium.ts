/**
 * Makes sure a Chromium for the end-to-end tests exists. Playwright cannot download its own
 * browsers on these machines, so the tests use Debian's package: installed here when missing
 * and running as root, otherwise a one-line instruction.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";

const chromium = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

if (!fs.existsSync(chromium)) {
  if (process.getuid?.() !== 0) {
    console.error(`Chromium not found at ${chromium}: run "sudo apt-get install -y chromium" (or set CHROMIUM_PATH) and try again.`);
    process.exit(1);
  }
  console.log("Chromium is missing: installing Debian's chromium package…");
  for (const args of [["update", "-qq"], ["install", "-y", "-qq", "chromium"]]) {
    const result = spawnSync("apt-get", args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    if (result.status !== 0) {
      console.error(`apt-get ${args.join(" ")} failed; install Chromium by hand: apt-get install -y chromium`);
      process.exit(1);
    }
  }
}
console.log(execFileSync(chromium, ["--version"], { encoding: "utf8" }).trim());
