/**
 * The entry-requirement forms' rules (app/evidence/validation.ts), each at its boundary and with
 * the message the trainer or assessor reads next to the field. The schemas are exercised directly
 * (the form reader's control-character pre-check is tested in forms.test.ts), so each field's own
 * rule is what is checked here.
 */
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  DBS_DECISION_LABELS,
  DBS_EARLIEST_ISSUE_DATE,
  DBS_STATUS_RESULT_LABELS,
  dbsCrossFieldErrors,
  dbsDecisionSchema,
  dbsSchema,
  dbsStatusCheckSchema,
  dateField,
  insuranceCrossFieldErrors,
  insuranceSchema,
  LIMIT_BASIS_LABELS,
  needsCpdEvidence,
  QUALIFICATION_KIND_LABELS,
  qualificationSchema,
  text,
  verificationDecisionSchema,
  WORKFORCE_LABELS,
} from "~/evidence/validation";

const today = "2026-06-01";
const tomorrow = "2026-06-02";
const minimums = { publicLiabilityPence: 500_000_000, professionalIndemnityPence: 100_000_000 };

/** Each field's first message (the form shows one per field), or null when the input parses. */
function problems(schema: z.ZodType, input: unknown): Record<string, string> | null {
  const result = schema.safeParse(input);
  if (result.success) return null;
  const out: Record<string, string> = {};
  for (const issue of result.error.issues) out[String(issue.path[0] ?? "")] ??= issue.message;
  return out;
}

function parsed<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new Error(JSON.stringify(result.error.issues));
  return result.data;
}

const qualification = {
  kind: "personal_training",
  level: "3",
  awardingOrganisation: "Active IQ",
  title: "Level 3 Diploma in Personal Training",
  qualificationNumber: "603/2791/3",
  certificateNumber: "AIQ-0012345",
  issueDate: "2024-03-15",
};
const insurance = {
  insurer: "Example Mutual",
  policyNumber: "PT-778899",
  publicLiability: "£5,000,000",
  professionalIndemnity: "1,000,000",
  limitBasis: "per_occurrence",
  coveredActivities: "Personal training,\nexercise instruction\tin clients' homes",
  territory: "United Kingdom",
  startDate: "2026-01-01",
  endDate: "2026-12-31",
};
const dbs = {
  certificateNumber: "001234567890",
  issueDate: "2026-02-01",
  adultsBarredList: "on",
  workforce: "adult",
  updateService: "yes",
  statusCheckConsent: "on",
  willShowOriginal: "on",
};

describe("text fields", () => {
  const field = text("awarding organisation", 120);

  it("asks for a value when missing, empty or only whitespace, and trims what is kept", () => {
    for (const blank of [undefined, "", "   ", "\t \n"]) expect(problems(field, blank)).toEqual({ "": "Enter the awarding organisation." });
    expect(parsed(field, "  Active IQ  ")).toBe("Active IQ");
  });

  it("accepts 120 characters (after trimming) and refuses 121", () => {
    expect(parsed(field, ` ${"a".repeat(120)} `)).toBe("a".repeat(120));
    expect(problems(field, "a".repeat(121))).toEqual({ "": "The awarding organisation must be at most 120 characters." });
  });

  it("refuses control characters anywhere, tabs and line breaks included (a one-line field)", () => {
    for (const control of ["\u0000", "\u0007", "\t", "\n", "\u001f", "\u007f"]) {
      expect(problems(field, `Active${control}IQ`)).toEqual({ "": "The awarding organisation cannot contain control characters." });
    }
    expect(parsed(field, "Ünïcode ~ and spaces")).toBe("Ünïcode ~ and spaces");
  });
});

describe("dates", () => {
  it("needs a real calendar date, trimmed", () => {
    const field = dateField("end date");
    expect(problems(field, undefined)).toEqual({ "": "Enter the end date." });
    expect(problems(field, " ")).toEqual({ "": "Enter the end date." });
    expect(problems(field, "2025-02-30")).toEqual({ "": "Enter the end date as a real date, like 2025-03-31." });
    expect(problems(field, "31/03/2025")).toEqual({ "": "Enter the end date as a real date, like 2025-03-31." });
    expect(parsed(field, " 2024-02-29 ")).toBe("2024-02-29");
  });
});

