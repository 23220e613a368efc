import type { DbsCheck, InsurancePolicy, Qualification } from "~db/schema";
import { addDays, formatDate } from "~/utils/dates";

/** What a trainer sees for each entry requirement. */
export type SectionStatus = "missing" | "submitted" | "verified" | "rejected" | "expiring_soon" | "expired";

export interface SectionSummary {
  status: SectionStatus;
  /** One sentence saying why, and what to do next. */
  message: string;
  /** The assessor's reason, when the latest submission was rejected. */
  rejectionReason?: string;
}

export const SECTION_STATUS_LABELS: Record<SectionStatus, string> = {
  missing: "Missing",
  submitted: "Submitted: awaiting verification",
  verified: "Verified",
  rejected: "Rejected",
  expiring_soon: "Expiring soon",
  expired: "Expired",
};

type QualificationFacts = Pick<Qualification, "id" | "kind" | "level" | "status" | "rejection_reason" | "created_at">;

/** A personal-training qualification at Level 3 or above is what the framework accepts. */
export function isAcceptedPersonalTrainingQualification(q: Pick<Qualification, "kind" | "level">): boolean {
  return q.kind === "personal_training" && q.level >= 3;
}

export function qualificationSectionStatus(rows: QualificationFacts[]): SectionSummary {
  const accepted = rows.filter(isAcceptedPersonalTrainingQualification);
  if (accepted.some((q) => q.status === "verified")) {
    return { status: "verified", message: "An assessor has verified your Level 3 (or above) personal training qualification." };
  }
  if (accepted.some((q) => q.status === "submitted")) {
    return { status: "submitted", message: "An assessor will check your qualification against the certificate you uploaded." };
  }
  const latest = [...rows].sort((a, b) => b.id - a.id)[0];
  if (latest?.status === "rejected") {
    return {
      status: "rejected",
      message: "Your latest qualification was not accepted. Read the reason, then add it again with the right details or evidence.",
      rejectionReason: latest.rejection_reason ?? undefined,
    };
  }
  if (rows.length > 0) {
    return { status: "missing", message: "You need a personal training qualification at Level 3 or above; the qualifications recorded so far do not meet that." };
  }
  return { status: "missing", message: "Add your Level 3 (or above) personal training qualification with the awarding organisation's certificate." };
}

type InsuranceFacts = Pick<InsurancePolicy, "id" | "status" | "end_date" | "rejection_reason" | "expired_at">;

/** The verified policy that runs longest: the one that covers the trainer now, if any does. */
export function currentVerifiedPolicy<T extends InsuranceFacts>(rows: T[]): T | undefined {
  return rows.filter((p) => p.status === "verified").sort((a, b) => (a.end_date < b.end_date ? 1 : a.end_date > b.end_date ? -1 : b.id - a.id))[0];
}

export function insuranceSectionStatus(rows: InsuranceFacts[], today: string, warningWindowDays: number): SectionSummary {
  const current = currentVerifiedPolicy(rows);
  const pending = rows.some((p) => p.status === "submitted");
  const latest = [...rows].sort((a, b) => b.id - a.id)[0];
  const pendingNote = pending ? " A newer policy is awaiting verification." : "";
  if (current && current.end_date >= today) {
    if (current.end_date <= addDays(today, warningWindowDays)) {
      return { status: "expiring_soon", message: `Your insurance ends on ${formatDate(current.end_date)}. Upload your renewed policy before then.${pendingNote}` };
    }
    return { status: "verified", message: `Your insurance is verified and runs until ${formatDate(current.end_date)}.${pendingNote}` };
  }
  if (pending) return { status: "submitted", message: "An assessor will check your policy details against the schedule you uploaded." };
  if (latest?.status === "rejected") {
    return {
      status: "rejected",
      message: "Your latest policy was not accepted. Read the reason, then submit it again corrected.",
      rejectionReason: latest.rejection_reason ?? undefined,
    };
  }
  if (current) return { status: "expired", message: `Your insurance ended on ${formatDate(current.end_date)}. Upload your current policy.` };
  return { status: "missing", message: "Add your public liability and professional indemnity insurance with the policy schedule or certificate." };
}

type DbsFacts = Pick<DbsCheck, "decision" | "recheck_due_on">;

export function dbsSectionStatus(latest: DbsFacts | null | undefined, today: string, warningWindowDays: number): SectionSummary {
  if (!latest) {
    return { status: "missing", message: "Record your Enhanced DBS certificate details, then show the original certificate to an assessor." };
  }
  if (latest.decision === null) {
    return { status: "submitted", message: "Show your original certificate to an assessor; an administrator will then record the decision." };
  }
  if (latest.decision === "needs_review") {
    return { status: "submitted", message: "Your DBS check is under review by an administrator. They will contact you if anything is needed." };
  }
  if (latest.decision === "not_suitable") {
    return { status: "rejected", message: "An administrator has recorded a decision on your DBS check. Contact RMR governance to discuss it." };
  }
  const due = latest.recheck_due_on;
  if (due && due <= today) {
    return { status: "expired", message: `Your DBS re-check was due on ${formatDate(due)}. Record a new certificate, or ask for an Update Service status check.` };
  }
  if (due && due <= addDays(today, warningWindowDays)) {
    return { status: "expiring_soon", message: `Your DBS re-check is due on ${formatDate(due)}.` };
  }
  return { status: "verified", message: due ? `Your DBS check is recorded as suitable. The next re-check is due on ${formatDate(due)}.` : "Your DBS check is recorded as suitable." };
}
