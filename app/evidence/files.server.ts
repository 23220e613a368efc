import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import {
  unstable_composeUploadHandlers as composeUploadHandlers,
  unstable_parseMultipartFormData as parseMultipartFormData,
  type UploadHandler,
} from "@remix-run/node";
import type { DB } from "~db/connection";
import { isPostgres } from "~db/dialect";
import type { EvidenceFile, EvidenceMediaType } from "~db/schema";
import { iso } from "~/utils/clock";
import { recordAudit } from "~/audit/audit.server";
import { INVALID_ENCODING } from "~/utils/forms";

import { MAX_EVIDENCE_BYTES, MAX_EVIDENCE_LABEL } from "./kinds";

/** Evidence is at most 10 MB; the limit is enforced while the upload streams in. */
export { MAX_EVIDENCE_BYTES, MAX_EVIDENCE_LABEL };
/** Text fields of an evidence form are small; anything bigger is refused while streaming. */
const MAX_TEXT_FIELD_BYTES = 16 * 1024;
const MAX_PARTS = 40;
const INCOMING_DIR = ".incoming";

export const FILE_MESSAGES = {
  missing: "Choose a file to upload: the certificate or policy document as a PDF, PNG or JPEG.",
  empty: "The file you chose is empty (0 bytes). Choose the real document.",
  tooLarge: `The file is larger than ${MAX_EVIDENCE_LABEL}. Upload a smaller scan or a PDF of at most ${MAX_EVIDENCE_LABEL}.`,
  wrongType: "This file is not a PDF, PNG or JPEG (we check the file's contents, not its name). Upload the document in one of those formats.",
} as const;

export const MEDIA_TYPE_EXTENSIONS: Record<EvidenceMediaType, string> = {
  "application/pdf": "pdf",
  "image/png": "png",
  "image/jpeg": "jpg",
};

