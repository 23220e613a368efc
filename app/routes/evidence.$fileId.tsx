import fs from "node:fs";
import { createReadableStreamFromReadable, type LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/guards.server";
import { getDb } from "~/db.server";
import { getEnv } from "~/utils/env.server";
import { authoriseEvidenceDownload, evidenceDownloadHeaders } from "~/evidence/files.server";
import { STATIC_CSP } from "~/http/security.server";

/**
 * Evidence downloads: only to the owner, assessors and admins; always as an attachment, never
 * sniffed, and sandboxed so that nothing in a file can run on our origin.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const decision = await authoriseEvidenceDownload(getDb(), user, params.fileId ?? "", getEnv().EVIDENCE_DIR);
  const refusalHeaders = { "Content-Type": "text/plain; charset=utf-8", "Content-Security-Policy": STATIC_CSP };
  if (!decision.ok) {
    return new Response(decision.status === 403 ? "You do not have permission to download this file." : "File not found.", { status: decision.status, headers: refusalHeaders });
  }
  if (!fs.existsSync(decision.absolutePath)) return new Response("File not found.", { status: 404, headers: refusalHeaders });
  const stream = createReadableStreamFromReadable(fs.createReadStream(decision.absolutePath));
  const headers = evidenceDownloadHeaders(decision.file, STATIC_CSP);
  // The HTTP layer already sends nosniff on every response; sending it twice would read "nosniff, nosniff".
  headers.delete("X-Content-Type-Options");
  return new Response(stream, { status: 200, headers });
}
