import { z } from "zod";
import type { DbsSeenHow } from "~db/schema";
import { DBS_SEEN_HOW } from "~db/schema";
import { addDays, addMonths, formatDate, isCalendarDate } from "~/utils/dates";
import { DATE_RANGES, DBS_NUMBER_PATTERN, dateField } from "./validation";

/*
 * Showing the original DBS certificate (issue 13 item 5, ADR 0037): the forms' rules. The
 * assessor who sees the original records the day, how, and the number read from it, which is
 * compared with the number the trainer recorded and never stored or shown.
 */

export const SEEN_HOW_LABELS: Record<DbsSeenHow, string> = {
  in_person: "In person",
  video: "By video call, with the certificate held to the camera",
};

/** How a slot is held, as the trainer reads it. */
export const SLOT_METHOD_LABELS: Record<DbsSeenHow, string> = {
  in_person: "In person",
  video: "Video call",
};

/** Slots are offered from tomorrow up to this many days ahead. */
export const SLOT_DAYS_AHEAD = 90;

const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;
const PRINTABLE = /^[^\u0000-\u001f\u007f]*$/;

const shortText = (label: string, max: number, required: boolean) => {
  const base = z
    .string()
    .trim()
    .max(max, `The ${label} must be at most ${max} characters.`)
    .regex(PRINTABLE, `The ${label} cannot contain control characters.`);
  return required ? base.min(1, `Enter the ${label}.`) : base;
};

/** An assessor offers a time: a day from tomorrow, a time, in person or by video, and where or how. */
export function viewingSlotSchema(today: string) {
  const first = addDays(today, 1);
  const last = addDays(today, SLOT_DAYS_AHEAD);
  return z.object({
    day: dateField("day")
      .refine((d) => d >= first, `Offer a day from tomorrow (${formatDate(first)}) onwards.`)
      .refine((d) => d <= last, `Offer a day within the next ${SLOT_DAYS_AHEAD} days (by ${formatDate(last)}).`),
    time: z
      .string({ error: "Enter the time, like 10:30." })
      .trim()
      .regex(TIME_PATTERN, "Enter the time as hours and minutes, like 10:30."),
    method: z.enum(DBS_SEEN_HOW, { error: "Choose in person or video call." }),
    place: shortText("place or how to join", 200, true),
  });
}

/** A trainer asks to be contacted instead of booking a time. The note is optional. */
export const contactRequestSchema = z.object({
  note: shortText("note", 500, false).optional().default(""),
});

/** The assessor's record: the day, how, and the certificate number read from the original. */
export function originalSeenSchema(today: string) {
  const earliest = addMonths(today, -DATE_RANGES.dbsOriginalSeen.monthsBack);
  return z.object({
    seenOn: dateField("date you saw the original certificate")
      .refine((d) => d >= earliest, `The date you saw the original must be within the last ${DATE_RANGES.dbsOriginalSeen.monthsBack} months (on or after ${formatDate(earliest)}).`)
      .refine((d) => d <= today, "The date you saw the original must be today or in the past."),
    how: z.enum(DBS_SEEN_HOW, { error: "Choose how you saw the original certificate." }),
    certificateNumber: z
      .string({ error: "Enter the 12-digit certificate number printed on the original." })
      .transform((v) => v.replace(/\s+/g, ""))
      .refine((v) => DBS_NUMBER_PATTERN.test(v), "Enter the 12-digit certificate number printed on the original."),
  });
}

/** "3 December 2026 at 10:30" from a slot's stored UK local time. */
export function formatSlotTime(startsAt: string): string {
  const [day, time] = startsAt.split("T");
  return day && isCalendarDate(day) && time ? `${formatDate(day)} at ${time}` : startsAt;
}
