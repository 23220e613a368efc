/**
 * Makes sure the end-to-end tests' tools exist: Debian's Chromium (Playwright cannot download
 * its own browsers on these machines), poppler's pdftoppm (to render certificate PDFs) and nginx
 * (the reverse proxy in front of the https test, tests/e2e/https-proxy.spec.ts).
 * Installed with apt-get when missing and running as root; otherwise a one-line instruction.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";

const chromium = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const hasPdftoppm = () => spawnSync("pdftoppm", ["-v"], { stdio: "ignore" }).status === 0;

const missing: string[] = [];
if (!fs.existsSync(chromium)) missing.push("chromium");
if (!hasPdftoppm()) missing.push("poppler-utils");
if (!fs.existsSync(process.env.NGINX_PATH || "/usr/sbin/nginx")) missing.push("nginx");

if (missing.length > 0) {
  if (process.getuid?.() !== 0) {
    console.error(`Missing ${missing.join(" and ")}: run "sudo apt-get install -y ${missing.join(" ")}" (or set CHROMIUM_PATH) and try again.`);
    process.exit(1);
  }
  console.log(`Installing Debian's ${missing.join(" and ")} for the end-to-end tests…`);
  for (const args of [["update", "-qq"], ["install", "-y", "-qq", ...missing]]) {
    const result = spawnSync("apt-get", args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    if (result.status !== 0) {
      console.error(`apt-get ${args.join(" ")} failed; install them by hand: apt-get install -y ${missing.join(" ")}`);
      process.exit(1);
    }
  }
}
console.log(execFileSync(chromium, ["--version"], { encoding: "utf8" }).trim());
