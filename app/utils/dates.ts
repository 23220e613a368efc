/**
 * Calendar dates ('YYYY-MM-DD') for entry requirements. Expiry, re-check and retention rules
 * compare these as text, which sorts correctly; "today" for every rule is the UK date (`ukToday`).
 * The arithmetic below (addDays, addMonths) works on the calendar, with UTC midnight as its carrier.
 */
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(value: string): boolean {
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The UTC calendar date of an instant: calendar arithmetic only; a rule's "today" is `ukToday`. */
export function dateOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return dateOf(d);
}

/** Adds calendar months, clamping to the last day of a shorter month (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const targetMonthIndex = m - 1 + months;
  const year = y + Math.floor(targetMonthIndex / 12);
  const month = ((targetMonthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return dateOf(new Date(Date.UTC(year, month, Math.min(d, lastDay))));
}

/** Adds calendar months to an instant (keeps the time of day). */
export function addMonthsToInstant(instant: Date, months: number): Date {
  const date = addMonths(dateOf(instant), months);
  return new Date(`${date}${instant.toISOString().slice(10)}`);
}

/**
 * One rule for every date a person sees (issue 16.14): UK time (Europe/London), one style per kind.
 * - a day: "29 November 2026" (`formatDate`);
 * - a moment: "29 November 2026, 21:12" (`formatMoment`);
 * - a time of day on its own (the editor's "saved at"): "21:12:05" (`formatTimeOfDay`).
 * No ISO dates and no other styles in the interface, emails or PDFs; `<input type="date">` values
 * are the only YYYY-MM-DD a person meets. A calendar date ('2026-03-01', stored as typed) is the
 * day itself; an instant is shown as the day it was in the UK, so an event at 23:30 UTC in summer
 * (00:30 the next day in London) shows the next day everywhere, as a moment and as a day.
 */
const DAY_UTC = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
const DAY_LONDON = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/London" });
const TIME_LONDON = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hour12: false, timeZone: "Europe/London" });
const TIME_SECONDS_LONDON = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false, timeZone: "Europe/London" });

const instantOf = (value: string | Date): Date | null => {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
};

/** A day: '2026-03-01' → '1 March 2026'; an instant → the day it was in the UK. */
export function formatDate(date: string | Date | null | undefined): string {
  if (!date) return "—";
  if (typeof date === "string" && DATE_PATTERN.test(date)) {
    const d = instantOf(`${date}T00:00:00Z`);
    return d ? DAY_UTC.format(d) : "—";
  }
  const d = instantOf(date);
  return d ? DAY_LONDON.format(d) : "—";
}

/**
 * The last moment formatted, by its minute: pages stamped "generated at" (verification pages)
 * format the same minute again and again, and the two Intl calls were about 4% of such a request's
 * CPU (issue 14). Only since 1970, when every UK offset has been whole hours, so two instants in
 * the same UTC minute read the same in London.
 */
let lastMoment: { minute: number; text: string } | null = null;

/** A moment: an instant → '29 November 2026, 21:12' (UK time). */
export function formatMoment(instant: string | Date | null | undefined): string {
  if (!instant) return "—";
  const d = instantOf(instant);
  if (!d) return "—";
  const minute = Math.floor(d.getTime() / 60_000);
  if (lastMoment?.minute === minute) return lastMoment.text;
  const text = `${DAY_LONDON.format(d)}, ${TIME_LONDON.format(d)}`;
  if (minute >= 0) lastMoment = { minute, text };
  return text;
}

const DAY_PARTS_LONDON = new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit", timeZone: "Europe/London" });

/** The UK calendar day of an instant, as 'YYYY-MM-DD' (for data that names a day, like a certificate's issue day). */
export function londonDayOf(instant: string | Date): string {
  const d = instantOf(instant);
  return d ? DAY_PARTS_LONDON.format(d) : "";
}

/**
 * Today as the person typing a date sees it: the UK day. Typed dates ("issue date", "date the
 * original was seen") are checked against this, so at 00:30 on 1 July (UK summer time, still
 * 30 June in UTC) "today" is 1 July.
 */
export function ukToday(now: Date): string {
  return londonDayOf(now);
}

/** A time of day on its own, with seconds: '21:12:05' (UK time). */
export function formatTimeOfDay(instant: string | Date): string {
  const d = instantOf(instant);
  return d ? TIME_SECONDS_LONDON.format(d) : "—";
}

/**
 * The instant a UK calendar day begins ('2026-07-01' → 2026-06-30T23:00:00Z in summer time), for
 * "from day A to day B" filters over stored instants. Clocks change at 01:00 UTC, never at
 * midnight, so the day's first moment is always 00:00 UTC or 23:00 UTC the day before.
 */
export function londonDayStart(date: string): Date {
  const midnightUtc = new Date(`${date}T00:00:00Z`);
  const hourBefore = new Date(midnightUtc.getTime() - 3_600_000);
  return londonDayOf(hourBefore) === date ? hourBefore : midnightUtc;
}

const DATE_TIME_PARTS_LONDON = new Intl.DateTimeFormat("en-GB", {
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
  timeZone: "Europe/London",
});

/**
 * An instant as UK local time for data files (CSV exports), in a form spreadsheets sort and
 * parse: '2026-11-30 09:12:05'. Not for the interface, which uses `formatMoment`.
 */
export function londonDateTimeOf(instant: string | Date | null): string | null {
  if (!instant) return null;
  const d = instantOf(instant);
  if (!d) return null;
  const p = Object.fromEntries(DATE_TIME_PARTS_LONDON.formatToParts(d).map((part) => [part.type, part.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** The hour of the day in the UK (0–23) at an instant. */
export function londonHourOf(instant: Date): number {
  return Number(DATE_TIME_PARTS_LONDON.formatToParts(instant).find((part) => part.type === "hour")?.value ?? 0);
}

const MONTH_UTC = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });

/** A calendar month: '2026-03' → 'March 2026'. */
export function formatMonth(month: string): string {
  const d = instantOf(`${month}-01T00:00:00Z`);
  return d ? MONTH_UTC.format(d) : "—";
}
