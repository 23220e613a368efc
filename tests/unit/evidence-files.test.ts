import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  MAX_EVIDENCE_BYTES,
  evidenceDownloadHeaders,
  receiveEvidenceForm,
  removeStaleIncomingFiles,
  sanitiseDisplayName,
  sniffMediaType,
  stageUpload,
} from "~/evidence/files.server";
import { EVIDENCE_PREVIEW_CSP, FRAMEABLE_PATH, STATIC_CSP, securityHeaders } from "~/http/security.server";
import { bytesOfSize, htmlNamedPdf, tinyJpeg, tinyPdf, tinyPng } from "../helpers/evidence";

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ata-evidence-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function filesOnDisk(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
}

async function* chunksOf(buffer: Buffer, size = 64 * 1024) {
  for (let i = 0; i < buffer.length; i += size) yield new Uint8Array(buffer.subarray(i, i + size));
}

function multipartRequest(parts: { name: string; value: string | { filename: string; type: string; body: Buffer } }[]): Request {
  const form = new FormData();
  for (const part of parts) {
    if (typeof part.value === "string") form.append(part.name, part.value);
    else form.append(part.name, new File([new Uint8Array(part.value.body)], part.value.filename, { type: part.value.type }));
  }
  return new Request("http://academy.test/requirements/insurance/new", { method: "POST", body: form });
}

describe("file type by magic bytes", () => {
  it("recognises PDF, PNG and JPEG from their first bytes", () => {
    expect(sniffMediaType(tinyPdf())).toBe("application/pdf");
    expect(sniffMediaType(tinyPng())).toBe("image/png");
    expect(sniffMediaType(tinyJpeg())).toBe("image/jpeg");
  });

  it("refuses HTML, text, empty and truncated headers whatever the file is called", () => {
    expect(sniffMediaType(htmlNamedPdf())).toBeNull();
    expect(sniffMediaType(Buffer.from("PDF-1.4 but no percent sign"))).toBeNull();
    expect(sniffMediaType(Buffer.from(" %PDF-1.4"))).toBeNull();
    expect(sniffMediaType(new Uint8Array(0))).toBeNull();
    expect(sniffMediaType(Buffer.from("89504e47", "hex"))).toBeNull();
    expect(sniffMediaType(Buffer.from("GIF89a"))).toBeNull();
  });
});

describe("display names", () => {
  it("keeps only a safe last segment, never a path", () => {
    expect(sanitiseDisplayName("../../etc/passwd")).toBe("passwd");
    expect(sanitiseDisplayName("C:\\Users\\me\\policy schedule.pdf")).toBe("policy schedule.pdf");
    expect(sanitiseDisplayName('a"b<script>.pdf')).toBe("a_b_script_.pdf");
    expect(sanitiseDisplayName("...hidden")).toBe("hidden");
    expect(sanitiseDisplayName("")).toBe("evidence");
    expect(sanitiseDisplayName("x".repeat(300)).length).toBe(100);
  });
});

