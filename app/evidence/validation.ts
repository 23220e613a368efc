import { z } from "zod";
import { DBS_DECISIONS, DBS_STATUS_RESULTS, DBS_WORKFORCES, LIMIT_BASES, QUALIFICATION_KINDS } from "~db/schema";
import { addMonths, formatDate, isCalendarDate } from "~/utils/dates";
import { formatPence, parsePounds } from "~/utils/money";

/** Ofqual qualification numbers: three digits, four digits, one check character, e.g. 600/4941/8. */
export const QUALIFICATION_NUMBER_PATTERN = /^\d{3}\/\d{4}\/[0-9X]$/;
/** DBS certificate numbers are twelve digits. */
export const DBS_NUMBER_PATTERN = /^\d{12}$/;
/** The DBS was created on 1 December 2012; its certificates cannot be older. */
export const DBS_EARLIEST_ISSUE_DATE = "2012-12-01";

const PRINTABLE = /^[^\u0000-\u001f\u007f]*$/;

export const text = (label: string, max: number) =>
  z
    .string({ error: `Enter the ${label}.` })
    .trim()
    .min(
      1,
      // Stryker disable next-line StringLiteral: with an empty message zod falls back to the schema's own error, the same words.
      `Enter the ${label}.`,
    )
    .max(max, `The ${label} must be at most ${max} characters.`)
    .regex(PRINTABLE, `The ${label} cannot contain control characters.`);

const longText = (label: string, max: number) =>
  z
    .string({ error: `Enter the ${label}.` })
    .trim()
    .min(
      1,
      // Stryker disable next-line StringLiteral: with an empty message zod falls back to the schema's own error, the same words.
      `Enter the ${label}.`,
    )
    .max(max, `The ${label} must be at most ${max} characters.`)
    .refine((v) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v), `The ${label} cannot contain control characters.`);

/** A real calendar date, from an <input type="date"> (YYYY-MM-DD). */
export const dateField = (label: string) =>
  z
    .string({ error: `Enter the ${label}.` })
    .trim()
    .min(
      1,
      // Stryker disable next-line StringLiteral: with an empty message zod falls back to the schema's own error, the same words.
      `Enter the ${label}.`,
    )
    .refine(isCalendarDate, `Enter the ${label} as a real date, like 2025-03-31.`);

/**
 * The plausible range of every date a person types (issue 16.20), in one place: a date outside
 * it is almost always a typing slip (2999 for 2029), and is refused next to its field with the
 * limit spelt out. Months are counted from today.
 */
export const DATE_RANGES = {
  /** A qualification's issue date: from 1950, not in the future. */
  qualificationIssue: { earliest: "1950-01-01", monthsAhead: 0 },
  /** Insurance starts at most 3 years ago (cover runs a year or so) and at most 12 months ahead. */
  insuranceStart: { monthsBack: 36, monthsAhead: 12 },
  /** Insurance ends after it starts, not already past, and at most 3 years ahead. */
  insuranceEnd: { monthsAhead: 36 },
  /** A DBS certificate: issued since the DBS began (December 2012), not in the future. */
  dbsIssue: { earliest: DBS_EARLIEST_ISSUE_DATE, monthsAhead: 0 },
  /** An admin seeing the original, or an Update Service status check: within the last 12 months, not in the future. */
  dbsOriginalSeen: { monthsBack: 12, monthsAhead: 0 },
  dbsStatusCheck: { monthsBack: 12, monthsAhead: 0 },
} as const;

/** A real date between `earliest` and `latest` (inclusive), with a message naming the limit broken. */
const dateBetween = (label: string, earliest: string, latest: string, messages: { tooEarly: string; tooLate: string }) =>
  dateField(label)
    .refine((d) => d >= earliest, messages.tooEarly)
    .refine((d) => d <= latest, messages.tooLate);

const notAfterToday = (label: string) => `The ${label} must be today or in the past.`;
const withinMonthsBack = (label: string, months: number, earliest: string) =>
  `The ${label} must be within the last ${months} months (on or after ${formatDate(earliest)}): check the year.`;