describe("qualification form", () => {
  const schema = qualificationSchema(today);

  it("parses a good qualification, normalising the qualification number", () => {
    expect(parsed(schema, { ...qualification, qualificationNumber: " 601 / 1234 / x " })).toEqual({ ...qualification, level: 3, qualificationNumber: "601/1234/X" });
  });

  it("names every missing field with its own message", () => {
    expect(problems(schema, {})).toEqual({
      kind: "Choose whether this is a personal training qualification.",
      level: "Choose the qualification level.",
      awardingOrganisation: "Enter the awarding organisation.",
      title: "Enter the qualification title.",
      qualificationNumber: "Enter the qualification number.",
      certificateNumber: "Enter the certificate number.",
      issueDate: "Enter the issue date.",
    });
    expect(problems(schema, { ...qualification, kind: "diploma", qualificationNumber: "   " })).toEqual({
      kind: "Choose whether this is a personal training qualification.",
      qualificationNumber: "Enter the qualification number.",
    });
    expect(parsed(schema, { ...qualification, kind: "other" }).kind).toBe("other");
  });

  it("accepts levels 2 to 8 only, as a number", () => {
    expect(parsed(schema, { ...qualification, level: "2" }).level).toBe(2);
    expect(parsed(schema, { ...qualification, level: "8" }).level).toBe(8);
    for (const bad of ["1", "9", "22", "3.5", "x3", ""]) expect(problems(schema, { ...qualification, level: bad })).toEqual({ level: "Choose the qualification level (2 to 8)." });
  });

  it("accepts qualification numbers shaped like 600/4941/8 (check character a digit or X), nothing else", () => {
    for (const good of ["600/4941/8", "000/0000/0", "999/9999/X"]) expect(parsed(schema, { ...qualification, qualificationNumber: good }).qualificationNumber).toBe(good);
    for (const bad of ["6004941", "600/494/8", "60/4941/8", "1600/4941/8", "600/49411/8", "600/4941/88", "600/4941/Y", "600-4941-8", "abc/defg/h", "600/4941/"]) {
      expect(problems(schema, { ...qualification, qualificationNumber: bad })).toEqual({ qualificationNumber: "Enter the qualification number as it appears on the certificate, like 600/4941/8." });
    }
  });

  it("accepts certificate numbers of letters, digits, spaces, slashes, dots and hyphens, starting with a letter or digit, up to 60", () => {
    for (const good of ["a", "Z", "0", "9", "AB 1/2.3-4", "x".repeat(60)]) expect(parsed(schema, { ...qualification, certificateNumber: good }).certificateNumber).toBe(good);
    for (const bad of ["-AB1", ".AB1", "/AB1", "AB_1", "AB#1", "ÄB1"]) {
      expect(problems(schema, { ...qualification, certificateNumber: bad })).toEqual({ certificateNumber: "Certificate numbers use letters, digits, spaces, slashes, dots and hyphens only." });
    }
    expect(problems(schema, { ...qualification, certificateNumber: "x".repeat(61) })).toEqual({ certificateNumber: "The certificate number must be at most 60 characters." });
  });

  it("accepts an issue date of today or earlier, back to 1 January 1950", () => {
    expect(parsed(schema, { ...qualification, issueDate: today }).issueDate).toBe(today);
    expect(problems(schema, { ...qualification, issueDate: tomorrow })).toEqual({ issueDate: "The issue date must be today or in the past." });
    expect(parsed(schema, { ...qualification, issueDate: "1950-01-01" }).issueDate).toBe("1950-01-01");
    expect(problems(schema, { ...qualification, issueDate: "1949-12-31" })).toEqual({ issueDate: "Check the issue date: it is before 1 January 1950." });
    expect(problems(schema, { ...qualification, issueDate: "2026-02-29" })).toEqual({ issueDate: "Enter the issue date as a real date, like 2025-03-31." });
  });

  it("limits the awarding organisation to 120 characters and the title to 200", () => {
    expect(problems(schema, { ...qualification, awardingOrganisation: "a".repeat(121), title: "t".repeat(201) })).toEqual({
      awardingOrganisation: "The awarding organisation must be at most 120 characters.",
      title: "The qualification title must be at most 200 characters.",
    });
    expect(problems(schema, { ...qualification, awardingOrganisation: "a".repeat(120), title: "t".repeat(200) })).toBeNull();
  });

  it("asks for CPD evidence when the qualification was issued more than five years ago, not at five years exactly", () => {
    expect(needsCpdEvidence("2021-06-01", today)).toBe(false);
    expect(needsCpdEvidence("2021-05-31", today)).toBe(true);
    expect(needsCpdEvidence("2026-01-01", today)).toBe(false);
  });
});

