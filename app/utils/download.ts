/**
 * A file sent as a download (certificate PDF, oversight report, export): never cached, never
 * rendered as a page in our origin (sandboxed CSP, no sniffing). `filename` must be ASCII; callers
 * build it from ids or slugs.
 */
export function downloadResponse(body: BodyInit, options: { contentType: string; filename: string; headers?: Record<string, string> }): Response {
  return new Response(body, {
    headers: {
      "Content-Type": options.contentType,
      "Content-Disposition": `attachment; filename="${options.filename}"`,
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
      ...options.headers,
    },
  });
}

/** A PDF's bytes as a download. */
export function pdfDownload(pdf: Uint8Array, filename: string, headers: Record<string, string> = {}): Response {
  return downloadResponse(Uint8Array.from(pdf).buffer, { contentType: "application/pdf", filename, headers });
}
