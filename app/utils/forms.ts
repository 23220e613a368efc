import type { z } from "zod";
import { invalid, ok, type Result } from "./result";

export type FieldErrors = Record<string, string>;

/**
 * Every form the site receives goes through here: `readForm` checks how the body was sent and
 * how large it is before parsing, decodes it strictly, and normalises the text; `validate`
 * refuses control characters field by field before the schema runs. Uploads (multipart with
 * files) have their own streaming reader (evidence/files.server.ts) and pass their text fields
 * through the same `cleanText` and `validate`.
 */

/** Forms other than uploads and the report task: sign-in, sign-up, verification, decisions. */
export const FORM_BODY_LIMIT_BYTES = 64 * 1024;

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

const tooLarge = (message: string) => new Response(message, { status: 413, statusText: "Content Too Large" });

/** Thrown (as a Response) when the body is not a web form: the error page says so, with a 415. */
export const WRONG_BODY_TYPE = "This address accepts only the site’s own forms (sent as application/x-www-form-urlencoded). Go back to the page and use its form.";
export const INVALID_ENCODING = "The form contained text that is not valid UTF-8, so nothing was saved. Go back, retype the text (or paste it again) and send the form again.";
export const CONTROL_CHARACTERS = "Remove the invisible control characters from this text (anything other than tabs and line breaks), then try again.";

export interface ReadFormOptions {
  /** Largest body accepted, counted while it streams (default 64 KB). */
  maxBytes?: number;
  /** The 413 page's message. */
  tooLargeMessage?: string;
}

/**
 * Reads a form body: only `application/x-www-form-urlencoded` or `multipart/form-data` (415
 * otherwise), at most `maxBytes` (413, refused from Content-Length before reading, or as soon as
 * the stream passes it), strictly UTF-8 (400 for anything else, instead of silently turning bad
 * bytes into U+FFFD), names and values normalised to NFC. Problems are thrown as Responses the
 * error page shows.
 */
export async function readForm(request: Request, options: ReadFormOptions = {}): Promise<URLSearchParams> {
  return readFormBody({ contentType: request.headers.get("content-type"), contentLength: request.headers.get("content-length"), body: request.body && chunksOf(request.body) }, options);
}

/** A Fetch body's chunks; leaving early (a refused body) cancels the stream. */
async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    if (!finished) await reader.cancel();
  }
}

/**
 * `readForm`'s checks on a body given as its headers and its bytes as they stream: a Fetch body,
 * or a Node request itself (the autosave endpoint of ADR 0050, which then needs no Fetch stream:
 * ADR 0051).
 */
export async function readFormBody(
  source: { contentType: string | null | undefined; contentLength: string | null | undefined; body: AsyncIterable<Uint8Array> | null },
  options: ReadFormOptions = {},
): Promise<URLSearchParams> {
  const maxBytes = options.maxBytes ?? FORM_BODY_LIMIT_BYTES;
  const limitMessage = options.tooLargeMessage ?? `That form is larger than the site accepts (${Math.round(maxBytes / 1024)} KB), so nothing was saved. Shorten the text and try again.`;
  const type = (source.contentType ?? "").split(";")[0]!.trim().toLowerCase();
  const declared = Number(source.contentLength ?? "0");
  const chunks = source.body?.[Symbol.asyncIterator]();
  if (Number.isFinite(declared) && declared > maxBytes) {
    await discardBody(chunks);
    throw tooLarge(limitMessage);
  }
  const body = await readBytes(chunks, maxBytes, limitMessage);
  if (body.byteLength === 0 && type === "") return new URLSearchParams();
  if (!FORM_TYPES.includes(type)) throw new Response(WRONG_BODY_TYPE, { status: 415, statusText: "Unsupported Media Type" });
  const pairs = type === "multipart/form-data" ? await multipartPairs(body, source.contentType!) : urlEncodedPairs(body);
  return new URLSearchParams(pairs.map(([key, value]) => [key.normalize("NFC"), value.normalize("NFC")]));
}

async function readBytes(chunks: AsyncIterator<Uint8Array> | undefined, maxBytes: number, limitMessage: string): Promise<Buffer> {
  if (!chunks) return Buffer.alloc(0);
  const read: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await chunks.next();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await discardBody(chunks);
      throw tooLarge(limitMessage);
    }
    read.push(value);
  }
  return Buffer.concat(read);
}

/** How much of a refused body is read and thrown away so the client receives the 413 page. */
const DISCARD_LIMIT_BYTES = 16 * 1024 * 1024;

/**
 * Reads the rest of a refused body without keeping it (as a web server's "lingering close" does):
 * closing a connection while the client is still sending resets it, and the browser would show a
 * connection error instead of the 413 page. Past DISCARD_LIMIT_BYTES the connection is dropped.
 */