const moneyField = (label: string, minimumPence: number) =>
  z
    .string({ error: `Enter the ${label} limit.` })
    .trim()
    .min(
      1,
      // Stryker disable next-line StringLiteral: with an empty message zod falls back to the schema's own error, the same words.
      `Enter the ${label} limit.`,
    )
    .transform((value, ctx) => {
      const pence = parsePounds(value);
      if (pence === null) {
        ctx.addIssue({
          // Stryker disable next-line StringLiteral: the issue code is read by nobody; the form shows the message.
          code: "custom",
          message: `Enter the ${label} limit in pounds, like 5,000,000.`,
        });
        return z.NEVER;
      }
      if (pence < minimumPence) {
        ctx.addIssue({
          // Stryker disable next-line StringLiteral: the issue code is read by nobody; the form shows the message.
          code: "custom",
          message: `The ${label} limit must be at least ${formatPence(minimumPence)} (the academy's minimum cover).`,
        });
        return z.NEVER;
      }
      return pence;
    });

const checkbox = z
  .string()
  .optional()
  .transform((v) => v === "on" || v === "yes" || v === "1");

// ---------------------------------------------------------------------------------------------

export const QUALIFICATION_KIND_LABELS: Record<(typeof QUALIFICATION_KINDS)[number], string> = {
  personal_training: "Personal training qualification",
  other: "Other fitness qualification",
};

export function qualificationSchema(today: string) {
  return z.object({
    kind: z.enum(QUALIFICATION_KINDS, { error: "Choose whether this is a personal training qualification." }),
    level: z
      .string({ error: "Choose the qualification level." })
      .regex(/^[2-8]$/, "Choose the qualification level (2 to 8).")
      .transform(Number),
    awardingOrganisation: text("awarding organisation", 120),
    title: text("qualification title", 200),
    qualificationNumber: z
      .string({ error: "Enter the qualification number." })
      .trim()
      .min(
        1,
        // Stryker disable next-line StringLiteral: with an empty message zod falls back to the schema's own error, the same words.
        "Enter the qualification number.",
      )
      .transform((v) =>
        v.toUpperCase().replace(
          // Stryker disable next-line Regex: removing each whitespace character or each run of them leaves the same string (equivalent).
          /\s+/g,
          "",
        ),
      )
      .refine((v) => QUALIFICATION_NUMBER_PATTERN.test(v), "Enter the qualification number as it appears on the certificate, like 600/4941/8."),
    certificateNumber: text("certificate number", 60).refine((v) => /^[A-Za-z0-9][A-Za-z0-9 /.-]*$/.test(v), "Certificate numbers use letters, digits, spaces, slashes, dots and hyphens only."),
    issueDate: dateBetween("issue date", DATE_RANGES.qualificationIssue.earliest, today, {
      tooEarly: `Check the issue date: it is before ${formatDate(DATE_RANGES.qualificationIssue.earliest)}.`,
      tooLate: notAfterToday("issue date"),
    }),
  });
}

/** A qualification issued more than five years ago needs evidence of recent CPD. */
export function needsCpdEvidence(issueDate: string, today: string): boolean {
  return issueDate < addMonths(today, -60);
}

export const LIMIT_BASIS_LABELS: Record<(typeof LIMIT_BASES)[number], string> = {
  per_occurrence: "Per occurrence (any one claim)",
  aggregate: "Aggregate (total for the policy period)",
};

