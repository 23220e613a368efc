import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/auth/guards.server";
import { getDb } from "~/db.server";
import { buildOversightReport } from "~/certificates/oversight-report.server";
import { oversightPdfResponse } from "~/certificates/oversight-report-http.server";
import { serverClock } from "~/utils/clock.server";

/** The trainer's own oversight report as a PDF (ADR 0043). */
export async function loader({ request }: LoaderFunctionArgs) {
  const trainer = await requireRole(request, "trainer");
  return oversightPdfResponse((await buildOversightReport(getDb(), trainer.id, serverClock()))!);
}
