/**
 * What a notification can be about (ADR 0028). `urgent` emails go at once whatever the person's
 * preference; the others follow it (one email per event, or the daily digest). `label` heads the
 * kind's group in the digest and the in-app list.
 */
export const NOTIFICATION_KINDS = {
  // Staff: work arriving.
  evidence_to_verify: { label: "Evidence to verify", urgent: false },
  dbs_to_decide: { label: "DBS details to decide", urgent: false },
  report_to_mark: { label: "Reports to mark", urgent: false },
  report_to_moderate: { label: "Reports to moderate", urgent: false },
  concern_raised: { label: "Concerns raised", urgent: false },
  supervision_due: { label: "Supervision due", urgent: false },
  // Trainers: what happened to their work and their certificate.
  evidence_verified: { label: "Evidence verified", urgent: false },
  evidence_refused: { label: "Evidence not accepted", urgent: false },
  dbs_decided: { label: "DBS decisions", urgent: false },
  report_outcome: { label: "Report outcomes", urgent: false },
  certificate_issued: { label: "Certificates issued", urgent: false },
  certificate_status: { label: "Certificate status changes", urgent: true },
  agreement_reacceptance: { label: "Agreement to accept", urgent: true },
  expiry_warning: { label: "Expiry and re-check warnings", urgent: true },
  concern_about_you: { label: "Concerns about your practice", urgent: true },
  // Supervision (ADR 0026): a session to confirm, and overdue supervision (trainer, supervisor, admins).
  supervision_record: { label: "Supervision records to confirm", urgent: false },
  supervision_overdue: { label: "Supervision overdue", urgent: true },
  // An admin asks to send the trainer's oversight report to a commissioner (ADR 0043).
  oversight_report: { label: "Oversight reports to approve", urgent: true },
  // Erasure requests (ADR 0034): one waiting for an admin, and the decision told to the trainer.
  erasure_to_review: { label: "Erasure requests to review", urgent: false },
  erasure_decision: { label: "Your erasure request", urgent: true },
} as const satisfies Record<string, { label: string; urgent: boolean }>;

export type NotificationKind = keyof typeof NOTIFICATION_KINDS;

export const EMAIL_MODES = ["immediate", "digest"] as const;
export type EmailMode = (typeof EMAIL_MODES)[number];

export const kindLabel = (kind: string): string => (NOTIFICATION_KINDS as Record<string, { label: string }>)[kind]?.label ?? "Other";
