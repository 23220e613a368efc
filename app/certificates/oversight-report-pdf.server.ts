/**
 * The oversight report as an A4 PDF (issue 15 item 4, ADR 0043): the same content as the page, in
 * the certificate's embedded fonts (any name), every line measured and wrapped to the column, new
 * pages as the text needs them.
 */
import type { PDFDocument, PDFFont, PDFPage, RGB } from "pdf-lib";
import { formatDate } from "~/utils/dates";
import { BRAND, INK, MUTED, createPdf, embedFonts, wrapText } from "./pdf.server";
import type { OversightReport } from "./oversight-report";
import type { PublicCertificateView } from "./public.server";

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 56;
const COLUMN = A4.width - MARGIN * 2;

/** A cursor down the page that wraps every paragraph to the column and starts a page when full. */
class Flow {
  private page: PDFPage;
  private y: number;
  constructor(
    private readonly pdf: PDFDocument,
    private readonly fonts: { regular: PDFFont; bold: PDFFont },
  ) {
    this.page = this.newPage();
    this.y = A4.height - MARGIN;
  }

  private newPage(): PDFPage {
    const page = this.pdf.addPage([A4.width, A4.height]);
    page.drawRectangle({ x: 0, y: A4.height - 18, width: A4.width, height: 18, color: BRAND });
    return page;
  }

  private room(height: number) {
    if (this.y - height >= MARGIN) return;
    this.page = this.newPage();
    this.y = A4.height - MARGIN;
  }

  text(text: string, options: { size?: number; bold?: boolean; color?: RGB; indent?: number; after?: number } = {}) {
    const size = options.size ?? 10.5;
    const font = options.bold ? this.fonts.bold : this.fonts.regular;
    const indent = options.indent ?? 0;
    for (const line of wrapText(text, font, size, COLUMN - indent)) {
      this.room(size * 1.35);
      this.y -= size * 1.35;
      this.page.drawText(line, { x: MARGIN + indent, y: this.y, size, font, color: options.color ?? INK });
    }
    this.y -= options.after ?? 2;
  }

  heading(text: string) {
    this.room(40);
    this.y -= 10;
    this.text(text, { size: 13, bold: true, color: BRAND, after: 4 });
  }

  bullets(items: string[]) {
    for (const item of items) this.text(`•  ${item}`, { indent: 8 });
  }
}

function certificateLines(flow: Flow, cert: PublicCertificateView, verifyUrl: string) {
  flow.text(`Status: ${cert.statusLabel}${cert.reason ? ` — ${cert.reason}` : ""}`, { bold: true });
  flow.text(`Certificate ${cert.id}, issued ${formatDate(cert.issuedOn)}, expires ${formatDate(cert.expiresOn)} (${cert.expiryBasis}).`);
  flow.text(`Verify it at ${verifyUrl}`, { color: MUTED, after: 6 });
  flow.text("Status history", { bold: true });
  flow.bullets(cert.history.map((e) => `${formatDate(e.on)}: ${e.label}`));
}

export async function renderOversightReportPdf(report: OversightReport, baseUrl: string): Promise<Uint8Array> {
  const pdf = await createPdf();
  pdf.setTitle(`Oversight report — ${report.trainerName}`);
  pdf.setAuthor("Approved Trainer Academy");
  pdf.setSubject("Medical-Legal Approved Trainer: certificate, status history, training and supervision");
  const fonts = await embedFonts(pdf);
  const flow = new Flow(pdf, fonts);
  const verify = (id: string) => `${baseUrl.replace(/\/$/, "")}/verify/${id}`;

  flow.text("Oversight report", { size: 11, color: BRAND, bold: true });
  flow.text(report.trainerName, { size: 22, bold: true, after: 4 });
  flow.text(`Medical-Legal Approved Trainer framework. Prepared on ${formatDate(report.preparedOn)}: the status is as it stood that day.`, { color: MUTED, after: 4 });

  flow.heading("Certificate");
  if (report.certificate) certificateLines(flow, report.certificate, verify(report.certificate.id));
  else flow.text("No certificate has been issued to this trainer.");

  if (report.certificate) {
    flow.heading("Training completed");
    flow.bullets(report.certificate.modules.map((m) => `${m.title}: passed ${formatDate(m.passedOn)}, content version ${m.version}`));
    if (report.certificate.reportTaskPassedOn) flow.bullets([`Written report task: passed ${formatDate(report.certificate.reportTaskPassedOn)}`]);
    flow.heading("Scope of practice");
    flow.text("May:", { bold: true });
    flow.bullets(report.certificate.scope.may);
    flow.text("May not:", { bold: true });
    flow.bullets(report.certificate.scope.mayNot);
  }

  flow.heading("Supervision");
  flow.text(report.supervision.assigned ? "A supervisor from the academy's assessors is assigned." : "No supervisor is assigned.");
  if (report.supervision.sessionDates.length > 0) {
    flow.text(`Sessions held (${report.supervision.sessionDates.length}), dates only:`);
    flow.bullets(report.supervision.sessionDates.map((d) => formatDate(d)));
  } else {
    flow.text("No supervision sessions are recorded yet.");
  }

  if (report.earlier.length > 0) {
    flow.heading("Earlier certificates");
    for (const cert of report.earlier) {
      certificateLines(flow, cert, verify(cert.id));
      flow.text("", { after: 4 });
    }
  }

  flow.heading("About this report");
  flow.text(
    "It holds what the public verification page shows, plus the dates of supervision sessions. It never holds contact details, criminal-record (DBS) details, what was discussed in supervision, or any concern raised. The trainer saw this report before it was sent.",
    { color: MUTED },
  );
  return pdf.save();
}
