import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import fontkit from "@pdf-lib/fontkit";
import { PDFDocument, rgb, type PDFFont, type PDFPage } from "pdf-lib";
import QRCode from "qrcode";
import type { Certificate } from "~db/schema";
import { formatDate } from "~/utils/dates";

const require = createRequire(import.meta.url);
const FONT_DIR = path.join(path.dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
let fonts: { regular: Buffer; bold: Buffer } | undefined;

function fontFiles() {
  fonts ??= { regular: fs.readFileSync(path.join(FONT_DIR, "DejaVuSans.ttf")), bold: fs.readFileSync(path.join(FONT_DIR, "DejaVuSans-Bold.ttf")) };
  return fonts;
}

const BRAND = rgb(0.043, 0.31, 0.424);
const INK = rgb(0.106, 0.141, 0.188);
const MUTED = rgb(0.29, 0.333, 0.396);

/** '2026-03-01' → '1 March 2026'; an ISO instant → the day it was in the UK (app/utils/dates.ts). */
export function formatLongDate(date: string): string {
  return formatDate(date);
}

function centred(page: PDFPage, text: string, y: number, font: PDFFont, size: number, color = INK) {
  const width = font.widthOfTextAtSize(text, size);
  page.drawText(text, { x: (page.getWidth() - width) / 2, y, size, font, color });
}

/** Shrinks `size` until `text` fits in `maxWidth` (long names stay on one line). */
function fittedSize(text: string, font: PDFFont, size: number, maxWidth: number): number {
  let fitted = size;
  while (fitted > 12 && font.widthOfTextAtSize(text, fitted) > maxWidth) fitted -= 1;
  return fitted;
}

/**
 * The certificate as an A4 landscape PDF, drawn from the issued snapshot only (never from live
 * profile data), with embedded fonts for any name and a QR code of the verification address.
 */
export async function renderCertificatePdf(cert: Certificate, verifyUrl: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  pdf.setTitle(`Medical-Legal Approved Trainer certificate — ${cert.trainer_name}`);
  pdf.setAuthor(cert.issuer);
  pdf.setSubject(`Certificate ${cert.id}`);
  pdf.setCreationDate(new Date(cert.issued_at));
  const regular = await pdf.embedFont(fontFiles().regular, { subset: true });
  const bold = await pdf.embedFont(fontFiles().bold, { subset: true });
  const page = pdf.addPage([841.89, 595.28]);
  const { width, height } = page.getSize();

  // Frame and band.
  page.drawRectangle({ x: 0, y: height - 70, width, height: 70, color: BRAND });
  page.drawRectangle({ x: 24, y: 24, width: width - 48, height: height - 118, borderColor: BRAND, borderWidth: 1.5 });
  page.drawText("RMR", { x: 48, y: height - 45, size: 22, font: bold, color: rgb(1, 1, 1) });
  page.drawText(cert.issuer, { x: 110, y: height - 42, size: 13, font: regular, color: rgb(1, 1, 1) });

  centred(page, "Certificate of approval", height - 125, regular, 14, MUTED);
  centred(page, "Medical-Legal Approved Trainer", height - 160, bold, 30, BRAND);
  centred(page, "This certifies that", height - 195, regular, 13, MUTED);
  centred(page, cert.trainer_name, height - 238, bold, fittedSize(cert.trainer_name, bold, 34, width - 160), INK);
  centred(page, "met the framework's entry requirements (qualification, insurance and Enhanced DBS check), passed the four", height - 272, regular, 11.5, INK);
  centred(page, "mandatory modules and the report-writing task, and accepted the scope of practice and communication agreement.", height - 288, regular, 11.5, INK);

  const modules = JSON.parse(cert.modules_json) as { title: string; passedAt: string; version: string }[];
  let y = height - 328;
  page.drawText("Modules passed", { x: 70, y, size: 11, font: bold, color: BRAND });
  y -= 18;
  for (const m of modules) {
    page.drawText(`${m.title}`, { x: 70, y, size: 10, font: regular, color: INK, maxWidth: 470 });
    page.drawText(`${formatLongDate(m.passedAt)} · v${m.version.slice(0, 8)}`, { x: 440, y, size: 9, font: regular, color: MUTED });
    y -= 16;
  }

  const facts: [string, string][] = [
    ["Issued", formatLongDate(cert.issued_at)],
    ["Expires", `${formatLongDate(cert.expires_on)} (${cert.expiry_basis})`],
    ["Certificate ID", cert.id],
  ];
  y = 112;
  for (const [label, value] of facts) {
    page.drawText(label, { x: 70, y, size: 10, font: bold, color: BRAND });
    page.drawText(value, { x: 170, y, size: 10, font: regular, color: INK });
    y -= 17;
  }
  page.drawText("The status can change if evidence lapses. Always check the live page:", { x: 70, y: 50, size: 9, font: regular, color: MUTED });
  page.drawText(verifyUrl, { x: 70, y: 37, size: 9, font: regular, color: BRAND });
  page.drawText(`Signed credential (Open Badges 3.0, checkable by any standard verifier): ${verifyUrl}/credential`, { x: 70, y: 24, size: 8, font: regular, color: MUTED });

  // QR code of the verification address, drawn as vector squares.
  const qr = QRCode.create(verifyUrl, { errorCorrectionLevel: "M" });
  const modulesPerSide = qr.modules.size;
  const box = 130;
  const quiet = 4;
  const cell = box / (modulesPerSide + quiet * 2);
  const qrX = width - 70 - box;
  const qrY = 40;
  page.drawRectangle({ x: qrX, y: qrY, width: box, height: box, color: rgb(1, 1, 1) });
  for (let row = 0; row < modulesPerSide; row += 1) {
    for (let col = 0; col < modulesPerSide; col += 1) {
      if (qr.modules.get(row, col)) {
        page.drawRectangle({ x: qrX + (col + quiet) * cell, y: qrY + box - (row + quiet + 1) * cell, width: cell, height: cell, color: rgb(0, 0, 0) });
      }
    }
  }
  page.drawText("Scan to verify", { x: qrX + 30, y: qrY + box + 6, size: 9, font: regular, color: MUTED });
  return pdf.save();
}