describe("insurance form", () => {
  const schema = insuranceSchema(today, minimums);

  it("parses a good policy, limits in pence", () => {
    expect(parsed(schema, insurance)).toEqual({ ...insurance, publicLiability: 500_000_000, professionalIndemnity: 100_000_000 });
    expect(parsed(schema, { ...insurance, limitBasis: "aggregate" }).limitBasis).toBe("aggregate");
  });

  it("names every missing field with its own message", () => {
    expect(problems(schema, {})).toEqual({
      insurer: "Enter the insurer's name.",
      policyNumber: "Enter the policy number.",
      publicLiability: "Enter the public liability limit.",
      professionalIndemnity: "Enter the professional indemnity limit.",
      limitBasis: "Choose whether the limits are per occurrence or aggregate.",
      coveredActivities: "Enter the covered activities.",
      territory: "Enter the territory.",
      startDate: "Enter the start date.",
      endDate: "Enter the end date.",
    });
    expect(problems(schema, { ...insurance, publicLiability: "  ", limitBasis: "per_claim" })).toEqual({
      publicLiability: "Enter the public liability limit.",
      limitBasis: "Choose whether the limits are per occurrence or aggregate.",
    });
  });

  it("accepts cover at the academy's minimum and refuses a penny less, saying the minimum", () => {
    expect(parsed(schema, { ...insurance, publicLiability: "5000000.00", professionalIndemnity: "£1,000,000" })).toMatchObject({ publicLiability: 500_000_000, professionalIndemnity: 100_000_000 });
    expect(problems(schema, { ...insurance, publicLiability: "4,999,999.99", professionalIndemnity: "999,999.99" })).toEqual({
      publicLiability: "The public liability limit must be at least £5,000,000 (the academy's minimum cover).",
      professionalIndemnity: "The professional indemnity limit must be at least £1,000,000 (the academy's minimum cover).",
    });
    expect(problems(schema, { ...insurance, publicLiability: "lots", professionalIndemnity: "1m" })).toEqual({
      publicLiability: "Enter the public liability limit in pounds, like 5,000,000.",
      professionalIndemnity: "Enter the professional indemnity limit in pounds, like 5,000,000.",
    });
  });

  it("checks the policy number's characters and the free-text limits", () => {
    expect(problems(schema, { ...insurance, policyNumber: "#PT-1" })).toEqual({ policyNumber: "Policy numbers use letters, digits, spaces, slashes, dots and hyphens only." });
    // A good start does not excuse what follows: every character is checked, to the last.
    for (const policyNumber of ["PT-77#99", "PT-778899!", "PT_1"]) {
      expect(problems(schema, { ...insurance, policyNumber })).toEqual({ policyNumber: "Policy numbers use letters, digits, spaces, slashes, dots and hyphens only." });
    }
    expect(parsed(schema, { ...insurance, policyNumber: "p 1/2.3-4" }).policyNumber).toBe("p 1/2.3-4");
    expect(problems(schema, { ...insurance, insurer: "i".repeat(121), policyNumber: "P".repeat(61), territory: "t".repeat(121), coveredActivities: "c".repeat(1001) })).toEqual({
      insurer: "The insurer's name must be at most 120 characters.",
      policyNumber: "The policy number must be at most 60 characters.",
      territory: "The territory must be at most 120 characters.",
      coveredActivities: "The covered activities must be at most 1000 characters.",
    });
    expect(problems(schema, { ...insurance, insurer: "i".repeat(120), policyNumber: "P".repeat(60), territory: "t".repeat(120), coveredActivities: "c".repeat(1000) })).toBeNull();
  });

  it("lets the covered activities span lines and tabs, but refuses other control characters", () => {
    expect(parsed(schema, { ...insurance, coveredActivities: "Line one\r\nLine two\n\tindented" }).coveredActivities).toBe("Line one\r\nLine two\n\tindented");
    for (const control of ["\u0000", "\u0008", "\u000b", "\u000c", "\u000e", "\u001f", "\u007f"]) {
      expect(problems(schema, { ...insurance, coveredActivities: `Personal${control}training` })).toEqual({ coveredActivities: "The covered activities cannot contain control characters." });
    }
    expect(problems(schema, { ...insurance, coveredActivities: "   " })).toEqual({ coveredActivities: "Enter the covered activities." });
  });

  it("accepts a start date from 3 years back to 12 months ahead, not a day outside", () => {
    expect(parsed(schema, { ...insurance, startDate: "2027-06-01", endDate: "2028-05-31" }).startDate).toBe("2027-06-01");
    expect(problems(schema, { ...insurance, startDate: "2027-06-02", endDate: "2028-06-01" })).toEqual({ startDate: "The start date must be within the next 12 months (by 1 June 2027)." });
    expect(parsed(schema, { ...insurance, startDate: "2023-06-01" }).startDate).toBe("2023-06-01");
    expect(problems(schema, { ...insurance, startDate: "2023-05-31" })).toEqual({ startDate: "The start date must be within the last 3 years (on or after 1 June 2023): upload your current policy." });
  });

  it("accepts an end date up to 3 years from today, not a day more", () => {
    expect(parsed(schema, { ...insurance, endDate: "2029-06-01" }).endDate).toBe("2029-06-01");
    expect(problems(schema, { ...insurance, endDate: "2029-06-02" })).toEqual({ endDate: "The end date must be within 3 years from today (by 1 June 2029): check the year." });
  });

  it("needs the end date after the start date and not before today; a policy ending today is still accepted", () => {
    expect(problems(schema, { ...insurance, startDate: "2026-03-01", endDate: "2026-03-01" })).toEqual({ endDate: "The end date must be after the start date." });
    expect(parsed(schema, { ...insurance, startDate: "2026-06-01", endDate: tomorrow }).endDate).toBe(tomorrow);
    expect(parsed(schema, { ...insurance, startDate: "2025-06-01", endDate: today }).endDate).toBe(today);
    expect(problems(schema, { ...insurance, startDate: "2025-06-01", endDate: "2026-05-31" })).toEqual({ endDate: "This policy has already ended. Upload your current policy." });
  });

  it("reports the date problems from the raw input too, so they show beside other fields' errors", () => {
    expect(insuranceCrossFieldErrors({ startDate: "2026-03-01", endDate: "2026-03-01" }, today)).toEqual({ endDate: "The end date must be after the start date." });
    expect(insuranceCrossFieldErrors({ startDate: " 2025-01-01 ", endDate: " 2025-12-31 " }, today)).toEqual({ endDate: "This policy has already ended. Upload your current policy." });
    expect(insuranceCrossFieldErrors({ startDate: "2026-01-01", endDate: today }, today)).toEqual({});
    expect(insuranceCrossFieldErrors({ startDate: "2026-02-30", endDate: "2025-01-01" }, today)).toEqual({});
    expect(insuranceCrossFieldErrors({ startDate: "2026-01-01", endDate: "soon" }, today)).toEqual({});
    expect(insuranceCrossFieldErrors({}, today)).toEqual({});
  });
});