export function insuranceSchema(today: string, minimums: { publicLiabilityPence: number; professionalIndemnityPence: number }) {
  return z
    .object({
      insurer: text("insurer's name", 120),
      policyNumber: text("policy number", 60).refine((v) => /^[A-Za-z0-9][A-Za-z0-9 /.-]*$/.test(v), "Policy numbers use letters, digits, spaces, slashes, dots and hyphens only."),
      publicLiability: moneyField("public liability", minimums.publicLiabilityPence),
      professionalIndemnity: moneyField("professional indemnity", minimums.professionalIndemnityPence),
      limitBasis: z.enum(LIMIT_BASES, { error: "Choose whether the limits are per occurrence or aggregate." }),
      coveredActivities: longText("covered activities", 1000),
      territory: text("territory", 120),
      startDate: dateBetween("start date", addMonths(today, -DATE_RANGES.insuranceStart.monthsBack), addMonths(today, DATE_RANGES.insuranceStart.monthsAhead), {
        tooEarly: `The start date must be within the last 3 years (on or after ${formatDate(addMonths(today, -DATE_RANGES.insuranceStart.monthsBack))}): upload your current policy.`,
        tooLate: `The start date must be within the next 12 months (by ${formatDate(addMonths(today, DATE_RANGES.insuranceStart.monthsAhead))}).`,
      }),
      // Before the start, or already past: insuranceDateProblem, reported with the other fields.
      endDate: dateField("end date").refine(
        (d) => d <= addMonths(today, DATE_RANGES.insuranceEnd.monthsAhead),
        `The end date must be within 3 years from today (by ${formatDate(addMonths(today, DATE_RANGES.insuranceEnd.monthsAhead))}): check the year.`,
      ),
    })
    .superRefine((v, ctx) => {
      const message = insuranceDateProblem(v.startDate, v.endDate, today);
      if (message) ctx.addIssue({
        // Stryker disable next-line StringLiteral: the issue code is read by nobody; the form shows the message.
        code: "custom",
        path: ["endDate"], message,
      });
    });
}

function insuranceDateProblem(startDate: string, endDate: string, today: string): string | null {
  if (endDate <= startDate) return "The end date must be after the start date.";
  if (endDate < today) return "This policy has already ended. Upload your current policy.";
  return null;
}

/**
 * Checks that involve more than one field, run on the raw input so that they are reported
 * together with every other field's error (zod skips object refinements while a field fails).
 */
export function insuranceCrossFieldErrors(input: Record<string, string | undefined>, today: string): Record<string, string> {
  // Stryker disable next-line StringLiteral: a missing date only has to fail isCalendarDate below; any non-date text does (equivalent).
  const start = input.startDate?.trim() ?? "";
  // Stryker disable next-line StringLiteral: as above.
  const end = input.endDate?.trim() ?? "";
  if (!isCalendarDate(start) || !isCalendarDate(end)) return {};
  const message = insuranceDateProblem(start, end, today);
  return message ? { endDate: message } : {};
}

export function dbsCrossFieldErrors(input: Record<string, string | undefined>): Record<string, string> {
  const ticked = (v: string | undefined) => v === "on" || v === "yes" || v === "1";
  const errors: Record<string, string> = {};
  if (input.updateService === "yes" && !ticked(input.statusCheckConsent)) errors.statusCheckConsent = DBS_CONSENT_MESSAGE;
  if (!ticked(input.willShowOriginal)) errors.willShowOriginal = DBS_SHOW_ORIGINAL_MESSAGE;
  return errors;
}

const DBS_CONSENT_MESSAGE = "Give consent to status checks, or choose that you do not subscribe to the Update Service.";
const DBS_SHOW_ORIGINAL_MESSAGE = "Confirm that you will show the original certificate to an assessor.";

export const WORKFORCE_LABELS: Record<(typeof DBS_WORKFORCES)[number], string> = {
  adult: "Adult workforce",
  child: "Child workforce",
  both: "Child and adult workforce",
};

