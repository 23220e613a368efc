import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/guards.server";
import { getDb } from "~/db.server";
import { getEnv } from "~/utils/env.server";
import { authoriseEvidenceDownload, evidenceDownloadHeaders, readEvidenceBytes } from "~/evidence/files.server";
import { STATIC_CSP } from "~/http/security.server";

/**
 * Evidence downloads: only to the owner, assessors and admins; always as an attachment, never
 * sniffed, and sandboxed so that nothing in a file can run on our origin.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const decision = await authoriseEvidenceDownload(db, user, params.fileId ?? "");
  const refusalHeaders = { "Content-Type": "text/plain; charset=utf-8", "Content-Security-Policy": STATIC_CSP };
  if (!decision.ok) {
    return new Response(decision.status === 403 ? "You do not have permission to download this file." : "File not found.", { status: decision.status, headers: refusalHeaders });
  }
  // From the folder (SQLite) or the database (PostgreSQL: any node serves it), ADR 0022.
  const bytes = await readEvidenceBytes(db, getEnv().EVIDENCE_DIR, decision.file.storage_name);
  if (!bytes) return new Response("File not found.", { status: 404, headers: refusalHeaders });
  const headers = evidenceDownloadHeaders(decision.file, STATIC_CSP);
  // The HTTP layer already sends nosniff on every response; sending it twice would read "nosniff, nosniff".
  headers.delete("X-Content-Type-Options");
  return new Response(new Uint8Array(bytes), { status: 200, headers });
}
