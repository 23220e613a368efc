/**
 * The HTTP side of an export: audit it, then stream it. The audit entry is written before the
 * first byte is sent, so a download that is started is on the record even if it is abandoned.
 */
import type { DB } from "~db/connection";
import { recordAudit } from "~/audit/audit.server";
import { downloadResponse } from "~/utils/download";
import { csvStream } from "./csv";
import { buildExport, type ExportQuery } from "./exports.server";

export async function exportResponse(db: DB, actorId: number, query: ExportQuery, now: Date, baseUrl: string): Promise<Response> {
  const doc = await buildExport(db, query, now, baseUrl);
  await recordAudit(db, { actorUserId: actorId, action: "report.exported", subjectType: "export", subjectId: query.kind, details: { from: query.from, to: query.to } }, now);
  return downloadResponse(csvStream(doc.header, doc.batches), { contentType: "text/csv; charset=utf-8", filename: doc.filename });
}