describe("DBS form", () => {
  const schema = dbsSchema(today);

  it("parses a good record: the number without spaces or hyphens, the boxes as yes or no", () => {
    expect(parsed(schema, { ...dbs, certificateNumber: "0012-3456 7890" })).toEqual({
      certificateNumber: "001234567890",
      issueDate: "2026-02-01",
      adultsBarredList: true,
      childrenBarredList: false,
      workforce: "adult",
      updateService: "yes",
      statusCheckConsent: true,
      willShowOriginal: true,
    });
    for (const ticked of ["on", "yes", "1"]) expect(parsed(schema, { ...dbs, childrenBarredList: ticked }).childrenBarredList).toBe(true);
    for (const unticked of ["", "off", "no", "true", "0"]) expect(parsed(schema, { ...dbs, childrenBarredList: unticked }).childrenBarredList).toBe(false);
  });

  it("names every missing field with its own message", () => {
    expect(problems(schema, {})).toEqual({
      certificateNumber: "Enter the 12-digit certificate number.",
      issueDate: "Enter the issue date.",
      workforce: "Choose the workforce shown on the certificate.",
      updateService: "Say whether you subscribe to the DBS Update Service.",
    });
    expect(problems(schema, { ...dbs, certificateNumber: " - ", workforce: "children", updateService: "maybe" })).toEqual({
      certificateNumber: "Enter the 12-digit certificate number.",
      workforce: "Choose the workforce shown on the certificate.",
      updateService: "Say whether you subscribe to the DBS Update Service.",
    });
    for (const workforce of ["adult", "child", "both"]) expect(parsed(schema, { ...dbs, workforce }).workforce).toBe(workforce);
  });

  it("needs exactly 12 digits", () => {
    for (const bad of ["12345678901", "1234567890123", "00123456789A", "x001234567890", "0012345678901x"]) {
      expect(problems(schema, { ...dbs, certificateNumber: bad })).toEqual({ certificateNumber: "The certificate number is 12 digits, printed at the top right of the certificate." });
    }
  });

  it("accepts an issue date from 1 December 2012 (when the DBS began) up to today", () => {
    expect(DBS_EARLIEST_ISSUE_DATE).toBe("2012-12-01");
    expect(parsed(schema, { ...dbs, issueDate: "2012-12-01" }).issueDate).toBe("2012-12-01");
    expect(problems(schema, { ...dbs, issueDate: "2012-11-30" })).toEqual({ issueDate: "DBS certificates were first issued in December 2012: check the issue date." });
    expect(parsed(schema, { ...dbs, issueDate: today }).issueDate).toBe(today);
    expect(problems(schema, { ...dbs, issueDate: tomorrow })).toEqual({ issueDate: "The issue date must be today or in the past." });
  });

  it("needs consent to status checks only from a trainer who subscribes to the Update Service, and always the promise to show the original", () => {
    const consent = "Give consent to status checks, or choose that you do not subscribe to the Update Service.";
    const original = "Confirm that you will show the original certificate to an assessor.";
    expect(problems(schema, { ...dbs, statusCheckConsent: undefined })).toEqual({ statusCheckConsent: consent });
    expect(parsed(schema, { ...dbs, updateService: "no", statusCheckConsent: undefined })).toMatchObject({ updateService: "no", statusCheckConsent: false });
    expect(problems(schema, { ...dbs, willShowOriginal: "" })).toEqual({ willShowOriginal: original });
    expect(problems(schema, { ...dbs, updateService: "no", statusCheckConsent: "", willShowOriginal: "" })).toEqual({ willShowOriginal: original });
  });

  it("reports the same two checks from the raw input, beside other fields' errors", () => {
    const consent = "Give consent to status checks, or choose that you do not subscribe to the Update Service.";
    const original = "Confirm that you will show the original certificate to an assessor.";
    expect(dbsCrossFieldErrors({ updateService: "yes", statusCheckConsent: "on", willShowOriginal: "on" })).toEqual({});
    expect(dbsCrossFieldErrors({ updateService: "yes", willShowOriginal: "1" })).toEqual({ statusCheckConsent: consent });
    expect(dbsCrossFieldErrors({ updateService: "no", willShowOriginal: "yes" })).toEqual({});
    expect(dbsCrossFieldErrors({ updateService: "yes", statusCheckConsent: "1", willShowOriginal: "true" })).toEqual({ willShowOriginal: original });
    expect(dbsCrossFieldErrors({ updateService: "yes", statusCheckConsent: "yes" })).toEqual({ willShowOriginal: original });
    expect(dbsCrossFieldErrors({ updateService: "yes", statusCheckConsent: "off", willShowOriginal: "on" })).toEqual({ statusCheckConsent: consent });
    expect(dbsCrossFieldErrors({})).toEqual({ willShowOriginal: original });
  });
});

