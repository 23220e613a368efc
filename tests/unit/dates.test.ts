import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { formatDate, formatMoment, formatTimeOfDay, londonDayOf } from "~/utils/dates";

/** Issue 16.14: one rule for every date a person sees: UK time, one style per kind. */
describe("one date and time rule", () => {
  // 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time): just after midnight UK time.
  const JUST_AFTER_MIDNIGHT_UK = "2026-06-30T23:30:00.000Z";

  it("shows an instant as the UK day, the same as a day and as a moment", () => {
    expect(formatMoment(JUST_AFTER_MIDNIGHT_UK)).toBe("1 July 2026, 00:30");
    expect(formatDate(JUST_AFTER_MIDNIGHT_UK)).toBe("1 July 2026");
    expect(formatDate(new Date(JUST_AFTER_MIDNIGHT_UK))).toBe("1 July 2026");
    expect(londonDayOf(JUST_AFTER_MIDNIGHT_UK)).toBe("2026-07-01");
    expect(formatTimeOfDay(JUST_AFTER_MIDNIGHT_UK)).toBe("00:30:00");
    // In winter UK time is UTC.
    expect(formatMoment("2026-11-29T21:12:00Z")).toBe("29 November 2026, 21:12");
    expect(formatDate("2026-11-29T23:59:00Z")).toBe("29 November 2026");
  });

  it("reads every moment right when one after another falls in the same minute, the next, or across the clocks changing", () => {
    // The last minute formatted is remembered (verification pages stamp the same minute again and again).
    const cases: [string, string][] = [
      ["2026-03-29T00:59:10Z", "29 March 2026, 00:59"],
      ["2026-03-29T00:59:59.999Z", "29 March 2026, 00:59"],
      // The clocks go forward at 01:00 UTC: the next minute is 02:00 in London.
      ["2026-03-29T01:00:00Z", "29 March 2026, 02:00"],
      ["2026-03-29T01:00:30Z", "29 March 2026, 02:00"],
      ["2026-03-29T01:01:00Z", "29 March 2026, 02:01"],
      ["2026-03-29T00:59:30Z", "29 March 2026, 00:59"],
      ["2026-10-25T00:59:00Z", "25 October 2026, 01:59"],
      // The clocks go back at 01:00 UTC: 01:00 again.
      ["2026-10-25T01:00:00Z", "25 October 2026, 01:00"],
      // Before 1970 (not remembered): London's own offsets, once 75 seconds behind UTC.
      ["1969-12-31T23:59:30Z", "1 January 1970, 00:59"],
      ["1800-01-01T00:00:10Z", "31 December 1799, 23:58"],
      ["1800-01-01T00:00:20Z", "31 December 1799, 23:59"],
      ["2026-10-25T01:00:59Z", "25 October 2026, 01:00"],
    ];
    for (const [instant, expected] of cases) expect(formatMoment(instant), instant).toBe(expected);
    for (const [instant, expected] of cases) expect(formatMoment(new Date(instant)), instant).toBe(expected);
  });

  it("shows a calendar date as that day, whatever the time zone", () => {
    expect(formatDate("2026-06-30")).toBe("30 June 2026");
    expect(formatDate("2026-03-01")).toBe("1 March 2026");
    expect(formatDate(null)).toBe("—");
    expect(formatDate("not a date")).toBe("—");
    expect(formatMoment(undefined)).toBe("—");
  });

  it("is the only place that formats dates: no other module picks a style or a time zone", () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (/\.tsx?$/.test(entry.name) && file !== path.join("app", "utils", "dates.ts")) {
          fs.readFileSync(file, "utf8")
            .split("\n")
            .forEach((line, index) => {
              if (/toLocaleDateString|toLocaleTimeString|DateTimeFormat|timeZone|dateStyle|timeStyle|toUTCString|toDateString/.test(line)) offenders.push(`${file}:${index + 1}: ${line.trim()}`);
            });
        }
      }
    };
    walk("app");
    expect(offenders).toEqual([]);
  });
});
