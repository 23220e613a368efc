import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * ADR 0018: the domains below record facts; only `app/approval/` (and routes, jobs) reacts across
 * domains by issuing certificates. A domain that imports certificates or approval again would bring
 * back the `agreement ↔ certificates` cycle and a trigger that issues on its own.
 */
const DOMAINS = ["evidence", "assessment", "agreement", "marking", "learning", "concerns", "supervision", "erasure"];
const UPWARD = /from\s+["']~\/(certificates|approval)\//;

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

describe("domain boundaries", () => {
  it("the fact-recording domains import neither certificates nor the approval seam", () => {
    const offenders = DOMAINS.flatMap((domain) => sources(path.join("app", domain)))
      .flatMap((file) => fs.readFileSync(file, "utf8").split("\n").map((line, i) => ({ file, line: i + 1, text: line })))
      .filter(({ text }) => UPWARD.test(text))
      .map(({ file, line, text }) => `${file}:${line}: ${text.trim()}`);
    expect(offenders).toEqual([]);
  });

  it("the public register reads the live status through its SQL form only, and never imports the approval seam (ADR 0029)", () => {
    const imports = sources(path.join("app", "register"))
      .flatMap((file) => fs.readFileSync(file, "utf8").split("\n").map((line, i) => ({ file, line: i + 1, text: line })))
      .filter(({ text }) => UPWARD.test(text))
      .map(({ file, line, text }) => `${file}:${line}: ${text.trim()}`);
    expect(imports.filter((line) => !/from\s+["']~\/certificates\/status-sql\.server["']/.test(line))).toEqual([]);
    expect(imports.length).toBeGreaterThan(0);
  });

  it("reports read the live status through its SQL form, its stored form and pure rule only, never the approval seam (ADR 0038)", () => {
    const imports = sources(path.join("app", "reports"))
      .flatMap((file) => fs.readFileSync(file, "utf8").split("\n").map((line, i) => ({ file, line: i + 1, text: line })))
      .filter(({ text }) => UPWARD.test(text))
      .map(({ file, line, text }) => `${file}:${line}: ${text.trim()}`);
    expect(imports.filter((line) => !/from\s+["']~\/certificates\/(status-sql\.server|stored-status\.server|status)["']/.test(line))).toEqual([]);
    expect(imports.length).toBeGreaterThan(0);
  });

  it("only the approval seam and the reconciliation job call the issuing rule", () => {
    const callers = sources("app")
      .filter((file) => !file.startsWith(path.join("app", "certificates")))
      .filter((file) => /issueCertificateIfEligible/.test(fs.readFileSync(file, "utf8")));
    expect(callers).toEqual([path.join("app", "approval", "approval.server.ts")]);
  });
});