const SIGNATURES: { type: EvidenceMediaType; bytes: number[] }[] = [
  { type: "application/pdf", bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { type: "image/png", bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: "image/jpeg", bytes: [0xff, 0xd8, 0xff] },
];
/** How many leading bytes the signatures need. */
export const SNIFF_BYTES = 8;

/** The file's real type from its first bytes (magic numbers); null for anything else. */
export function sniffMediaType(head: Uint8Array): EvidenceMediaType | null {
  for (const signature of SIGNATURES) {
    if (head.length >= signature.bytes.length && signature.bytes.every((byte, i) => head[i] === byte)) return signature.type;
  }
  return null;
}

/**
 * The client's file name, made safe to show and to put in a header: the last path segment only,
 * no control or unusual characters, at most 100 characters. Never used as a path.
 */
export function sanitiseDisplayName(name: string | undefined | null): string {
  const base = (name ?? "").split(/[/\\]/).pop() ?? "";
  const cleaned = base
    .normalize("NFKC")
    .replace(/[^\p{L}\p{N} ._()-]/gu, "_")
    .replace(/\s+/g, " ")
    .replace(/^[.\s]+/, "")
    .trim()
    .slice(0, 100);
  return cleaned === "" ? "evidence" : cleaned;
}

export function evidenceDirectories(evidenceDir: string) {
  const root = path.resolve(evidenceDir);
  return { root, incoming: path.join(root, INCOMING_DIR) };
}

export interface StagedFile {
  /** Temporary path inside EVIDENCE_DIR/.incoming, server-generated. */
  tempPath: string;
  size: number;
  mediaType: EvidenceMediaType;
  sha256: string;
  displayName: string;
}

export type StageResult = { ok: true; file: StagedFile } | { ok: false; reason: "empty" | "tooLarge" | "wrongType" };

/**
 * Streams one upload to a temporary file, counting bytes as they arrive. Stops reading (and
 * deletes what was written) as soon as `maxBytes` is passed, so a huge upload is never read
 * whole. An empty file or one whose first bytes are not PDF/PNG/JPEG leaves no file either.
 */
export async function stageUpload(
  data: AsyncIterable<Uint8Array>,
  options: { evidenceDir: string; clientFileName: string | undefined; maxBytes?: number },
): Promise<StageResult> {
  const maxBytes = options.maxBytes ?? MAX_EVIDENCE_BYTES;
  const { incoming } = evidenceDirectories(options.evidenceDir);
  await fsp.mkdir(incoming, { recursive: true });
  const tempPath = path.join(incoming, `${randomBytes(16).toString("hex")}.part`);
  const out = fs.createWriteStream(tempPath, { flags: "wx", mode: 0o600 });
  const outClosed = new Promise<void>((resolve, reject) => {
    out.on("close", resolve);
    out.on("error", reject);
  });
  const hash = createHash("sha256");
  let size = 0;
  let head: Uint8Array = new Uint8Array(0);
  let failure: "tooLarge" | null = null;
  try {
    for await (const chunk of data) {
      size += chunk.byteLength;
      if (size > maxBytes) {
        failure = "tooLarge";
        break; // leaving the loop stops reading the request body
      }
      if (head.length < SNIFF_BYTES) head = concatHead(head, chunk);
      hash.update(chunk);
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
    }
  } catch (error) {
    // The client went away or the stream broke: leave nothing behind.
    out.end();
    await outClosed.catch(() => undefined);
    await fsp.rm(tempPath, { force: true });
    throw error;
  }
  out.end();
  await outClosed;
  const reason = failure ?? (size === 0 ? "empty" : sniffMediaType(head) === null ? "wrongType" : null);
  if (reason) {
    await fsp.rm(tempPath, { force: true });
    return { ok: false, reason };
  }
  return {
    ok: true,
    file: { tempPath, size, mediaType: sniffMediaType(head)!, sha256: hash.digest("hex"), displayName: sanitiseDisplayName(options.clientFileName) },
  };
}

function concatHead(head: Uint8Array, chunk: Uint8Array): Uint8Array {
  const joined = new Uint8Array(Math.min(SNIFF_BYTES, head.length + chunk.length));
  joined.set(head.subarray(0, joined.length));
  if (joined.length > head.length) joined.set(chunk.subarray(0, joined.length - head.length), head.length);
  return joined;
}

async function drain(data: AsyncIterable<Uint8Array>, maxBytes: number): Promise<boolean> {
  let size = 0;
  for await (const chunk of data) {
    size += chunk.byteLength;
    if (size > maxBytes) return false;
  }
  return true;
}

/**
 * A text field of an upload form, decoded as strictly as `readForm` decodes other forms (invalid
 * UTF-8 is refused, not turned into U+FFFD) and normalised to NFC; `validate` then refuses
 * control characters next to the field.
 */
async function readTextPart(data: AsyncIterable<Uint8Array>): Promise<string> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of data) {
    size += chunk.byteLength;
    if (size > MAX_TEXT_FIELD_BYTES) throw new UploadRefused("form", "The form could not be read (a field is far too long). Check it and try again.");
    chunks.push(chunk);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(Buffer.concat(chunks)).normalize("NFC");
  } catch {
    throw new UploadRefused("form", INVALID_ENCODING);
  }
}

class UploadRefused extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ReceivedEvidenceForm {
  fields: Record<string, string>;
  files: Partial<Record<string, StagedFile>>;
  /** Problems with the files, by field name, in words for the person who sent them. */
  fileErrors: Record<string, string>;
  /** Deletes every staged file: call it on any refusal. */
  discard(): Promise<void>;
}

/**
 * Reads a multipart evidence form. Files named in `fileFields` are streamed to temporary files
 * under EVIDENCE_DIR (never under public/, never with the client's name); text fields are kept
 * in memory with a small limit. A file over the limit stops the read at once; every staged
 * file is then removed. The caller commits the staged files with `commitEvidenceFile` or
 * calls `discard()`.
 */
