/**
 * `npm run build`, last step: compiles the server and the operator commands to plain JavaScript
 * in build/server/, so production runs `node` without a TypeScript loader (issue 18, ADR 0035).
 * esbuild follows the imports from each entry point, so every module the server uses (new routes'
 * helpers, new domains) is picked up without a list of files; packages stay in node_modules.
 * The Remix build (build/index.js) is made by `remix build` before this and loaded at run time.
 */
import fs from "node:fs";
import { build } from "esbuild";

/** The commands that run in production; each becomes build/server/<name>.js. */
export const SERVER_ENTRY_POINTS = ["start", "jobs", "migrate", "backup", "restore", "rotate-credential-key"];

// Chunk names carry a hash: start from an empty folder so old chunks do not pile up.
fs.rmSync("build/server", { recursive: true, force: true });
await build({
  entryPoints: SERVER_ENTRY_POINTS.map((name) => `scripts/${name}.ts`),
  outdir: "build/server",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: true,
  // Chunks shared by the commands get stable names beside them.
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning",
  tsconfig: "tsconfig.json",
});
console.log(`Compiled the server to build/server/ (${SERVER_ENTRY_POINTS.join(", ")}).`);
