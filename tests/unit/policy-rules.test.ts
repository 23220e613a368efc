/** The admin policy form's rules (app/policy/policy.ts): each field's range and message. */
import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY, POLICY_KEYS, policySchema } from "~/policy/policy";

const good = { minPublicLiabilityPence: "5,000,000", minProfessionalIndemnityPence: "1,000,000", dbsRecheckMonths: "12", warningWindowDays: "30", dbsRetentionMonths: "6", certificateValidityMonths: "12", agreementReacceptanceDays: "30", twoFactorRequiredForStaff: "on" };

function problems(input: unknown): Record<string, string> | null {
  const result = policySchema.safeParse(input);
  if (result.success) return null;
  const out: Record<string, string> = {};
  for (const issue of result.error.issues) out[String(issue.path[0])] ??= issue.message;
  return out;
}

describe("policy defaults", () => {
  it("are £5m public liability, £1m indemnity, a 12-month DBS re-check, 30 days' warning, 6 months' DBS retention, 12 months' validity and 30 days to accept a new agreement", () => {
    expect(DEFAULT_POLICY).toEqual({
      minPublicLiabilityPence: 500_000_000,
      minProfessionalIndemnityPence: 100_000_000,
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
    });
  });

  it("are stored under stable keys (existing databases hold them)", () => {
    expect(POLICY_KEYS).toEqual({
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
    });
  });
});

describe("supervision policy (ADR 0026)", () => {
  it("interval 1–12 months, grace 0–90 days, and the suspension switch is a checkbox: ticked is on, absent is off", () => {
    expect(policySchema.parse({ ...good, supervisionIntervalMonths: "6", supervisionGraceDays: "0", supervisionSuspendsWhenOverdue: "on" })).toMatchObject({ supervisionIntervalMonths: 6, supervisionGraceDays: 0, supervisionSuspendsWhenOverdue: 1 });
    expect(policySchema.parse(good)).toMatchObject({ supervisionIntervalMonths: 3, supervisionGraceDays: 14, supervisionSuspendsWhenOverdue: 0 });
    expect(problems({ ...good, supervisionIntervalMonths: "13", supervisionGraceDays: "91" })).toEqual({
      supervisionIntervalMonths: "The supervision interval must be between 1 and 12.",
      supervisionGraceDays: "The supervision grace period must be between 0 and 90.",
    });
  });
});

describe("concern policy (ADR 0030)", () => {
  it("sharing who raised a concern with the trainer is a checkbox, off unless ticked", () => {
    expect(policySchema.parse(good).concernRaiserSharedWithTrainer).toBe(0);
    expect(policySchema.parse({ ...good, concernRaiserSharedWithTrainer: "on" }).concernRaiserSharedWithTrainer).toBe(1);
    expect(policySchema.parse({ ...good, concernRaiserSharedWithTrainer: "yes please" }).concernRaiserSharedWithTrainer).toBe(0);
  });
});

describe("two-factor policy (ADR 0032)", () => {
  it("two-factor sign-in for staff is on by default; on the form a checkbox, off only when unticked", () => {
    expect(DEFAULT_POLICY.twoFactorRequiredForStaff).toBe(1);
    expect(policySchema.parse(good).twoFactorRequiredForStaff).toBe(1);
    const { twoFactorRequiredForStaff: _unticked, ...unticked } = good;
    expect(policySchema.parse(unticked).twoFactorRequiredForStaff).toBe(0);
  });
});

describe("policy form", () => {
  it("parses pounds to pence and whole numbers, trimmed; the validity period defaults to 12 months", () => {
    expect(policySchema.parse({ ...good, minPublicLiabilityPence: " £2,500,000.50 ", dbsRecheckMonths: " 24 " })).toEqual({ ...DEFAULT_POLICY, minPublicLiabilityPence: 250_000_050, dbsRecheckMonths: 24 });
    const { certificateValidityMonths: _omitted, ...withoutValidity } = good;
    expect(policySchema.parse(withoutValidity).certificateValidityMonths).toBe(12);
  });

  it("names every missing field", () => {
    expect(problems({ certificateValidityMonths: "" })).toEqual({
      minPublicLiabilityPence: "Enter the minimum public liability cover.",
      minProfessionalIndemnityPence: "Enter the minimum professional indemnity cover.",
      dbsRecheckMonths: "Enter the DBS re-check interval.",
      warningWindowDays: "Enter the warning window.",
      dbsRetentionMonths: "Enter the DBS detail retention period.",
      certificateValidityMonths: "Enter the certificate validity period.",
    });
    expect(problems({ ...good, minPublicLiabilityPence: "  ", warningWindowDays: " " })).toEqual({
      minPublicLiabilityPence: "Enter the minimum public liability cover.",
      warningWindowDays: "Enter the warning window.",
    });
  });

  it("needs cover of at least a penny, in pounds", () => {
    expect(policySchema.parse({ ...good, minProfessionalIndemnityPence: "0.01" }).minProfessionalIndemnityPence).toBe(1);
    for (const bad of ["0", "0.00", "lots", "-5"]) {
      expect(problems({ ...good, minPublicLiabilityPence: bad, minProfessionalIndemnityPence: bad })).toEqual({
        minPublicLiabilityPence: "Enter the minimum public liability cover in pounds, like 5,000,000.",
        minProfessionalIndemnityPence: "Enter the minimum professional indemnity cover in pounds, like 5,000,000.",
      });
    }
  });

  const ranges: [keyof typeof good, string, number, number][] = [
    ["dbsRecheckMonths", "DBS re-check interval", 1, 60],
    ["warningWindowDays", "warning window", 1, 180],
    ["dbsRetentionMonths", "DBS detail retention period", 1, 24],
    ["certificateValidityMonths", "certificate validity period", 1, 36],
    ["agreementReacceptanceDays", "agreement re-acceptance window", 1, 180],
  ];

  it.each(ranges)("%s: a whole number from %s's minimum to its maximum, inclusive", (key, label, min, max) => {
    expect(policySchema.parse({ ...good, [key]: String(min) })[key]).toBe(min);
    expect(policySchema.parse({ ...good, [key]: String(max) })[key]).toBe(max);
    for (const outside of [min - 1, max + 1]) expect(problems({ ...good, [key]: String(outside) })).toEqual({ [key]: `The ${label} must be between ${min} and ${max}.` });
    for (const notWhole of ["1.5", "-1", "ten", "1e1", "x12", "12x"]) expect(problems({ ...good, [key]: notWhole })).toEqual({ [key]: `Enter the ${label} as a whole number.` });
  });
});