export function dbsSchema(today: string) {
  return z
    .object({
      certificateNumber: z
        .string({ error: "Enter the 12-digit certificate number." })
        .transform((v) => v.replace(/[\s-]/g, ""))
        .refine((v) => v.length > 0, "Enter the 12-digit certificate number.")
        .refine((v) => DBS_NUMBER_PATTERN.test(v), "The certificate number is 12 digits, printed at the top right of the certificate."),
      issueDate: dateBetween("issue date", DATE_RANGES.dbsIssue.earliest, today, {
        tooEarly: "DBS certificates were first issued in December 2012: check the issue date.",
        tooLate: notAfterToday("issue date"),
      }),
      adultsBarredList: checkbox,
      childrenBarredList: checkbox,
      workforce: z.enum(DBS_WORKFORCES, { error: "Choose the workforce shown on the certificate." }),
      updateService: z.enum(["yes", "no"], { error: "Say whether you subscribe to the DBS Update Service." }),
      statusCheckConsent: checkbox,
      willShowOriginal: checkbox,
    })
    .superRefine((v, ctx) => {
      if (v.updateService === "yes" && !v.statusCheckConsent) {
        ctx.addIssue({
          // Stryker disable next-line StringLiteral: the issue code is read by nobody; the form shows the message.
          code: "custom",
          path: ["statusCheckConsent"], message: DBS_CONSENT_MESSAGE,
        });
      }
      if (!v.willShowOriginal) {
        ctx.addIssue({
          // Stryker disable next-line StringLiteral: the issue code is read by nobody; the form shows the message.
          code: "custom",
          path: ["willShowOriginal"], message: DBS_SHOW_ORIGINAL_MESSAGE,
        });
      }
    });
}

// ---------------------------------------------------------------------------------------------
// Staff decisions

export const verificationDecisionSchema = z.discriminatedUnion(
  "decision",
  [
    z.object({ decision: z.literal("accept") }),
    z.object({
      decision: z.literal("reject"),
      reason: z
        .string({ error: "Give the reason for rejecting, so the trainer can put it right." })
        .trim()
        .min(10, "Give the reason for rejecting in at least 10 characters, so the trainer can put it right.")
        .max(1000, "Keep the reason to 1,000 characters or fewer."),
    }),
  ],
  { error: "Choose accept or reject." },
);

export const DBS_DECISION_LABELS: Record<(typeof DBS_DECISIONS)[number], string> = {
  suitable: "Suitable",
  not_suitable: "Not suitable",
  needs_review: "Needs review",
};

/**
 * The three results the DBS Update Service gives for a status check (paraphrased from the
 * DBS employer guide).
 */
export const DBS_STATUS_RESULT_LABELS: Record<(typeof DBS_STATUS_RESULTS)[number], string> = {
  current: "No new information: the certificate remains current (no further information identified since issue)",
  not_current: "Not current: new information exists; the trainer must apply for a new DBS check",
  no_match: "Details do not match: the Update Service cannot give a status for these details",
};

export function dbsDecisionSchema(today: string) {
  return z.object({
    decision: z.enum(DBS_DECISIONS, { error: "Choose suitable, not suitable or needs review." }),
    originalSeenOn: dateBetween("date the original certificate was seen", addMonths(today, -DATE_RANGES.dbsOriginalSeen.monthsBack), today, {
      tooEarly: withinMonthsBack("date the original certificate was seen", DATE_RANGES.dbsOriginalSeen.monthsBack, addMonths(today, -DATE_RANGES.dbsOriginalSeen.monthsBack)),
      tooLate: notAfterToday("date the original certificate was seen"),
    }),
    originalSeenBy: z
      .string({ error: "Choose who saw the original certificate." })
      .regex(
        /^\d+$/,
        // Stryker disable next-line StringLiteral: with an empty message zod falls back to the schema's own error, the same words.
        "Choose who saw the original certificate.",
      )
      .transform(Number),
  });
}

export function dbsStatusCheckSchema(today: string) {
  return z.object({
    checkedOn: dateBetween("date of the status check", addMonths(today, -DATE_RANGES.dbsStatusCheck.monthsBack), today, {
      tooEarly: withinMonthsBack("date of the status check", DATE_RANGES.dbsStatusCheck.monthsBack, addMonths(today, -DATE_RANGES.dbsStatusCheck.monthsBack)),
      tooLate: notAfterToday("date of the status check"),
    }),
    result: z.enum(DBS_STATUS_RESULTS, { error: "Choose the result the Update Service gave." }),
  });
}
