/** The supervision forms as pure rules (ADR 0026), run through `validate` in app/utils/forms.ts. */
import { z } from "zod";
import { addMonths, isCalendarDate } from "~/utils/dates";
import { validate } from "~/utils/forms";
import type { Result } from "~/utils/result";

export const MODES = { in_person: "In person", video: "Video call", phone: "Telephone" } as const;
export const TOPICS = {
  cases: "Cases discussed (without client-identifying details)",
  scope: "Scope of practice questions",
  wellbeing: "Wellbeing and debrief after distressing events",
  other: "Other professional matters",
} as const;
export type Topic = keyof typeof TOPICS;
export const TOPIC_KEYS = Object.keys(TOPICS) as Topic[];
/** Agreed actions a session can record (rows of the form). */
export const ACTION_ROWS = 3;

const keys = <T extends Record<string, string>>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];

const date = (label: string) =>
  z
    .string({ error: `Enter the ${label}.` })
    .trim()
    .min(1, `Enter the ${label}.`)
    .refine(isCalendarDate, `Enter the ${label} as a real date, like 2026-03-31.`);

/**
 * Things that identify a client and must not be in a supervision record: an email address, a
 * UK telephone number, an NHS number or a full postcode. A name cannot be recognised; the form's
 * hint asks for none.
 */
const IDENTIFYING: [RegExp, string][] = [
  [/[^\s@]+@[^\s@]+\.[^\s@]+/, "an email address"],
  [/(?:\+44\s?|\b0)(?:\d[\s-]?){9,10}\b/, "a telephone number"],
  [/\b\d{3}\s?\d{3}\s?\d{4}\b/, "an NHS number"],
  [/\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b/i, "a postcode"],
];

/** What in `text` looks client-identifying (for the message next to the field), or null. */
export function identifyingDetail(text: string): string | null {
  for (const [pattern, what] of IDENTIFYING) if (pattern.test(text)) return what;
  return null;
}

const summary = z
  .string({ error: "Summarise the session." })
  .trim()
  .min(10, "Summarise the session in at least 10 characters.")
  .max(4000, "Keep the summary to 4,000 characters or fewer.")
  .superRefine((text, ctx) => {
    const found = identifyingDetail(text);
    if (found) ctx.addIssue({ code: "custom", message: `Remove ${found}: supervision records hold no client-identifying details.` });
  });

const optionalText = z.string().trim().max(500, "Keep each action to 500 characters or fewer.").optional().default("");

export const sessionSchema = z
  .object({
    heldOn: date("date of the session"),
    mode: z.enum(keys(MODES), { error: "Choose how the session was held." }),
    topic_cases: z.string().optional(),
    topic_scope: z.string().optional(),
    topic_wellbeing: z.string().optional(),
    topic_other: z.string().optional(),
    summary,
    action1: optionalText,
    action1Due: z.string().trim().optional().default(""),
    action2: optionalText,
    action2Due: z.string().trim().optional().default(""),
    action3: optionalText,
    action3Due: z.string().trim().optional().default(""),
    nextDueOn: date("date the next session is due"),
  })
  .superRefine((v, ctx) => {
    for (const [path, message] of Object.entries(sessionCrossErrors(v))) ctx.addIssue({ code: "custom", path: [path], message });
  })
  .transform((v) => ({
    heldOn: v.heldOn,
    mode: v.mode,
    topics: TOPIC_KEYS.filter((t) => v[`topic_${t}`] === "on"),
    summary: v.summary,
    actions: [1, 2, 3].map((i) => ({ description: v[`action${i}` as "action1"], dueOn: v[`action${i}Due` as "action1Due"] })).filter((a) => a.description),
    nextDueOn: v.nextDueOn,
  }));
export type SessionInput = z.infer<typeof sessionSchema>;

/**
 * The checks across fields (a topic chosen; each action with its text and due date; the next
 * session after this one), on the raw form values, so they are reported with the field errors
 * even when another field fails (zod skips refinements of an object that did not parse).
 */
export function sessionCrossErrors(v: Record<string, string | undefined>): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!TOPIC_KEYS.some((t) => v[`topic_${t}`] === "on")) errors.topics = "Choose at least one topic discussed.";
  const heldOn = (v.heldOn ?? "").trim();
  for (let i = 1; i <= ACTION_ROWS; i++) {
    const text = (v[`action${i}`] ?? "").trim();
    const due = (v[`action${i}Due`] ?? "").trim();
    if (!text && !due) continue;
    const found = text ? identifyingDetail(text) : null;
    if (!text) errors[`action${i}`] = "Describe the action, or clear its due date.";
    else if (found) errors[`action${i}`] = `Remove ${found}: supervision records hold no client-identifying details.`;
    if (!due) errors[`action${i}Due`] = "Enter the date the action is due.";
    else if (!isCalendarDate(due)) errors[`action${i}Due`] = "Enter the due date as a real date, like 2026-03-31.";
    else if (isCalendarDate(heldOn) && due < heldOn) errors[`action${i}Due`] = "The action cannot be due before the session.";
  }
  const next = (v.nextDueOn ?? "").trim();
  if (isCalendarDate(heldOn) && isCalendarDate(next) && next <= heldOn) errors.nextDueOn = "The next session must be due after this one.";
  return errors;
}

/** The session form: the schema's field errors together with every cross-field error. */
export function validateSession(form: Record<string, string>): Result<SessionInput> {
  const parsed = validate(sessionSchema, form);
  if (parsed.ok) return parsed;
  const fieldErrors = { ...sessionCrossErrors(form), ...parsed.fieldErrors };
  return { ...parsed, fieldErrors };
}

/**
 * The checks that need today and the policy: a session is not in the future, and the next one is
 * due within the policy's interval of it. Field messages, empty when the input stands.
 */
export function sessionDateErrors(input: Pick<SessionInput, "heldOn" | "nextDueOn">, today: string, intervalMonths: number): Record<string, string> {
  const errors: Record<string, string> = {};
  if (input.heldOn > today) errors.heldOn = "The session cannot be in the future: record it once it has taken place.";
  const latest = addMonths(input.heldOn, intervalMonths);
  if (input.nextDueOn > latest) errors.nextDueOn = `Policy sets supervision at least every ${intervalMonths} month${intervalMonths === 1 ? "" : "s"}: the next session must be due by ${latest}.`;
  return errors;
}

export const assignSchema = z.object({
  supervisorId: z.string({ error: "Choose a supervisor." }).regex(/^\d{1,12}$/, "Choose a supervisor.").transform(Number),
});