export async function receiveEvidenceForm(
  request: Request,
  options: { evidenceDir: string; fileFields: readonly string[]; maxBytes?: number },
): Promise<ReceivedEvidenceForm> {
  const maxBytes = options.maxBytes ?? MAX_EVIDENCE_BYTES;
  const files: Partial<Record<string, StagedFile>> = {};
  const fileErrors: Record<string, string> = {};
  const discard = async () => {
    await Promise.all(Object.values(files).map((f) => (f ? fsp.rm(f.tempPath, { force: true }) : undefined)));
    for (const key of Object.keys(files)) delete files[key];
  };
  const firstFileField = options.fileFields[0] ?? "form";

  // Refuse an obviously oversized body before reading any of it.
  const declared = Number(request.headers.get("content-length") ?? "0");
  const ceiling = maxBytes * options.fileFields.length + MAX_PARTS * MAX_TEXT_FIELD_BYTES;
  if (Number.isFinite(declared) && declared > ceiling) {
    return { fields: {}, files, fileErrors: { [firstFileField]: FILE_MESSAGES.tooLarge }, discard };
  }
  if (!(request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    return { fields: {}, files, fileErrors: { form: "This form must be sent with its file. Reload the page and try again." }, discard };
  }

  let parts = 0;
  const fileHandler: UploadHandler = async ({ name, filename, data }) => {
    parts += 1;
    if (parts > MAX_PARTS) throw new UploadRefused("form", "This form has too many parts. Reload the page and try again.");
    if (filename === undefined) return undefined; // a text field: the next handler reads it
    if (!options.fileFields.includes(name) || files[name] || fileErrors[name] || filename === "") {
      // Unexpected, repeated or empty file inputs are read and thrown away, still within the limit.
      if (!(await drain(data, maxBytes))) throw new UploadRefused(name, FILE_MESSAGES.tooLarge);
      return "";
    }
    const result = await stageUpload(data, { evidenceDir: options.evidenceDir, clientFileName: filename, maxBytes });
    if (result.ok) files[name] = result.file;
    else if (result.reason === "tooLarge") throw new UploadRefused(name, FILE_MESSAGES.tooLarge);
    else fileErrors[name] = FILE_MESSAGES[result.reason];
    return "";
  };
  const textHandler: UploadHandler = ({ filename, data }) => (filename === undefined ? readTextPart(data) : Promise.resolve(undefined));

  let formData: FormData;
  try {
    formData = await parseMultipartFormData(request, composeUploadHandlers(fileHandler, textHandler));
  } catch (error) {
    await discard();
    if (error instanceof UploadRefused) return { fields: {}, files, fileErrors: { [error.field]: error.message }, discard };
    return { fields: {}, files, fileErrors: { form: "The form could not be read (a field may be far too long). Check it and try again." }, discard };
  }
  const fields: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string" && !options.fileFields.includes(key) && !(key in fields)) fields[key] = value;
  }
  return { fields, files, fileErrors, discard };
}

/**
 * Where evidence bytes are kept (ADR 0022). On PostgreSQL, in the database (`evidence_blob`), so
 * every app node serves every file and one backup of the database holds them; on SQLite, the
 * EVIDENCE_DIR folder beside the database file, as before. Staging (`.incoming`) is always local.
 */
export type EvidenceStore = "database" | "folder";
export function evidenceStoreOf(db: DB): EvidenceStore {
  return isPostgres(db) ? "database" : "folder";
}

/** Stores `bytes` as evidence named `storageName` (server-generated) in the installation's store. */
export async function storeEvidenceBytes(db: DB, evidenceDir: string, storageName: string, bytes: Buffer, now: Date): Promise<void> {
  const name = path.basename(storageName);
  if (evidenceStoreOf(db) === "database") {
    await db.insertInto("evidence_blob").values({ storage_name: name, content: bytes, created_at: iso(now) }).execute();
    return;
  }
  const { root } = evidenceDirectories(evidenceDir);
  await fsp.mkdir(root, { recursive: true });
  await fsp.writeFile(path.join(root, name), bytes, { mode: 0o600 });
}

