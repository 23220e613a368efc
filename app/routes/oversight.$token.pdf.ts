import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "~/db.server";
import { openSharedReport } from "~/certificates/oversight-report.server";
import { oversightPdfResponse } from "~/certificates/oversight-report-http.server";
import { serverClock } from "~/utils/clock.server";

/** The shared report as a PDF, for whoever holds a working link (ADR 0043). */
export async function loader({ params }: LoaderFunctionArgs) {
  const opened = await openSharedReport(getDb(), params.token ?? "", serverClock());
  if (!opened) throw new Response("This link does not open a report. It may have expired or been withdrawn.", { status: 404, headers: { "Cache-Control": "private, no-store", "X-Robots-Tag": "noindex" } });
  return oversightPdfResponse(opened.report, { "X-Robots-Tag": "noindex", "Referrer-Policy": "no-referrer" });
}
