import fs from "node:fs";
import path from "node:path";
import { getEnv } from "~/utils/env.server";

/** Written by scripts/build-islands.ts (`npm run build`). */
const MANIFEST = path.resolve("build/islands.json");
let manifest: Readonly<Record<string, string>> | null | undefined;

function read(): Readonly<Record<string, string>> | null {
  try {
    return JSON.parse(fs.readFileSync(MANIFEST, "utf8")) as Record<string, string>;
  } catch {
    return null;
  }
}

/**
 * The built page islands, name → script URL (ADR 0047): read once in production, on every
 * document in development (the watcher rebuilds them). Null when they are not built.
 */
export function islandScripts(): Readonly<Record<string, string>> | null {
  if (getEnv().NODE_ENV === "development") return read();
  if (manifest === undefined) manifest = read();
  return manifest;
}
