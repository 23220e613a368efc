/**
 * CSV as spreadsheets expect it (RFC 4180): fields separated by commas, records ended by CRLF,
 * fields quoted when they hold a comma, a quote, a line break or edge spaces, quotes doubled.
 * The file starts with a UTF-8 byte order mark so Excel reads non-ASCII names correctly.
 *
 * Formula injection (CWE-1236) is neutralised: a text cell starting with `=`, `+`, `-`, `@`, a
 * tab or a carriage return would run as a formula when opened, so it gets a leading apostrophe
 * (shown as text by Excel, LibreOffice and Google Sheets) and is always quoted. Numbers the
 * academy itself produces are written as numbers. Pure: no I/O.
 */

export const CSV_BOM = "\uFEFF";

export type CsvValue = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One field, escaped. Null and undefined are empty fields. */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return "";
    return String(value);
  }
  if (FORMULA_START.test(value)) return `"'${value.replace(/"/g, '""')}"`;
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One record with its CRLF. */
export function csvRecord(values: readonly CsvValue[]): string {
  return values.map(csvField).join(",") + "\r\n";
}

/** A whole document (header first), for small tables and tests. */
export function csvDocument(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  let out = CSV_BOM + csvRecord(header);
  for (const row of rows) out += csvRecord(row);
  return out;
}

/**
 * A streamed document: the body pulls the next batch of records only when the client has read
 * the previous one, so memory stays constant however many rows there are.
 */
export function csvStream(header: readonly string[], batches: AsyncIterable<readonly (readonly CsvValue[])[]>, onDone?: (rows: number) => void): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = batches[Symbol.asyncIterator]();
  let rows = 0;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(CSV_BOM + csvRecord(header)));
        return;
      }
      try {
        const next = await iterator.next();
        if (next.done) {
          onDone?.(rows);
          controller.close();
          return;
        }
        rows += next.value.length;
        let chunk = "";
        for (const row of next.value) chunk += csvRecord(row);
        controller.enqueue(encoder.encode(chunk));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await iterator.return?.();
    },
  }, { highWaterMark: 1 });
}
