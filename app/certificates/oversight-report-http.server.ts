import { pdfDownload } from "~/utils/download";
import { getEnv } from "~/utils/env.server";
import type { OversightReport } from "./oversight-report";
import { renderOversightReportPdf } from "./oversight-report-pdf.server";

/** The report as a downloaded PDF, never cached, never framed (ADR 0043). */
export async function oversightPdfResponse(report: OversightReport, extraHeaders: Record<string, string> = {}): Promise<Response> {
  const pdf = await renderOversightReportPdf(report, getEnv().PUBLIC_BASE_URL);
  const slug = report.trainerName.normalize("NFKD").replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "").toLowerCase() || "trainer";
  return pdfDownload(pdf, `oversight-report-${slug}.pdf`, extraHeaders);
}