async function discardBody(chunks: AsyncIterator<Uint8Array> | undefined): Promise<void> {
  if (!chunks) return;
  let discarded = 0;
  for (;;) {
    const { done, value } = await chunks.next();
    if (done) return;
    discarded += value.byteLength;
    if (discarded > DISCARD_LIMIT_BYTES) {
      // Ends the stream: a Fetch body is cancelled, a Node request destroyed.
      await chunks.return?.();
      return;
    }
  }
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function decodeStrict(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new Response(INVALID_ENCODING, { status: 400, statusText: "Bad Request" });
  }
}

const hexValue = (byte: number) => (byte >= 0x30 && byte <= 0x39 ? byte - 0x30 : byte >= 0x41 && byte <= 0x46 ? byte - 0x37 : byte >= 0x61 && byte <= 0x66 ? byte - 0x57 : -1);

/** Percent-decodes one name or value to bytes ("+" is a space), then decodes UTF-8 strictly. */
function decodeComponent(bytes: Buffer): string {
  const out = Buffer.alloc(bytes.length);
  let length = 0;
  for (let i = 0; i < bytes.length; i += 1) {
    const byte = bytes[i]!;
    if (byte === 0x2b) out[length++] = 0x20;
    else if (byte === 0x25 && i + 2 < bytes.length && hexValue(bytes[i + 1]!) >= 0 && hexValue(bytes[i + 2]!) >= 0) {
      out[length++] = hexValue(bytes[i + 1]!) * 16 + hexValue(bytes[i + 2]!);
      i += 2;
    } else out[length++] = byte;
  }
  return decodeStrict(out.subarray(0, length));
}

/** application/x-www-form-urlencoded, parsed as the URL standard does but refusing bad UTF-8. */
function urlEncodedPairs(body: Buffer): [string, string][] {
  const pairs: [string, string][] = [];
  let start = 0;
  while (start <= body.length) {
    let end = body.indexOf(0x26, start);
    if (end === -1) end = body.length;
    if (end > start) {
      const part = body.subarray(start, end);
      const eq = part.indexOf(0x3d);
      pairs.push(eq === -1 ? [decodeComponent(part), ""] : [decodeComponent(part.subarray(0, eq)), decodeComponent(part.subarray(eq + 1))]);
    }
    start = end + 1;
  }
  return pairs;
}

/** A multipart form without files (a script's FormData): the whole body must be UTF-8 text. */
async function multipartPairs(body: Buffer, contentType: string): Promise<[string, string][]> {
  decodeStrict(body);
  const parsed = await new Response(new Uint8Array(body), { headers: { "content-type": contentType } }).formData().catch(() => null);
  if (!parsed) throw new Response("The form could not be read. Go back to the page and send it again.", { status: 400, statusText: "Bad Request" });
  const pairs: [string, string][] = [];
  for (const [key, value] of parsed.entries()) if (typeof value === "string") pairs.push([key, value]);
  return pairs;
}

/** C0 control characters other than tab, line feed and carriage return, and DEL. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Text as people type it: NFC, and no control characters other than tabs and line breaks. */
export function cleanText(value: string): { ok: true; text: string } | { ok: false; message: string } {
  if (CONTROL.test(value)) return { ok: false, message: CONTROL_CHARACTERS };
  return { ok: true, text: value.normalize("NFC") };
}

/** Field messages for every value holding control characters (empty when all are clean). */
export function textErrors(values: Record<string, unknown>): FieldErrors {
  const errors: FieldErrors = {};
  for (const [key, value] of Object.entries(values)) {
    if (typeof value !== "string") continue;
    const cleaned = cleanText(value);
    if (!cleaned.ok) errors[key] = cleaned.message;
  }
  return errors;
}

/** Turns form data into a plain object of strings (the first value of each name; files are skipped). */
export function formToObject(formData: { entries(): IterableIterator<[string, FormDataEntryValue]> }): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string" && !(key in values)) values[key] = value;
  }
  return values;
}

/**
 * Validates input with a zod schema, keeping the first message per field. Text with control
 * characters is refused before the schema runs, next to its field. A problem with the whole input
 * (no field path) becomes the refusal's `message`.
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown): Result<z.infer<S>> {
  if (input && typeof input === "object" && !Array.isArray(input)) {
    const badText = textErrors(input as Record<string, unknown>);
    if (Object.keys(badText).length > 0) return invalid(badText, "Some of the text contains invisible control characters. Remove them and try again.");
  }
  const parsed = schema.safeParse(input);
  if (parsed.success) return ok(parsed.data as z.infer<S>);
  const fieldErrors: FieldErrors = {};
  let message: string | null = null;
  for (const issue of parsed.error.issues) {
    if (issue.path.length === 0) message ??= issue.message;
    else fieldErrors[String(issue.path[0])] ??= issue.message;
  }
  return invalid(fieldErrors, message);
}
