import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getCurrentAgreement } from "~/agreement/agreement.server";
import { listModules } from "~/content/catalog.server";
import { contentHashOf } from "../../scripts/lib/content/parse";
import { applyLabel, decideLabel, formatRecord, nextLabel, readRecord, withLabel } from "../../scripts/lib/content/versions";

const source = (label: string | null, body = "Body text.") => `---\ntitle: A module\nversionNotes: Notes.\n${label ? `versionLabel: "${label}"\n` : ""}---\n\n## Section\n\n${body}\n`;

describe("version labels", () => {
  it("the content hash does not depend on the label", () => {
    expect(contentHashOf(source("2026.1"))).toBe(contentHashOf(source("2026.7")));
    expect(contentHashOf(source("2026.1"))).toBe(contentHashOf(source(null)));
    expect(contentHashOf(source("2026.1"))).not.toBe(contentHashOf(source("2026.1", "Changed text.")));
    // A versionLabel line in the body is text like any other.
    expect(contentHashOf(source(null, "versionLabel: x"))).not.toBe(contentHashOf(source(null, "versionLabel: y")));
  });

  it("counts versions within a year and starts again at .1 in a new year", () => {
    expect(nextLabel(null, 2026)).toBe("2026.1");
    expect(nextLabel("2026.1", 2026)).toBe("2026.2");
    expect(nextLabel("2026.9", 2026)).toBe("2026.10");
    expect(nextLabel("2026.3", 2027)).toBe("2027.1");
  });

  it("keeps a recorded version's label, and gives a changed module the next label", () => {
    const published = { versions: [{ label: "2026.1", contentHash: "a" }] };
    expect(decideLabel({ contentHash: "a", current: published, frozen: published, authored: "2026.1", year: 2026 })).toEqual({ label: "2026.1", record: published, recordChanged: false });
    const bumped = decideLabel({ contentHash: "b", current: published, frozen: published, authored: "2026.1", year: 2026 });
    expect(bumped.label).toBe("2026.2");
    expect(bumped.record.versions).toEqual([...published.versions, { label: "2026.2", contentHash: "b" }]);
  });

  it("while a branch edits a module, its one unpublished label follows the latest edit", () => {
    const published = { versions: [{ label: "2026.1", contentHash: "a" }] };
    const draft = { versions: [...published.versions, { label: "2026.2", contentHash: "b" }] };
    const again = decideLabel({ contentHash: "c", current: draft, frozen: published, authored: "2026.2", year: 2026 });
    expect(again.label).toBe("2026.2");
    expect(again.record.versions).toEqual([...published.versions, { label: "2026.2", contentHash: "c" }]);
    // Once 2026.2 is on main, the next change is 2026.3.
    expect(decideLabel({ contentHash: "d", current: draft, frozen: draft, authored: "2026.2", year: 2026 }).label).toBe("2026.3");
  });

  it("a module's first version takes the authored label, or the year's first", () => {
    const none = { versions: [] };
    expect(decideLabel({ contentHash: "a", current: none, frozen: none, authored: "2025.4", year: 2026 }).label).toBe("2025.4");
    expect(decideLabel({ contentHash: "a", current: none, frozen: none, authored: null, year: 2026 }).label).toBe("2026.1");
  });

  it("writes the label into the frontmatter, replacing or adding the line", () => {
    expect(withLabel(source("2026.1"), "2026.2")).toBe(source("2026.2"));
    expect(withLabel(source(null), "2026.1")).toBe(source("2026.1"));
  });

  it("write mode updates versions.json and the file; check mode refuses stale files; memory mode touches nothing", () => {
    const dir = path.resolve("tests/.tmp/versions-unit");
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, "index.mdx");
    const record = path.join(dir, "versions.json");
    fs.writeFileSync(record, formatRecord({ versions: [{ label: "2026.1", contentHash: contentHashOf(source("2026.1")) }] }));
    const changed = source("2026.1", "New text.");
    fs.writeFileSync(file, changed);
    const hash = contentHashOf(changed);

    const memory = applyLabel({ file, source: changed, contentHash: hash, authored: "2026.1", mode: "memory", year: 2026 });
    expect(memory).toMatchObject({ label: "2026.2", error: null, wrote: [] });
    expect(fs.readFileSync(file, "utf8")).toBe(changed);

    const check = applyLabel({ file, source: changed, contentHash: hash, authored: "2026.1", mode: "check", year: 2026 });
    expect(check.error).toMatch(/index\.mdx:1:1: its content changed, so it is now version "2026\.2": run `npm run content:build` and commit versions\.json/);

    const write = applyLabel({ file, source: changed, contentHash: hash, authored: "2026.1", mode: "write", year: 2026 });
    expect(write.wrote).toEqual([record, file]);
    expect(fs.readFileSync(file, "utf8")).toBe(source("2026.2", "New text."));
    expect(readRecord(record).versions.map((v) => v.label)).toEqual(["2026.1", "2026.2"]);
    expect(write.history[hash]).toBe("2026.2");

    // Now consistent: nothing more to write, and check mode passes.
    const after = fs.readFileSync(file, "utf8");
    expect(applyLabel({ file, source: after, contentHash: contentHashOf(after), authored: "2026.2", mode: "check", year: 2026 })).toMatchObject({ error: null, wrote: [] });
  });

  it("every built module and the agreement carry a label recorded for their hash", () => {
    for (const m of listModules()) {
      expect(m.versionLabel).toMatch(/^\d{4}\.\d+$/);
      expect(m.versionHistory[m.contentHash]).toBe(m.versionLabel);
    }
    const agreement = getCurrentAgreement()!;
    expect(agreement.versionHistory[agreement.version]).toBe(agreement.versionLabel);
  });
});
