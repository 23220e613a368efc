import { execFileSync } from "node:child_process";
import path from "node:path";

/**
 * Unit tests use the real content: build it once with the real pipeline into a temporary
 * folder, so `npm test` works on a fresh clone before any `npm run build`.
 */
export default function setup() {
  const out = path.resolve("tests/.tmp/content-unit");
  execFileSync(path.resolve("node_modules/.bin/tsx"), ["scripts/build-content.ts", "--out", out], { stdio: "pipe" });
  process.env.CONTENT_BUILD_DIR = out;
}