describe("staff decisions", () => {
  it("accepts, or rejects with a reason of 10 to 1000 characters (trimmed)", () => {
    expect(parsed(verificationDecisionSchema, { decision: "accept" })).toEqual({ decision: "accept" });
    expect(parsed(verificationDecisionSchema, { decision: "reject", reason: "  Wrong name.  " })).toEqual({ decision: "reject", reason: "Wrong name." });
    expect(problems(verificationDecisionSchema, { decision: "reject", reason: "  Too short!  " })).toBeNull();
    expect(problems(verificationDecisionSchema, { decision: "reject", reason: " Too short " })).toEqual({ reason: "Give the reason for rejecting in at least 10 characters, so the trainer can put it right." });
    expect(problems(verificationDecisionSchema, { decision: "reject" })).toEqual({ reason: "Give the reason for rejecting, so the trainer can put it right." });
    expect(parsed(verificationDecisionSchema, { decision: "reject", reason: "r".repeat(1000) }).decision).toBe("reject");
    expect(problems(verificationDecisionSchema, { decision: "reject", reason: "r".repeat(1001) })).toEqual({ reason: "Keep the reason to 1,000 characters or fewer." });
    expect(Object.values(problems(verificationDecisionSchema, { decision: "maybe" }) ?? {})).toEqual(["Choose accept or reject."]);
  });

  it("records a DBS decision with the date the original was seen (today or earlier) and who saw it", () => {
    const schema = dbsDecisionSchema(today);
    expect(parsed(schema, { decision: "needs_review", originalSeenOn: today, originalSeenBy: "12" })).toEqual({ decision: "needs_review", originalSeenOn: today, originalSeenBy: 12 });
    expect(problems(schema, {})).toEqual({
      decision: "Choose suitable, not suitable or needs review.",
      originalSeenOn: "Enter the date the original certificate was seen.",
      originalSeenBy: "Choose who saw the original certificate.",
    });
    expect(problems(schema, { decision: "ok", originalSeenOn: tomorrow, originalSeenBy: "12a" })).toEqual({
      decision: "Choose suitable, not suitable or needs review.",
      originalSeenOn: "The date the original certificate was seen must be today or in the past.",
      originalSeenBy: "Choose who saw the original certificate.",
    });
    expect(problems(schema, { decision: "suitable", originalSeenOn: today, originalSeenBy: "a12" })).toEqual({ originalSeenBy: "Choose who saw the original certificate." });
    expect(parsed(schema, { decision: "suitable", originalSeenOn: "2025-06-01", originalSeenBy: "1" }).originalSeenOn).toBe("2025-06-01");
    expect(problems(schema, { decision: "suitable", originalSeenOn: "2025-05-31", originalSeenBy: "1" })).toEqual({
      originalSeenOn: "The date the original certificate was seen must be within the last 12 months (on or after 1 June 2025): check the year.",
    });
  });

  it("records an Update Service status check dated today or earlier with one of its three results", () => {
    const schema = dbsStatusCheckSchema(today);
    for (const result of ["current", "not_current", "no_match"]) expect(parsed(schema, { checkedOn: today, result })).toEqual({ checkedOn: today, result });
    expect(problems(schema, { checkedOn: tomorrow, result: "clear" })).toEqual({
      checkedOn: "The date of the status check must be today or in the past.",
      result: "Choose the result the Update Service gave.",
    });
    expect(parsed(schema, { checkedOn: "2025-06-01", result: "current" }).checkedOn).toBe("2025-06-01");
    expect(problems(schema, { checkedOn: "2025-05-31", result: "current" })).toEqual({
      checkedOn: "The date of the status check must be within the last 12 months (on or after 1 June 2025): check the year.",
    });
    expect(problems(schema, { result: "current" })).toEqual({ checkedOn: "Enter the date of the status check." });
    expect(problems(schema, { checkedOn: " ", result: "current" })).toEqual({ checkedOn: "Enter the date of the status check." });
    expect(problems(schema, { checkedOn: "2026-02-30", result: "current" })).toEqual({ checkedOn: "Enter the date of the status check as a real date, like 2025-03-31." });
  });
});

describe("labels", () => {
  it("names each option as the forms and staff pages show it", () => {
    expect(QUALIFICATION_KIND_LABELS).toEqual({ personal_training: "Personal training qualification", other: "Other fitness qualification" });
    expect(LIMIT_BASIS_LABELS).toEqual({ per_occurrence: "Per occurrence (any one claim)", aggregate: "Aggregate (total for the policy period)" });
    expect(WORKFORCE_LABELS).toEqual({ adult: "Adult workforce", child: "Child workforce", both: "Child and adult workforce" });
    expect(DBS_DECISION_LABELS).toEqual({ suitable: "Suitable", not_suitable: "Not suitable", needs_review: "Needs review" });
    expect(DBS_STATUS_RESULT_LABELS).toEqual({
      current: "No new information: the certificate remains current (no further information identified since issue)",
      not_current: "Not current: new information exists; the trainer must apply for a new DBS check",
      no_match: "Details do not match: the Update Service cannot give a status for these details",
    });
  });
});