describe("staging an upload while it streams", () => {
  it("stores a valid file under a server-generated name with its sniffed type", async () => {
    const result = await stageUpload(chunksOf(tinyPng()), { evidenceDir: dir, clientFileName: "../../evil.pdf" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.file.mediaType).toBe("image/png");
    expect(path.basename(result.file.tempPath)).toMatch(/^[0-9a-f]{32}\.part$/);
    expect(result.file.tempPath.startsWith(path.resolve(dir))).toBe(true);
    expect(result.file.displayName).toBe("evil.pdf");
  });

  it("stops reading as soon as the limit is passed and leaves no file", async () => {
    let pulled = 0;
    const total = 11 * 1024 * 1024;
    async function* endless() {
      const chunk = bytesOfSize(64 * 1024);
      for (let sent = 0; sent < total; sent += chunk.length) {
        pulled += chunk.length;
        yield new Uint8Array(chunk);
      }
    }
    const result = await stageUpload(endless(), { evidenceDir: dir, clientFileName: "big.pdf" });
    expect(result).toEqual({ ok: false, reason: "tooLarge" });
    expect(pulled).toBeLessThanOrEqual(MAX_EVIDENCE_BYTES + 64 * 1024);
    expect(pulled).toBeLessThan(total);
    expect(filesOnDisk(dir)).toEqual([]);
  });

  it("accepts a file of exactly 10 MB", async () => {
    const result = await stageUpload(chunksOf(bytesOfSize(MAX_EVIDENCE_BYTES)), { evidenceDir: dir, clientFileName: "exact.pdf" });
    expect(result.ok).toBe(true);
  });

  it("refuses an empty file and an HTML file named .pdf, leaving no file", async () => {
    expect(await stageUpload(chunksOf(Buffer.alloc(0)), { evidenceDir: dir, clientFileName: "empty.pdf" })).toEqual({ ok: false, reason: "empty" });
    expect(await stageUpload(chunksOf(htmlNamedPdf()), { evidenceDir: dir, clientFileName: "policy.pdf" })).toEqual({ ok: false, reason: "wrongType" });
    expect(filesOnDisk(dir)).toEqual([]);
  });
});

describe("reading an evidence form", () => {
  it("returns the text fields and the staged file", async () => {
    const form = await receiveEvidenceForm(
      multipartRequest([
        { name: "insurer", value: "Example Mutual" },
        { name: "evidence", value: { filename: "schedule.pdf", type: "application/pdf", body: tinyPdf() } },
      ]),
      { evidenceDir: dir, fileFields: ["evidence"] },
    );
    expect(form.fields).toEqual({ insurer: "Example Mutual" });
    expect(form.fileErrors).toEqual({});
    expect(form.files.evidence?.mediaType).toBe("application/pdf");
    expect(filesOnDisk(dir)).toHaveLength(1);
    await form.discard();
    expect(filesOnDisk(dir)).toEqual([]);
  });

  it("an oversized file stops the read and leaves nothing staged, not even earlier files", async () => {
    const form = await receiveEvidenceForm(
      multipartRequest([
        { name: "evidence", value: { filename: "ok.pdf", type: "application/pdf", body: tinyPdf() } },
        { name: "cpdEvidence", value: { filename: "huge.pdf", type: "application/pdf", body: bytesOfSize(11 * 1024 * 1024) } },
      ]),
      { evidenceDir: dir, fileFields: ["evidence", "cpdEvidence"] },
    );
    expect(form.fileErrors.cpdEvidence).toMatch(/larger than 10 MB/);
    expect(filesOnDisk(dir)).toEqual([]);
  });

  it("a streamed body without Content-Length is cut off at the limit, not read whole", async () => {
    const boundary = "----ata-test-boundary";
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="evidence"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n`);
    const total = 30 * 1024 * 1024;
    let pulled = 0;
    let sentHead = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (!sentHead) {
          sentHead = true;
          controller.enqueue(new Uint8Array(Buffer.concat([head, tinyPdf()])));
          return;
        }
        if (pulled >= total) {
          controller.enqueue(new Uint8Array(Buffer.from(`\r\n--${boundary}--\r\n`)));
          controller.close();
          return;
        }
        pulled += 256 * 1024;
        controller.enqueue(new Uint8Array(256 * 1024).fill(0x20));
      },
    });
    const request = new Request("http://academy.test/upload", {
      method: "POST",
      body,
      headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` },
      duplex: "half",
    } as RequestInit);
    const form = await receiveEvidenceForm(request, { evidenceDir: dir, fileFields: ["evidence"] });
    expect(form.fileErrors.evidence).toMatch(/larger than 10 MB/);
    expect(pulled).toBeLessThan(12 * 1024 * 1024);
    expect(filesOnDisk(dir)).toEqual([]);
  });

  it("refuses a declared Content-Length far over the limit without reading the body", async () => {
    const request = new Request("http://academy.test/upload", {
      method: "POST",
      body: "x",
      headers: { "Content-Type": "multipart/form-data; boundary=abc", "Content-Length": String(200 * 1024 * 1024) },
    });
    const form = await receiveEvidenceForm(request, { evidenceDir: dir, fileFields: ["evidence"] });
    expect(form.fileErrors.evidence).toMatch(/larger than 10 MB/);
  });

  it("reports a wrongly typed file and an empty file next to their fields, still reading the other fields", async () => {
    const form = await receiveEvidenceForm(
      multipartRequest([
        { name: "evidence", value: { filename: "policy.pdf", type: "application/pdf", body: htmlNamedPdf() } },
        { name: "cpdEvidence", value: { filename: "cpd.pdf", type: "application/pdf", body: Buffer.alloc(0) } },
        { name: "title", value: "Level 3 Diploma" },
      ]),
      { evidenceDir: dir, fileFields: ["evidence", "cpdEvidence"] },
    );
    expect(form.fileErrors.evidence).toMatch(/not a PDF, PNG or JPEG/);
    expect(form.fileErrors.cpdEvidence).toMatch(/empty/);
    expect(form.fields.title).toBe("Level 3 Diploma");
    expect(filesOnDisk(dir)).toEqual([]);
  });

  it("treats an empty file input (no file chosen) as missing, and ignores unexpected file fields", async () => {
    const form = await receiveEvidenceForm(
      multipartRequest([
        { name: "evidence", value: { filename: "", type: "application/octet-stream", body: Buffer.alloc(0) } },
        { name: "sneaky", value: { filename: "x.pdf", type: "application/pdf", body: tinyPdf() } },
      ]),
      { evidenceDir: dir, fileFields: ["evidence"] },
    );
    expect(form.files).toEqual({});
    expect(form.fileErrors).toEqual({});
    expect(filesOnDisk(dir)).toEqual([]);
  });
});

