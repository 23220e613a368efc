import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Certificate } from "~db/schema";
import { listModules } from "~/content/catalog.server";
import { measureCertificateLayout, renderCertificatePdf, type CertificateLayout } from "~/certificates/pdf.server";

/**
 * The certificate PDF's layout, worst cases: the longest module title, a 60-character name with
 * diacritics, and absurdly long titles. Every text box is measured with the embedded font
 * (pdf-lib's widthOfTextAtSize); no two may overlap. The PDF is also rasterised with poppler's
 * `pdftoppm` (the screenshot the README names) and its words' boxes, as poppler reads them back
 * from the drawn PDF (`pdftotext -bbox`), must not overlap either: a check independent of the
 * layout's own arithmetic.
 */
const SCREENSHOTS = path.resolve("tests/.tmp/screenshots");
const NAME = "Zoë Ó Súilleabháin-Łukasiewicz Ðorđević Çelik Åsa Nguyễn Bảo";
const VERIFY_URL = "https://academy.example.org/verify/abcdefghijklmnopqrstuvwxyz234567";

function certificate(titles: string[], name = NAME): Certificate {
  const hashes = listModules().map((m) => m.contentHash);
  return {
    id: "abcdefghijklmnopqrstuvwxyz234567",
    user_id: 1,
    trainer_name: name,
    issued_at: "2026-11-29T10:00:00.000Z",
    expires_on: "2027-11-28",
    expiry_basis: "annual refresher date",
    validity_ends_on: "2028-11-28",
    agreement_version: "x",
    modules_json: JSON.stringify(titles.map((title, i) => ({ slug: `m${i}`, title, passedAt: "2026-11-29T09:00:00.000Z", version: hashes[i % hashes.length] }))),
    report_json: JSON.stringify({ releasedAt: "2026-11-28T09:00:00.000Z", version: "x" }),
    scope_json: JSON.stringify({ may: [], mayNot: [] }),
    issuer: "RMR Medical-Legal Personal Trainer Framework",
    eligibility_key: "x",
    // A current certificate: nothing superseded, suspended or revoked, no stored PDF yet.
    ...{ superseded_by: null, superseded_at: null, suspended_at: null, suspension_reason: null, suspended_by: null, suspension_category: null, revoked_at: null, revocation_reason: null, revoked_by: null, pdf: null, holder_erased_at: null },
  };
}

type Box = { left: number; bottom: number; right: number; top: number; label: string };
const overlaps = (a: Box, b: Box, tolerance = 0) =>
  a.left < b.right - tolerance && b.left < a.right - tolerance && a.bottom < b.top - tolerance && b.bottom < a.top - tolerance;

function overlappingPairs(boxes: Box[], tolerance = 0): string[] {
  const found: string[] = [];
  for (let i = 0; i < boxes.length; i += 1) for (let j = i + 1; j < boxes.length; j += 1) if (overlaps(boxes[i]!, boxes[j]!, tolerance)) found.push(`"${boxes[i]!.label}" × "${boxes[j]!.label}"`);
  return found;
}

function checkLayout(layout: CertificateLayout) {
  const boxes: Box[] = layout.texts.map((t) => ({ ...t.box, label: t.text }));
  boxes.push({ left: layout.qr.x, bottom: layout.qr.y, right: layout.qr.x + layout.qr.size, top: layout.qr.y + layout.qr.size, label: "(QR code)" });
  expect(overlappingPairs(boxes)).toEqual([]);
  for (const box of boxes) {
    expect(box.left, box.label).toBeGreaterThanOrEqual(24);
    expect(box.right, box.label).toBeLessThanOrEqual(layout.page.width - 24);
    expect(box.bottom, box.label).toBeGreaterThanOrEqual(18);
    expect(box.top, box.label).toBeLessThanOrEqual(layout.page.height);
  }
}

/** Renders, writes `<name>.pdf`, rasterises it to `<name>.png`, and returns poppler's word boxes. */
async function renderAndRead(cert: Certificate, name: string) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.pdf`);
  fs.writeFileSync(file, await renderCertificatePdf(cert, VERIFY_URL));
  execFileSync("pdftoppm", ["-png", "-r", "110", "-singlefile", file, path.join(SCREENSHOTS, name)]);
  const png = fs.readFileSync(path.join(SCREENSHOTS, `${name}.png`));
  // A PNG of an A4 landscape page at 110 dpi: about 1286 × 909 pixels.
  expect(png.subarray(1, 4).toString()).toBe("PNG");
  expect(Math.abs(png.readUInt32BE(16) - 1286)).toBeLessThanOrEqual(2);
  const bbox = execFileSync("pdftotext", ["-bbox", file, "-"]).toString();
  const words: Box[] = [...bbox.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    left: Number(m[1]),
    top: Number(m[2]),
    right: Number(m[3]),
    bottom: Number(m[4]),
    label: m[5]!,
  }));
  // poppler's y grows downwards: swap so "bottom < top" holds as in PDF space.
  const flipped = words.map((w) => ({ ...w, bottom: -w.bottom, top: -w.top }));
  const text = execFileSync("pdftotext", ["-layout", file, "-"]).toString();
  const fonts = execFileSync("pdffonts", [file]).toString();
  return { words: flipped, text, fonts };
}

describe("certificate PDF layout", () => {
  const longest = listModules()
    .map((m) => m.title)
    .sort((a, b) => b.length - a.length)[0]!;

  it("the longest module title and a 60-character name with diacritics: no two text boxes overlap, and the PDF reads back every character", async () => {
    expect([...NAME].length).toBe(60);
    expect(longest).toBe("Manual handling awareness and safe physical support within defined scope");
    const cert = certificate([longest, longest, longest, longest]);
    checkLayout(await measureCertificateLayout(cert, VERIFY_URL));

    const { words, text, fonts } = await renderAndRead(cert, "certificate");
    expect(words.length).toBeGreaterThan(50);
    // Poppler's boxes are the glyphs' full font boxes: a hair of tolerance for touching edges.
    expect(overlappingPairs(words, 0.5)).toEqual([]);
    // The embedded TrueType font (DejaVu Sans) encodes every character of the name: nothing
    // missing or replaced, as a standard WinAnsi font would (Ł, đ, ễ, ả are not in WinAnsi).
    expect(fonts).toMatch(/DejaVuSans-Bold\S*\s+CID TrueType\s+Identity-H\s+yes/);
    expect(text.replace(/\s+/g, " ")).toContain(NAME);
    // The bug this fixes: the title ran into the date ("scope29 November 2026").
    expect(text).not.toMatch(/scope\s?29 November/);
    expect(text).toContain("version 2026.");
  });

  it("titles and names far longer than any real one still fit without overlapping", async () => {
    const huge = "A module title far longer than any the framework has, written to prove that wrapping and shrinking hold for anything an author might write one day";
    const longName = `${NAME} ${NAME}`;
    const cert = certificate([huge, huge, huge, huge], longName);
    checkLayout(await measureCertificateLayout(cert, VERIFY_URL));
    const { words, text } = await renderAndRead(cert, "certificate-extreme");
    expect(overlappingPairs(words, 0.5)).toEqual([]);
    expect(text.replace(/\s+/g, " ")).toContain("Ðorđević");
  });
});
