/** Money is held as integer pence. Input is pounds, as a person writes them: "£5,000,000" or "1000000.00". */
const MONEY_PATTERN = /^£?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/;

/** Largest amount accepted: £10 billion, far above any trainer's cover, well inside a safe integer. */
export const MAX_PENCE = 10_000_000_000 * 100;

export function parsePounds(input: string): number | null {
  const match = MONEY_PATTERN.exec(input.trim());
  if (!match) return null;
  const pounds = Number(match[1]!.replace(/,/g, ""));
  const pence = Number((match[2] ?? "0").padEnd(2, "0"));
  const total = pounds * 100 + pence;
  return Number.isSafeInteger(total) && total <= MAX_PENCE ? total : null;
}

/** 500000000 → '£5,000,000'; pence are shown only when there are any. */
export function formatPence(pence: number): string {
  const pounds = Math.floor(pence / 100);
  const rest = pence % 100;
  return `£${pounds.toLocaleString("en-GB")}${rest ? `.${String(rest).padStart(2, "0")}` : ""}`;
}

/** For pre-filling a form field: 500000000 → '5,000,000'. */
export function penceToPoundsInput(pence: number): string {
  return formatPence(pence).slice(1);
}
