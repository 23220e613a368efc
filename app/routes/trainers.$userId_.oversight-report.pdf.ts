import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/auth/guards.server";
import { getDb } from "~/db.server";
import { buildOversightReport } from "~/certificates/oversight-report.server";
import { oversightPdfResponse } from "~/certificates/oversight-report-http.server";
import { serverClock } from "~/utils/clock.server";

/** A trainer's oversight report as a PDF, for admins (ADR 0043). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const id = Number(params.userId);
  const report = Number.isSafeInteger(id) && id > 0 ? await buildOversightReport(getDb(), id, serverClock()) : null;
  if (!report) throw new Response("There is no such trainer.", { status: 404 });
  return oversightPdfResponse(report);
}
