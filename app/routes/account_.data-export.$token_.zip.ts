import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/guards.server";
import { downloadDataExport, openDataExport } from "~/data-export/exports.server";
import { getDb } from "~/db.server";
import { serverClock } from "~/utils/clock.server";
import { downloadResponse } from "~/utils/download";
import { getEnv } from "~/utils/env.server";

/**
 * The ZIP itself, for its requester alone (audited). Anyone else, or after expiry, is sent to the
 * link's page, which says why in words (403 or 410) (ADR 0033).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const token = params.token ?? "";
  const db = getDb();
  const now = serverClock();
  const opened = await openDataExport(db, user, token, now);
  const page = `/account/data-export/${encodeURIComponent(token)}`;
  if (opened.kind !== "ready") throw redirect(page);
  // Streamed from the store (the folder: read as it is sent), never held whole for a large ZIP.
  const file = await downloadDataExport(db, user, opened, getEnv().EVIDENCE_DIR, now);
  if (!file) throw redirect(page);
  return downloadResponse(file.body, {
    contentType: "application/zip",
    filename: `academy-data-${opened.readyAt.slice(0, 10)}.zip`,
    headers: { "Content-Length": String(file.sizeBytes), "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex, nofollow" },
  });
}
