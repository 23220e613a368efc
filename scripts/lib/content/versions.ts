/**
 * Human version labels ("2026.1") for modules and the agreement (content/README.md, "Versions").
 *
 * Each content folder keeps a committed `versions.json`: every label with the content hash it
 * names. When the hash of a module is not in its record, the module has changed: the build gives
 * it the next label and writes both the record and the frontmatter's `versionLabel`. A label is
 * fixed once it is on `main` (the record at the merge base of HEAD and main); while a branch
 * edits a module, its one new label follows the latest edit instead of a new label per build.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { VERSION_LABEL } from "../../../app/content/types";

export interface VersionEntry {
  label: string;
  contentHash: string;
}

export interface VersionRecord {
  versions: VersionEntry[];
}

export interface LabelDecision {
  label: string;
  record: VersionRecord;
  /** The record gained or changed an entry. */
  recordChanged: boolean;
}

function compareLabels(a: string, b: string): number {
  const [ay, an] = a.split(".").map(Number) as [number, number];
  const [by, bn] = b.split(".").map(Number) as [number, number];
  return ay - by || an - bn;
}

/** The label after `previous`: the next number in the same year, or ".1" of a later year. */
export function nextLabel(previous: string | null, year: number): string {
  if (previous === null) return `${year}.1`;
  const [y, n] = previous.split(".").map(Number) as [number, number];
  return year > y ? `${year}.1` : `${y}.${n + 1}`;
}

/**
 * The label for `contentHash`. Pure: `frozen` is the record as published on main, `current` the
 * record in the working tree, `authored` the label in the frontmatter (used for a module's first
 * version only), `year` the current year.
 */
export function decideLabel(input: { contentHash: string; current: VersionRecord; frozen: VersionRecord; authored: string | null; year: number }): LabelDecision {
  const known = input.current.versions.find((v) => v.contentHash === input.contentHash);
  if (known) return { label: known.label, record: input.current, recordChanged: false };
  const frozenLabels = new Set(input.frozen.versions.map((v) => v.label));
  // Drafts (labels not yet on main) give way to this newer edit.
  const kept = input.current.versions.filter((v) => frozenLabels.has(v.label));
  const latest = [...kept].sort((a, b) => compareLabels(a.label, b.label)).at(-1)?.label ?? null;
  const label = latest === null && input.authored !== null && VERSION_LABEL.test(input.authored) ? input.authored : nextLabel(latest, input.year);
  return { label, record: { versions: [...kept, { label, contentHash: input.contentHash }] }, recordChanged: true };
}

export function readRecord(file: string): VersionRecord {
  if (!fs.existsSync(file)) return { versions: [] };
  const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as VersionRecord;
  return { versions: Array.isArray(parsed.versions) ? parsed.versions : [] };
}

export function formatRecord(record: VersionRecord): string {
  const lines = record.versions.map((v) => `    ${JSON.stringify({ label: v.label, contentHash: v.contentHash })}`);
  return `{\n  "versions": [\n${lines.join(",\n")}\n  ]\n}\n`;
}

/**
 * The record as published: at the merge base of HEAD and `main` (HEAD itself on main). Outside a
 * git checkout, or when the file is new there, the working tree's record counts as published.
 */
export function publishedRecord(file: string): VersionRecord {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: path.dirname(file), stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
  try {
    const top = git("rev-parse", "--show-toplevel");
    let base: string;
    try {
      base = git("merge-base", "HEAD", "main");
    } catch {
      base = git("rev-parse", "HEAD");
    }
    const relative = path.relative(top, path.resolve(file)).split(path.sep).join("/");
    return JSON.parse(git("show", `${base}:${relative}`)) as VersionRecord;
  } catch {
    return readRecord(file);
  }
}

/** Sets the frontmatter's `versionLabel` line, or adds it as the last line of the frontmatter. */
export function withLabel(source: string, label: string): string {
  const match = /^---\r?\n[\s\S]*?\r?\n---\r?\n/.exec(source);
  if (!match) return source;
  const line = `versionLabel: "${label}"`;
  const head = /^versionLabel:.*$/m.test(match[0]) ? match[0].replace(/^versionLabel:.*$/m, line) : match[0].replace(/\r?\n---\r?\n$/, `\n${line}\n---\n`);
  return head + source.slice(match[0].length);
}

/** write: update versions.json and the frontmatter; check: fail when they are stale; memory: label without touching files. */
export type LabelMode = "write" | "check" | "memory";

export interface LabelOutcome {
  label: string;
  history: Record<string, string>;
  /** Set in check mode when the committed files are stale. */
  error: string | null;
  /** What was written (write mode), for the build's log. */
  wrote: string[];
}

/** Labels one module (or the agreement) whose source is `file`, with its record beside it. */
export function applyLabel(input: { file: string; source: string; contentHash: string; authored: string | null; mode: LabelMode; year: number }): LabelOutcome {
  const recordFile = path.join(path.dirname(input.file), "versions.json");
  const current = readRecord(recordFile);
  const frozen = input.mode === "memory" ? current : publishedRecord(recordFile);
  const decision = decideLabel({ contentHash: input.contentHash, current, frozen, authored: input.authored, year: input.year });
  const history = Object.fromEntries(decision.record.versions.map((v) => [v.contentHash, v.label]));
  // A missing label on a recorded version is fine (the record names it); a new version, or a
  // label that disagrees with the record, is written back.
  const labelStale = decision.recordChanged ? input.authored !== decision.label : input.authored !== null && input.authored !== decision.label;
  const stale = decision.recordChanged || labelStale;
  const wrote: string[] = [];
  if (stale && input.mode === "check") {
    const why = decision.recordChanged ? `its content changed, so it is now version "${decision.label}"` : `its versionLabel should be "${decision.label}"`;
    return { label: decision.label, history, error: `${input.file}:1:1: ${why}: run \`npm run content:build\` and commit ${path.basename(recordFile)} and the file`, wrote };
  }
  if (stale && input.mode === "write") {
    if (decision.recordChanged) {
      fs.writeFileSync(recordFile, formatRecord(decision.record));
      wrote.push(recordFile);
    }
    if (labelStale) {
      fs.writeFileSync(input.file, withLabel(input.source, decision.label));
      wrote.push(input.file);
    }
  }
  return { label: decision.label, history, error: null, wrote };
}
