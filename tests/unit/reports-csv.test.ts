/**
 * CSV exports (issue 15): RFC 4180 quoting, a byte order mark, and formula injection neutralised.
 */
import { describe, expect, it } from "vitest";
import { csvDocument, csvField, csvRecord, csvStream } from "~/reports/csv";
import { decodeKeepingBom, parseCsv } from "../helpers/csv-parse";

describe("csvField", () => {
  it("leaves plain text and numbers alone", () => {
    expect(csvField("Jane Smith")).toBe("Jane Smith");
    expect(csvField(42)).toBe("42");
    expect(csvField(-3)).toBe("-3");
    expect(csvField(0.5)).toBe("0.5");
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
    expect(csvField(Number.NaN)).toBe("");
  });

  it("quotes commas, quotes, line breaks and edge spaces, doubling quotes", () => {
    expect(csvField("Smith, Jane")).toBe('"Smith, Jane"');
    expect(csvField('She said "no"')).toBe('"She said ""no"""');
    expect(csvField("line one\nline two")).toBe('"line one\nline two"');
    expect(csvField("a\r\nb")).toBe('"a\r\nb"');
    expect(csvField(" padded ")).toBe('" padded "');
  });

  it.each([
    ["=HYPERLINK(\"http://evil.example\",\"Click\")", `"'=HYPERLINK(""http://evil.example"",""Click"")"`],
    ["+44 20 7946 0000", `"'+44 20 7946 0000"`],
    ["-2+3", `"'-2+3"`],
    ["@SUM(A1:A9)", `"'@SUM(A1:A9)"`],
    ["\t=1+1", `"'\t=1+1"`],
    ["\r=1+1", `"'\r=1+1"`],
  ])("neutralises a cell a spreadsheet would run as a formula: %j", (value, expected) => {
    expect(csvField(value)).toBe(expected);
    // Read back, the cell is the text with a leading apostrophe, never the formula.
    expect(parseCsv("\uFEFF" + csvRecord([value]))[0]![0]).toBe(`'${value}`);
  });

  it("keeps non-ASCII names exactly (UTF-8), with the byte order mark first", async () => {
    const doc = csvDocument(["Name"], [["Zoë Łukasiewicz-Ó Briain"], ["Siân Møller"]]);
    expect(doc.charCodeAt(0)).toBe(0xfeff);
    const bytes = new TextEncoder().encode(doc);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(parseCsv(decodeKeepingBom(bytes))).toEqual([["Name"], ["Zoë Łukasiewicz-Ó Briain"], ["Siân Møller"]]);
  });
});

describe("csvStream", () => {
  async function* batches() {
    yield [["1", "a, b"], ["2", "=cmd"]];
    yield [];
    yield [["3", 'q"q']];
  }

  it("writes the header then each batch, every record ended by CRLF", async () => {
    let counted = -1;
    const text = decodeKeepingBom(await new Response(csvStream(["id", "value"], batches(), (n) => (counted = n))).arrayBuffer());
    expect(parseCsv(text)).toEqual([
      ["id", "value"],
      ["1", "a, b"],
      ["2", "'=cmd"],
      ["3", 'q"q'],
    ]);
    expect(text.endsWith("\r\n")).toBe(true);
    expect(counted).toBe(3);
  });

  it("pulls a batch only when the reader asks for more", async () => {
    let pulled = 0;
    async function* counting() {
      for (let i = 0; i < 100; i += 1) {
        pulled += 1;
        yield [[i]];
      }
    }
    const reader = csvStream(["n"], counting()).getReader();
    await reader.read(); // header
    await reader.read(); // first batch
    // The stream keeps at most one chunk ahead of the reader, never the whole export.
    expect(pulled).toBeLessThanOrEqual(3);
    await reader.cancel();
  });
});
