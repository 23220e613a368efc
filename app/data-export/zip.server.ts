/**
 * Writes a data export as a ZIP streamed to a file (fflate's streaming `Zip`): each part is
 * compressed (JSON) or stored (evidence files and PDFs, which are compressed already) and written
 * out before the next is read, so the archive is never held whole in memory (ADR 0033).
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import { Zip, ZipDeflate, ZipPassThrough } from "fflate";
import type { ExportPart, ExportSubject } from "./contents.server";

export const MANIFEST_FORMAT = "approved-trainer-academy/data-export";
export const MANIFEST_VERSION = 1;

export interface ManifestEntry {
  path: string;
  description: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  version: number;
  generatedAt: string;
  subject: ExportSubject;
  /** Who asked for it: the trainer, or an admin answering a subject access request. */
  requestedBy: { name: string; role: string; reason: string | null; at: string };
  parts: ManifestEntry[];
  notIncluded: string[];
}

const MEDIA_TYPES: Record<string, string> = { json: "application/json", pdf: "application/pdf", png: "image/png", jpg: "image/jpeg" };
const mediaTypeOf = (path: string) => MEDIA_TYPES[path.split(".").pop() ?? ""] ?? "application/octet-stream";

export const NOT_INCLUDED = [
  "Your password and sign-in sessions (only hashes are kept; they are of no use to you).",
  "The assessment answer key: which options are correct and the explanations (the question bank is reused).",
  "Report marks that have not been released to you, and the assessors' marking key.",
  "Staff notes on concerns, what the person who raised a concern wrote, and who raised it unless the academy's policy shares that.",
  "Other people's email addresses.",
];

/**
 * Streams `parts` and then `manifest.json` into a ZIP at `file` (created, mode 0600). `readEvidence`
 * returns a stored file's bytes (one file in memory at a time). Returns the ZIP's size and SHA-256.
 */
export async function writeExportZip(
  file: string,
  input: { subject: ExportSubject; parts: ExportPart[]; requestedBy: Manifest["requestedBy"]; generatedAt: Date },
  readEvidence: (storageName: string) => Promise<Uint8Array | null>,
): Promise<{ sizeBytes: number; sha256: string; manifest: Manifest }> {
  const out = fs.createWriteStream(file, { flags: "wx", mode: 0o600 });
  const zipHash = createHash("sha256");
  let sizeBytes = 0;
  let failure: Error | null = null;
  const closed = new Promise<void>((resolve, reject) => {
    out.on("close", resolve);
    out.on("error", reject);
  });
  const zip = new Zip((error, chunk, final) => {
    if (error) {
      failure = error;
      return;
    }
    zipHash.update(chunk);
    sizeBytes += chunk.byteLength;
    out.write(chunk);
    if (final) out.end();
  });
  const drained = () => (out.writableNeedDrain ? new Promise<void>((resolve) => out.once("drain", () => resolve())) : Promise.resolve());
  const mtime = input.generatedAt;
  const entries: ManifestEntry[] = [];
  const add = async (path: string, bytes: Uint8Array, compress: boolean) => {
    const entry = compress ? new ZipDeflate(path, { level: 6 }) : new ZipPassThrough(path);
    entry.mtime = mtime;
    zip.add(entry);
    entry.push(bytes, true);
    await drained();
    return { sizeBytes: bytes.byteLength, sha256: createHash("sha256").update(bytes).digest("hex") };
  };
  try {
    for (const part of input.parts) {
      let bytes: Uint8Array | null;
      if (part.kind === "json") bytes = new TextEncoder().encode(`${JSON.stringify(part.value, null, 2)}\n`);
      else if (part.kind === "bytes") bytes = part.bytes;
      else bytes = await readEvidence(part.storageName);
      if (bytes === null) throw new Error(`A stored file of this export is missing (${part.path})`);
      const written = await add(part.path, bytes, part.kind === "json" || part.path.endsWith(".json"));
      entries.push({ path: part.path, description: part.description, mediaType: mediaTypeOf(part.path), ...written });
    }
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      version: MANIFEST_VERSION,
      generatedAt: input.generatedAt.toISOString(),
      subject: input.subject,
      requestedBy: input.requestedBy,
      parts: entries,
      notIncluded: NOT_INCLUDED,
    };
    await add("manifest.json", new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`), true);
    zip.end();
    await closed;
    if (failure) throw failure;
    return { sizeBytes, sha256: zipHash.digest("hex"), manifest };
  } catch (error) {
    zip.terminate();
    out.destroy();
    await closed.catch(() => undefined);
    await fs.promises.rm(file, { force: true });
    throw error;
  }
}
