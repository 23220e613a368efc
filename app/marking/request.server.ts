import { MAX_REPORT_REQUEST_BYTES } from "./rules";

/**
 * Reads a url-encoded form body of at most `maxBytes`, counting while it streams, so an
 * oversized report is refused with a clear message (413) before it is held in memory.
 */
export async function readReportForm(request: Request, maxBytes = MAX_REPORT_REQUEST_BYTES): Promise<URLSearchParams> {
  const tooLarge = () => new Response("That report is too large to send. The limit is 20,000 words; shorten it and try again.", { status: 413 });
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge();
  if (!request.body) return new URLSearchParams();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  const type = request.headers.get("content-type") ?? "";
  if (type.startsWith("application/x-www-form-urlencoded")) return new URLSearchParams(text);
  // Anything else (multipart from a script, text): let the platform parse the bytes already counted.
  const parsed = await new Request(request.url, { method: "POST", headers: { "content-type": type }, body: text }).formData().catch(() => null);
  if (!parsed) throw new Response("Send the report as a form.", { status: 400 });
  const params = new URLSearchParams();
  for (const [key, value] of parsed.entries()) if (typeof value === "string") params.append(key, value);
  return params;
}