describe("unfinished uploads", () => {
  it("are removed when more than an hour old", async () => {
    fs.mkdirSync(path.join(dir, ".incoming"), { recursive: true });
    const stale = path.join(dir, ".incoming", "old.part");
    const fresh = path.join(dir, ".incoming", "new.part");
    fs.writeFileSync(stale, "x");
    fs.writeFileSync(fresh, "x");
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    fs.utimesSync(stale, twoHoursAgo, twoHoursAgo);
    expect(await removeStaleIncomingFiles(dir, new Date())).toBe(1);
    expect(filesOnDisk(dir)).toEqual(["new.part"]);
  });
});

describe("download headers", () => {
  it("force a download, forbid sniffing and sandbox the response", () => {
    const headers = evidenceDownloadHeaders({ id: "abc", media_type: "application/pdf", size_bytes: 10, display_name: 'my "policy".html' }, STATIC_CSP);
    expect(headers.get("Content-Disposition")).toMatch(/^attachment; filename="my _policy_\.pdf"/);
    expect(headers.get("X-Content-Type-Options")).toBe("nosniff");
    const accented = evidenceDownloadHeaders({ id: "abc", media_type: "image/png", size_bytes: 10, display_name: "Zoë (scan).png" }, STATIC_CSP);
    expect(accented.get("Content-Disposition")).toBe(`attachment; filename="Zo_ (scan).png"; filename*=UTF-8''Zo%C3%AB%20%28scan%29.png`);
    expect(headers.get("Content-Security-Policy")).toContain("sandbox");
    expect(headers.get("Content-Type")).toBe("application/pdf");
  });
});

describe("preview headers (issue 13 item 12)", () => {
  it("show the file inline, with its sniffed type, never sniffed, sandboxed, framable only by our own pages", () => {
    const headers = evidenceDownloadHeaders({ id: "abc", media_type: "application/pdf", size_bytes: 10, display_name: "policy.pdf" }, EVIDENCE_PREVIEW_CSP, "inline");
    expect(headers.get("Content-Disposition")).toMatch(/^inline; filename="policy\.pdf"/);
    expect(headers.get("Content-Type")).toBe("application/pdf");
    expect(headers.get("X-Content-Type-Options")).toBe("nosniff");
    const csp = headers.get("Content-Security-Policy")!.split("; ");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toContain("sandbox");
    expect(csp).toContain("default-src 'none'");
    // Everything else keeps refusing to be framed at all.
    expect(STATIC_CSP).toContain("frame-ancestors 'none'");
  });

  it("only the preview path may be framed by our pages; every other response says DENY", () => {
    const frameOptions = (path: string) => {
      const set: Record<string, string> = {};
      const res = { locals: {}, setHeader: (k: string, v: string) => (set[k] = v), removeHeader: () => undefined };
      securityHeaders({ hsts: false })({ path } as never, res as never, () => undefined);
      return set["X-Frame-Options"];
    };
    expect(frameOptions("/evidence/AbC_12-x/preview")).toBe("SAMEORIGIN");
    for (const path of ["/evidence/AbC_12-x", "/evidence/a/b/preview", "/evidence//preview", "/assessor/verification/qualification/1", "/evidence/x/preview/more"]) {
      expect(frameOptions(path), path).toBe("DENY");
    }
    expect(FRAMEABLE_PATH.test("/evidence/x/preview")).toBe(true);
  });
});
