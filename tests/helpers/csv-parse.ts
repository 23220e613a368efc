/**
 * A strict RFC 4180 reader for tests: CRLF records, quoted fields with doubled quotes. Throws on
 * anything a conforming writer would not produce (a bare quote inside an unquoted field, an
 * unterminated quote, a lone LF), so a malformed export fails the test that reads it.
 */
export function parseCsv(text: string): string[][] {
  if (!text.startsWith("\uFEFF")) throw new Error("no UTF-8 byte order mark");
  const s = text.slice(1);
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  while (i < s.length) {
    let field = "";
    if (s[i] === '"') {
      i += 1;
      for (;;) {
        if (i >= s.length) throw new Error("unterminated quoted field");
        if (s[i] === '"') {
          if (s[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        field += s[i];
        i += 1;
      }
    } else {
      while (i < s.length && s[i] !== "," && s[i] !== "\r") {
        if (s[i] === '"' || s[i] === "\n") throw new Error(`unexpected ${JSON.stringify(s[i])} in an unquoted field at ${i}`);
        field += s[i];
        i += 1;
      }
    }
    record.push(field);
    if (s[i] === ",") {
      i += 1;
      continue;
    }
    if (s[i] === "\r" && s[i + 1] === "\n") {
      records.push(record);
      record = [];
      i += 2;
      continue;
    }
    throw new Error(`expected a comma or CRLF at ${i}`);
  }
  if (record.length > 0) throw new Error("the last record has no CRLF");
  return records;
}

/** Decodes UTF-8 keeping the byte order mark (TextDecoder and Response.text() drop it by default). */
export function decodeKeepingBom(bytes: Uint8Array | ArrayBuffer): string {
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
}
