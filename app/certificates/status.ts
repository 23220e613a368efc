/**
 * A certificate's live status, computed from what was issued and the trainer's current facts.
 * Pure. The public reason is a category, never the details behind it.
 */
import type { EntryRequirementFacts } from "~/evidence/facts.server";
import { agreementOverdue, type AgreementStanding } from "~/agreement/standing";
import { supervisionSuspends, type SupervisionStanding } from "~/supervision/standing";

export type CertificateStatus = "valid" | "expired" | "suspended" | "revoked" | "superseded";

export interface IssuedCertificate {
  expires_on: string;
  validity_ends_on: string;
  superseded_by: string | null;
  suspended_at: string | null;
  /** The public category of a staff suspension (ADR 0027): "under_review", or null/absent (the framework's governance). */
  suspension_category?: string | null;
  revoked_at: string | null;
}

export interface LiveStatus {
  status: CertificateStatus;
  /** Public reason category, e.g. "insurance lapsed". */
  reason: string | null;
}

/** The facts the live status reads: the trainer's current entry requirements (or a list row's columns of them). */
export interface StatusFacts {
  insurance: Pick<NonNullable<EntryRequirementFacts["insurance"]>, "startDate" | "endDate"> | null;
  dbs: Pick<NonNullable<EntryRequirementFacts["dbs"]>, "decision" | "recheckDueOn"> | null;
  qualification: object | null;
  /** The trainer's standing on the agreement in force (see `AgreementStanding`). */
  agreement: AgreementStanding;
  /** The trainer's standing on supervision and the policy on overdue supervision (ADR 0026). */
  supervision: SupervisionStanding;
}

export const AGREEMENT_NOT_ACCEPTED = "agreement not accepted";
export const SUPERVISION_OVERDUE = "supervision overdue";
export const UNDER_REVIEW = "under review";
export const GOVERNANCE_SUSPENSION = "suspended by the framework's governance";

/** The public categories of a suspension staff make (ADR 0027): the stored value and its public words. */
export const SUSPENSION_CATEGORIES = { governance: GOVERNANCE_SUSPENSION, under_review: UNDER_REVIEW } as const;
export type SuspensionCategory = keyof typeof SUSPENSION_CATEGORIES;

function staffSuspensionReason(category: string | null | undefined): string {
  return category === "under_review" ? UNDER_REVIEW : GOVERNANCE_SUSPENSION;
}

export function certificateStatus(cert: IssuedCertificate, entry: StatusFacts | null, today: string): LiveStatus {
  if (cert.revoked_at) return { status: "revoked", reason: "revoked by the framework's governance" };
  if (cert.superseded_by) return { status: "superseded", reason: "replaced by a newer certificate" };
  if (cert.suspended_at) return { status: "suspended", reason: staffSuspensionReason(cert.suspension_category) };
  if (today >= cert.validity_ends_on) return { status: "expired", reason: "the validity period has ended" };
  if (entry) {
    if (!entry.insurance || entry.insurance.endDate < today || entry.insurance.startDate > today) return { status: "suspended", reason: "insurance lapsed" };
    if (!entry.dbs || entry.dbs.decision !== "suitable") return { status: "suspended", reason: "DBS check no longer current" };
    if (!entry.dbs.recheckDueOn || entry.dbs.recheckDueOn <= today) return { status: "suspended", reason: "DBS re-check overdue" };
    if (!entry.qualification) return { status: "suspended", reason: "qualification evidence withdrawn" };
    if (agreementOverdue(entry.agreement, today)) return { status: "suspended", reason: AGREEMENT_NOT_ACCEPTED };
    if (supervisionSuspends(entry.supervision, today)) return { status: "suspended", reason: SUPERVISION_OVERDUE };
  }
  if (today >= cert.expires_on) return { status: "expired", reason: "the expiry date has passed" };
  return { status: "valid", reason: null };
}

export const STATUS_LABELS: Record<CertificateStatus, string> = {
  valid: "Valid",
  expired: "Expired",
  suspended: "Suspended",
  revoked: "Revoked",
  superseded: "Superseded",
};