/** The stored bytes of evidence `storageName`, or null when they are missing. */
export async function readEvidenceBytes(db: DB, evidenceDir: string, storageName: string): Promise<Buffer | null> {
  const name = path.basename(storageName);
  if (evidenceStoreOf(db) === "database") {
    const row = await db.selectFrom("evidence_blob").select("content").where("storage_name", "=", name).executeTakeFirst();
    return row ? Buffer.from(row.content) : null;
  }
  const { root } = evidenceDirectories(evidenceDir);
  return fsp.readFile(path.join(root, name)).catch(() => null);
}

/**
 * Moves a finished file from the staging folder (`.incoming`) into the installation's store under
 * `storageName` (server-generated): renamed into the folder, or read into the database. Used for
 * files the academy writes itself, such as data-export ZIPs (ADR 0033).
 */
export async function storeEvidenceFileFromPath(db: DB, evidenceDir: string, tempPath: string, storageName: string, now: Date): Promise<void> {
  if (evidenceStoreOf(db) === "database") {
    await storeEvidenceBytes(db, evidenceDir, storageName, await fsp.readFile(tempPath), now);
    await fsp.rm(tempPath, { force: true });
    return;
  }
  const { root } = evidenceDirectories(evidenceDir);
  await fsp.rename(tempPath, path.join(root, path.basename(storageName)));
}

/**
 * The stored bytes of `storageName` as a stream, with their size: read from the folder as they are
 * sent (a large file is never held whole), or from the database in one piece. Null when missing.
 */
export async function openEvidenceStream(db: DB, evidenceDir: string, storageName: string): Promise<{ body: ReadableStream<Uint8Array>; sizeBytes: number } | null> {
  const name = path.basename(storageName);
  if (evidenceStoreOf(db) === "database") {
    const bytes = await readEvidenceBytes(db, evidenceDir, name);
    if (!bytes) return null;
    return { body: new Blob([new Uint8Array(bytes)]).stream(), sizeBytes: bytes.byteLength };
  }
  const file = path.join(evidenceDirectories(evidenceDir).root, name);
  const stat = await fsp.stat(file).catch(() => null);
  if (!stat?.isFile()) return null;
  return { body: Readable.toWeb(fs.createReadStream(file)) as ReadableStream<Uint8Array>, sizeBytes: stat.size };
}

/**
 * Moves a staged upload to its permanent, server-generated name (into the folder, or into the
 * database: `evidenceStoreOf`) and returns the row to insert. Call outside any database
 * transaction; remove it again with `removeEvidenceFiles` if the insert fails.
 */
export async function commitEvidenceFile(db: DB, staged: StagedFile, evidenceDir: string, ownerUserId: number, now: Date) {
  const { root } = evidenceDirectories(evidenceDir);
  const id = randomBytes(18).toString("base64url");
  const storageName = `${randomBytes(16).toString("hex")}.${MEDIA_TYPE_EXTENSIONS[staged.mediaType]}`;
  if (evidenceStoreOf(db) === "database") {
    await storeEvidenceBytes(db, evidenceDir, storageName, await fsp.readFile(staged.tempPath), now);
    await fsp.rm(staged.tempPath, { force: true });
  } else {
    await fsp.rename(staged.tempPath, path.join(root, storageName));
  }
  return {
    id,
    owner_user_id: ownerUserId,
    storage_name: storageName,
    media_type: staged.mediaType,
    size_bytes: staged.size,
    sha256: staged.sha256,
    display_name: staged.displayName,
    created_at: iso(now),
  };
}

