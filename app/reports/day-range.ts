import { isCalendarDate, ukToday } from "~/utils/dates";

/**
 * A range of UK days from `?from=&to=` (both optional, both included), as the report filters and
 * exports read it. Problems are written into `errors` against their field; a bad day reads as null.
 */
export function readDayRange(params: URLSearchParams, now: Date, errors: Record<string, string>): { from: string | null; to: string | null } {
  const day = (name: "from" | "to"): string | null => {
    const raw = (params.get(name) ?? "").trim();
    if (raw === "") return null;
    if (!isCalendarDate(raw)) {
      errors[name] = "Enter a real date, for example 2026-11-30.";
      return null;
    }
    if (raw > ukToday(now)) {
      errors[name] = "Enter a date that is today or earlier.";
      return null;
    }
    return raw;
  };
  const from = day("from");
  const to = day("to");
  if (from && to && from > to) errors.to = "The end date must be the same as or after the start date.";
  return { from, to };
}
