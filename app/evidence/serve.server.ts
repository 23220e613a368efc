import { requireUser } from "~/auth/guards.server";
import { getDb } from "~/db.server";
import { EVIDENCE_PREVIEW_CSP, STATIC_CSP } from "~/http/security.server";
import { serverClock } from "~/utils/clock.server";
import { getEnv } from "~/utils/env.server";
import { authoriseEvidenceDownload, evidenceDownloadHeaders, readEvidenceBytes, recordEvidenceOpened } from "./files.server";

/**
 * One evidence file, to its owner, assessors and admins only (403 otherwise), as a download
 * (`attachment`, never framed) or as a preview (`inline`, framed only by our own pages). Both
 * are sent with the sniffed type, `nosniff` and a sandboxing CSP, and staff opening someone
 * else's file is audited either way (ADR 0006, ADR 0004).
 */
export async function evidenceFileResponse(request: Request, fileId: string, how: "download" | "preview"): Promise<Response> {
  const user = await requireUser(request);
  const db = getDb();
  const decision = await authoriseEvidenceDownload(db, user, fileId);
  const refusalHeaders = { "Content-Type": "text/plain; charset=utf-8", "Content-Security-Policy": STATIC_CSP };
  if (!decision.ok) {
    return new Response(decision.status === 403 ? "You do not have permission to open this file." : "File not found.", { status: decision.status, headers: refusalHeaders });
  }
  // From the folder (SQLite) or the database (PostgreSQL: any node serves it), ADR 0022.
  const bytes = await readEvidenceBytes(db, getEnv().EVIDENCE_DIR, decision.file.storage_name);
  if (!bytes) return new Response("File not found.", { status: 404, headers: refusalHeaders });
  await recordEvidenceOpened(db, user, decision.file, how, serverClock());
  const headers = how === "preview" ? evidenceDownloadHeaders(decision.file, EVIDENCE_PREVIEW_CSP, "inline") : evidenceDownloadHeaders(decision.file, STATIC_CSP);
  // The HTTP layer already sends nosniff on every response; sending it twice would read "nosniff, nosniff".
  headers.delete("X-Content-Type-Options");
  return new Response(new Uint8Array(bytes), { status: 200, headers });
}