/** Removes staged uploads that were not committed (renamed files are already gone: `force`). */
export async function discardStagedFiles(files: StagedFile[]): Promise<void> {
  await Promise.all(files.map((f) => fsp.rm(f.tempPath, { force: true })));
}

/**
 * Removes half-received uploads left behind by a crash or a killed process (a normal refusal
 * already removes its own). Returns how many were removed.
 */
export async function removeStaleIncomingFiles(evidenceDir: string, now: Date, olderThanMs = 60 * 60 * 1000): Promise<number> {
  const { incoming } = evidenceDirectories(evidenceDir);
  let entries: string[];
  try {
    entries = await fsp.readdir(incoming);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of entries) {
    const file = path.join(incoming, name);
    const stat = await fsp.stat(file).catch(() => null);
    if (stat?.isFile() && now.getTime() - stat.mtimeMs > olderThanMs) {
      await fsp.rm(file, { force: true });
      removed += 1;
    }
  }
  return removed;
}

export async function removeEvidenceFiles(db: DB, evidenceDir: string, storageNames: string[]): Promise<void> {
  if (storageNames.length === 0) return;
  if (evidenceStoreOf(db) === "database") {
    await db.deleteFrom("evidence_blob").where("storage_name", "in", storageNames.map((n) => path.basename(n))).execute();
    return;
  }
  const { root } = evidenceDirectories(evidenceDir);
  await Promise.all(storageNames.map((name) => fsp.rm(path.join(root, path.basename(name)), { force: true })));
}

// ---------------------------------------------------------------------------------------------
// Downloads

export type DownloadDecision = { ok: true; file: EvidenceFile } | { ok: false; status: 403 | 404 };

/** Evidence is served only to its owner, assessors and admins. */
export async function authoriseEvidenceDownload(
  db: DB,
  viewer: { id: number; role: string },
  fileId: string,
): Promise<DownloadDecision> {
  const file = await db.selectFrom("evidence_file").selectAll().where("id", "=", fileId).executeTakeFirst();
  if (!file) return { ok: false, status: 404 };
  const staff = viewer.role === "assessor" || viewer.role === "admin";
  if (!staff && file.owner_user_id !== viewer.id) return { ok: false, status: 403 };
  return { ok: true, file };
}

/**
 * Staff opening someone else's evidence (a download or an inline preview) is written to the
 * audit trail; a trainer opening their own file is not.
 */
export async function recordEvidenceOpened(db: DB, viewer: { id: number; role: string }, file: Pick<EvidenceFile, "id" | "owner_user_id">, how: "download" | "preview", now: Date): Promise<void> {
  if (file.owner_user_id === viewer.id) return;
  await recordAudit(db, { actorUserId: viewer.id, action: "evidence.opened", subjectType: "evidence_file", subjectId: file.id, details: { how, ownerUserId: file.owner_user_id } }, now);
}

function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The headers for an evidence file: never sniffed, never run. A download is an attachment; a
 * preview (assessors and admins, beside the fields they check) is `inline` with the sniffed type,
 * under a CSP that lets only our own pages frame it (ADR 0004).
 */
export function evidenceDownloadHeaders(
  file: Pick<EvidenceFile, "id" | "media_type" | "size_bytes" | "display_name">,
  csp: string,
  disposition: "attachment" | "inline" = "attachment",
): Headers {
  const extension = MEDIA_TYPE_EXTENSIONS[file.media_type];
  const base = file.display_name.replace(/\.[^.]*$/, "") || "evidence";
  const asciiName = `${base.replace(/[^A-Za-z0-9 ._()-]/g, "_")}.${extension}`;
  return new Headers({
    "Content-Type": file.media_type,
    "Content-Length": String(file.size_bytes),
    "Content-Disposition": `${disposition}; filename="${asciiName}"; filename*=UTF-8''${encodeRfc5987(`${base}.${extension}`)}`,
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": csp,
    "Cache-Control": "private, no-store",
    "Cross-Origin-Resource-Policy": "same-origin",
  });
}
