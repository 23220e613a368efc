import { z } from "zod";
import { parsePounds } from "~/utils/money";

/** Admin-set rules for entry requirements. Stored in `policy_setting`; these are the defaults. */
export interface EntryPolicy {
  minPublicLiabilityPence: number;
  minProfessionalIndemnityPence: number;
  dbsRecheckMonths: number;
  warningWindowDays: number;
  dbsRetentionMonths: number;
  /** How long a certificate is valid after issue, at most (insurance and DBS dates may end it sooner). */
  certificateValidityMonths: number;
  /** Days a certified trainer has to accept a new agreement version before the certificate reads suspended. */
  agreementReacceptanceDays: number;
  /** Months between supervision sessions, at most (ADR 0026); a supervisor may set a sooner date. */
  supervisionIntervalMonths: number;
  /** Days after the due date before supervision counts as overdue (0: overdue the day after). */
  supervisionGraceDays: number;
  /** 1: overdue supervision suspends the certificate ("supervision overdue"); 0 (the default): it is only flagged. */
  supervisionSuspendsWhenOverdue: number;
  /**
   * 1: a trainer told of a concern about them is also told who raised it (name, organisation and
   * relationship, never the email address); 0 (the default): never who raised it (ADR 0030).
   */
  concernRaiserSharedWithTrainer: number;
  /**
   * 1 (the default): admins and assessors must sign in with a second factor, and one without is
   * sent to set it up before any staff page (ADR 0032); 0: optional for staff as for trainers.
   */
  twoFactorRequiredForStaff: number;
}

export const DEFAULT_POLICY: EntryPolicy = {
  minPublicLiabilityPence: 5_000_000 * 100,
  minProfessionalIndemnityPence: 1_000_000 * 100,
  dbsRecheckMonths: 12,
  warningWindowDays: 30,
  dbsRetentionMonths: 6,
  certificateValidityMonths: 12,
  agreementReacceptanceDays: 30,
  supervisionIntervalMonths: 3,
  supervisionGraceDays: 14,
  supervisionSuspendsWhenOverdue: 0,
  concernRaiserSharedWithTrainer: 0,
  twoFactorRequiredForStaff: 1,
};

/** The column `policy_setting.key` for each setting. */
export const POLICY_KEYS: Record<keyof EntryPolicy, string> = {
  minPublicLiabilityPence: "min_public_liability_pence",
  minProfessionalIndemnityPence: "min_professional_indemnity_pence",
  dbsRecheckMonths: "dbs_recheck_months",
  warningWindowDays: "warning_window_days",
  dbsRetentionMonths: "dbs_retention_months",
  certificateValidityMonths: "certificate_validity_months",
  agreementReacceptanceDays: "agreement_reacceptance_days",
  supervisionIntervalMonths: "supervision_interval_months",
  supervisionGraceDays: "supervision_grace_days",
  supervisionSuspendsWhenOverdue: "supervision_suspends_when_overdue",
  concernRaiserSharedWithTrainer: "concern_raiser_shared_with_trainer",
  twoFactorRequiredForStaff: "two_factor_required_for_staff",
};

const poundsField = (label: string) =>
  z
    .string({ error: `Enter the minimum ${label} cover.` })
    .trim()
    .min(
      1,
      // Stryker disable next-line StringLiteral: with an empty message zod falls back to the schema's own error, the same words.
      `Enter the minimum ${label} cover.`,
    )
    .transform((value, ctx) => {
      const pence = parsePounds(value);
      if (
        // Stryker disable next-line ConditionalExpression: `pence === null` -> false is equivalent (null <= 0 is true, so the next test refuses a null too). The whole condition's true/false replacements start on this line and are disabled with it; "needs cover of at least a penny" fails on each (checked by hand).
        pence === null ||
        pence <= 0
      ) {
        ctx.addIssue({
          // Stryker disable next-line StringLiteral: the issue code is read by nobody; the form shows the message.
          code: "custom",
          message: `Enter the minimum ${label} cover in pounds, like 5,000,000.`,
        });
        return z.NEVER;
      }
      return pence;
    });

const wholeNumber = (label: string, min: number, max: number) =>
  z
    .string({ error: `Enter the ${label}.` })
    .trim()
    .min(
      1,
      // Stryker disable next-line StringLiteral: with an empty message zod falls back to the schema's own error, the same words.
      `Enter the ${label}.`,
    )
    .regex(/^\d+$/, `Enter the ${label} as a whole number.`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `The ${label} must be between ${min} and ${max}.`);

export const policySchema = z.object({
  minPublicLiabilityPence: poundsField("public liability"),
  minProfessionalIndemnityPence: poundsField("professional indemnity"),
  dbsRecheckMonths: wholeNumber("DBS re-check interval", 1, 60),
  warningWindowDays: wholeNumber("warning window", 1, 180),
  dbsRetentionMonths: wholeNumber("DBS detail retention period", 1, 24),
  certificateValidityMonths: wholeNumber("certificate validity period", 1, 36).default(DEFAULT_POLICY.certificateValidityMonths),
  agreementReacceptanceDays: wholeNumber("agreement re-acceptance window", 1, 180).default(DEFAULT_POLICY.agreementReacceptanceDays),
  supervisionIntervalMonths: wholeNumber("supervision interval", 1, 12).default(DEFAULT_POLICY.supervisionIntervalMonths),
  supervisionGraceDays: wholeNumber("supervision grace period", 0, 90).default(DEFAULT_POLICY.supervisionGraceDays),
  // A checkbox: sent as "on" when ticked, absent when not (so absent is off, never the default).
  supervisionSuspendsWhenOverdue: z
    .string()
    .optional()
    .transform((value) => (value === "on" ? 1 : 0)),
  concernRaiserSharedWithTrainer: z
    .string()
    .optional()
    .transform((value) => (value === "on" ? 1 : 0)),
  twoFactorRequiredForStaff: z
    .string()
    .optional()
    .transform((value) => (value === "on" ? 1 : 0)),
});
