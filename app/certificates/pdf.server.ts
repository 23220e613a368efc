import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { ColorTypes, PDFDocument, PDFFont, RGB } from "pdf-lib";
import type { Certificate } from "~db/schema";
import { formatDate } from "~/utils/dates";
import { versionLabel } from "~/content/catalog.server";

const require = createRequire(import.meta.url);
const FONT_DIR = path.join(path.dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
let fonts: { regular: Buffer; bold: Buffer } | undefined;

function fontFiles() {
  fonts ??= { regular: fs.readFileSync(path.join(FONT_DIR, "DejaVuSans.ttf")), bold: fs.readFileSync(path.join(FONT_DIR, "DejaVuSans-Bold.ttf")) };
  return fonts;
}

/**
 * pdf-lib, fontkit and qrcode load when the first PDF is drawn, not with the server: together
 * about 35 MB in every process, which pages and the verification service never need (ADR 0049).
 */
const pdfLibrary = () => import("pdf-lib");

/** A colour as pdf-lib's `rgb` makes it, without loading pdf-lib. */
function rgb(red: number, green: number, blue: number): RGB {
  return { type: "RGB" as ColorTypes.RGB, red, green, blue };
}

/** A new, empty PDF document. */
export async function createPdf(): Promise<PDFDocument> {
  return (await pdfLibrary()).PDFDocument.create();
}

export const BRAND = rgb(0.043, 0.31, 0.424);
export const INK = rgb(0.106, 0.141, 0.188);
export const MUTED = rgb(0.29, 0.333, 0.396);

/** '2026-03-01' → '1 March 2026'; an ISO instant → the day it was in the UK (app/utils/dates.ts). */
export function formatLongDate(date: string): string {
  return formatDate(date);
}

/** One line of text as drawn: where, how big, and the box it occupies (from the font's measurements). */
export interface TextBox {
  text: string;
  x: number;
  /** Baseline. */
  y: number;
  size: number;
  font: PDFFont;
  color: RGB;
  /** The measured box: left, bottom (descender), right, top (ascender). */
  box: { left: number; bottom: number; right: number; top: number };
}

export interface CertificateLayout {
  page: { width: number; height: number };
  texts: TextBox[];
  /** The QR code's square (white quiet zone included). */
  qr: { x: number; y: number; size: number };
}

const PAGE = { width: 841.89, height: 595.28 };
const QR_BOX = 130;
const MARGIN_X = 70;

function measured(text: string, x: number, y: number, size: number, font: PDFFont, color: RGB): TextBox {
  const width = font.widthOfTextAtSize(text, size);
  const ascent = font.heightAtSize(size, { descender: false });
  const descent = font.heightAtSize(size) - ascent;
  return { text, x, y, size, font, color, box: { left: x, bottom: y - descent, right: x + width, top: y + ascent } };
}

/** Splits `text` into lines no wider than `maxWidth` at `size`, breaking between words (a word longer than a line is broken by characters). */
export function wrapText(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const lines: string[] = [];
  let line = "";
  const fits = (candidate: string) => font.widthOfTextAtSize(candidate, size) <= maxWidth;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (fits(candidate)) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    line = "";
    let rest = word;
    while (!fits(rest)) {
      let cut = rest.length - 1;
      while (cut > 1 && !fits(rest.slice(0, cut))) cut -= 1;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    line = rest;
  }
  if (line) lines.push(line);
  return lines.length ? lines : [""];
}

/**
 * The largest size from `size` down to `minSize` at which `text` fits `maxWidth` in at most
 * `maxLines` lines, and those lines. At `minSize` it wraps to as many lines as it needs.
 */
export function fitText(text: string, font: PDFFont, size: number, minSize: number, maxWidth: number, maxLines: number): { size: number; lines: string[] } {
  for (let s = size; s >= minSize; s -= 0.5) {
    const lines = wrapText(text, font, s, maxWidth);
    if (lines.length <= maxLines) return { size: s, lines };
  }
  return { size: minSize, lines: wrapText(text, font, minSize, maxWidth) };
}

function centredLines(texts: TextBox[], lines: string[], topBaseline: number, font: PDFFont, size: number, color: RGB, leading = 1.2): number {
  let y = topBaseline;
  for (const line of lines) {
    const width = font.widthOfTextAtSize(line, size);
    texts.push(measured(line, (PAGE.width - width) / 2, y, size, font, color));
    y -= size * leading;
  }
  return y + size * leading;
}

/**
 * Where every piece of text goes, measured with the embedded font: long names shrink then wrap,
 * long module titles wrap in their column (the date column beside them never moves), and the
 * module list shrinks if it would reach the facts below. Nothing is placed by guesswork, so no
 * two boxes overlap for any title or name (tests/unit/certificate-pdf-layout.test.ts).
 */
export function layoutCertificate(cert: Pick<Certificate, "id" | "trainer_name" | "issuer" | "issued_at" | "expires_on" | "expiry_basis" | "modules_json">, verifyUrl: string, regular: PDFFont, bold: PDFFont): CertificateLayout {
  const { width, height } = PAGE;
  const texts: TextBox[] = [];
  const white = rgb(1, 1, 1);
  const qr = { x: width - MARGIN_X - QR_BOX, y: 40, size: QR_BOX };

  // The band: "RMR" and the issuer's name, shrunk to the band's width.
  texts.push(measured("RMR", 48, height - 45, 22, bold, white));
  const issuer = fitText(cert.issuer, regular, 13, 8, width - 110 - 48, 1);
  texts.push(measured(issuer.lines[0]!, 110, height - 42, issuer.size, regular, white));

  centredLines(texts, ["Certificate of approval"], height - 125, regular, 14, MUTED);
  centredLines(texts, ["Medical-Legal Approved Trainer"], height - 160, bold, 30, BRAND);
  centredLines(texts, ["This certifies that"], height - 195, regular, 13, MUTED);
  // The name: one line at up to 34 pt, shrinking to 18 pt; past that, two lines.
  const name = fitText(cert.trainer_name, bold, 34, 18, width - 160, 1);
  const nameLines = name.lines.length > 1 ? fitText(cert.trainer_name, bold, 18, 10, width - 160, 2) : name;
  const nameTop = nameLines.lines.length > 1 ? height - 228 : height - 238;
  const nameBottom = centredLines(texts, nameLines.lines, nameTop, bold, nameLines.size, INK, 1.2);
  const statementTop = Math.min(height - 272, nameBottom - nameLines.size * 0.3 - 16);
  centredLines(
    texts,
    [
      "met the framework's entry requirements (qualification, insurance and Enhanced DBS check), passed the four",
      "mandatory modules and the report-writing task, and accepted the scope of practice and communication agreement.",
    ],
    statementTop,
    regular,
    11.5,
    INK,
    16 / 11.5,
  );

  // Modules passed: the title wraps in its column; the date and version sit in their own column.
  const modules = JSON.parse(cert.modules_json) as { title: string; passedAt: string; version: string }[];
  const factsTop = 112;
  const listTop = statementTop - 56;
  const titleColumn = { x: MARGIN_X, width: 360 };
  const dateX = titleColumn.x + titleColumn.width + 14;
  const dateWidth = qr.x - 16 - dateX;
  const placeModules = (size: number, dryRun: boolean): number => {
    let y = listTop - 18;
    for (const m of modules) {
      const lines = wrapText(m.title, regular, size, titleColumn.width);
      const dated = `${formatLongDate(m.passedAt)} · version ${versionLabel(m.version)}`;
      const dateSize = fitText(dated, regular, size - 1, 6, dateWidth, 1).size;
      if (!dryRun) texts.push(measured(dated, dateX, y, dateSize, regular, MUTED));
      for (const line of lines) {
        if (!dryRun) texts.push(measured(line, titleColumn.x, y, size, regular, INK));
        y -= size * 1.25;
      }
      y -= size * 0.35;
    }
    return y;
  };
  let moduleSize = 10;
  while (moduleSize > 6 && placeModules(moduleSize, true) < factsTop + 18) moduleSize -= 0.5;
  texts.push(measured("Modules passed", MARGIN_X, listTop, 11, bold, BRAND));
  placeModules(moduleSize, false);

  const facts: [string, string][] = [
    ["Issued", formatLongDate(cert.issued_at)],
    ["Expires", `${formatLongDate(cert.expires_on)} (${cert.expiry_basis})`],
    ["Certificate ID", cert.id],
  ];
  let y = factsTop;
  for (const [label, value] of facts) {
    texts.push(measured(label, MARGIN_X, y, 10, bold, BRAND));
    const fitted = fitText(value, regular, 10, 6, qr.x - 16 - 170, 1);
    texts.push(measured(fitted.lines.join(" "), 170, y, fitted.size, regular, INK));
    y -= 17;
  }
  const footWidth = qr.x - 16 - MARGIN_X;
  texts.push(measured("The status can change if evidence lapses. Always check the live page:", MARGIN_X, 50, 9, regular, MUTED));
  const url = fitText(verifyUrl, regular, 9, 5, footWidth, 1);
  texts.push(measured(url.lines.join(""), MARGIN_X, 37, url.size, regular, BRAND));
  const credential = `Signed credential (Open Badges 3.0, checkable by any standard verifier): ${verifyUrl}/credential`;
  const credentialSize = fitText(credential, regular, 8, 5, width - 24 - 8 - MARGIN_X, 1).size;
  texts.push(measured(credential, MARGIN_X, 27, credentialSize, regular, MUTED));
  texts.push(measured("Scan to verify", qr.x + 30, qr.y + qr.size + 6, 9, regular, MUTED));
  return { page: PAGE, texts, qr };
}

/** The embedded fonts' files (DejaVu Sans: Latin, Greek, Cyrillic and their diacritics). */
export async function embedFonts(pdf: PDFDocument) {
  pdf.registerFontkit((await import("@pdf-lib/fontkit")).default);
  return { regular: await pdf.embedFont(fontFiles().regular, { subset: true }), bold: await pdf.embedFont(fontFiles().bold, { subset: true }) };
}

/**
 * The certificate as an A4 landscape PDF, drawn from the issued snapshot only (never from live
 * profile data), with embedded fonts for any name and a QR code of the verification address.
 */
export async function renderCertificatePdf(cert: Certificate, verifyUrl: string): Promise<Uint8Array> {
  const pdf = await createPdf();
  pdf.setTitle(`Medical-Legal Approved Trainer certificate — ${cert.trainer_name}`);
  pdf.setAuthor(cert.issuer);
  pdf.setSubject(`Certificate ${cert.id}`);
  pdf.setCreationDate(new Date(cert.issued_at));
  const { regular, bold } = await embedFonts(pdf);
  const layout = layoutCertificate(cert, verifyUrl, regular, bold);
  const page = pdf.addPage([layout.page.width, layout.page.height]);
  const { width, height } = layout.page;

  // Frame and band.
  page.drawRectangle({ x: 0, y: height - 70, width, height: 70, color: BRAND });
  page.drawRectangle({ x: 24, y: 18, width: width - 48, height: height - 112, borderColor: BRAND, borderWidth: 1.5 });
  for (const t of layout.texts) page.drawText(t.text, { x: t.x, y: t.y, size: t.size, font: t.font, color: t.color });

  // QR code of the verification address, drawn as vector squares.
  const qr = (await import("qrcode")).default.create(verifyUrl, { errorCorrectionLevel: "M" });
  const modulesPerSide = qr.modules.size;
  const { x: qrX, y: qrY, size: box } = layout.qr;
  const quiet = 4;
  const cell = box / (modulesPerSide + quiet * 2);
  page.drawRectangle({ x: qrX, y: qrY, width: box, height: box, color: rgb(1, 1, 1) });
  for (let row = 0; row < modulesPerSide; row += 1) {
    for (let col = 0; col < modulesPerSide; col += 1) {
      if (qr.modules.get(row, col)) {
        page.drawRectangle({ x: qrX + (col + quiet) * cell, y: qrY + box - (row + quiet + 1) * cell, width: cell, height: cell, color: rgb(0, 0, 0) });
      }
    }
  }
  return pdf.save();
}

/** For tests: lays out a certificate with the real embedded fonts, without drawing it. */
export async function measureCertificateLayout(cert: Parameters<typeof layoutCertificate>[0], verifyUrl: string): Promise<CertificateLayout> {
  const pdf = await createPdf();
  const { regular, bold } = await embedFonts(pdf);
  return layoutCertificate(cert, verifyUrl, regular, bold);
}
