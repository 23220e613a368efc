/** What can be exported (issue 15); shared by the export form and the server. */
export const EXPORT_KINDS = ["trainers", "certificates", "marking", "audit"] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export const EXPORT_LABELS: Record<ExportKind, string> = {
  trainers: "Trainers' progress",
  certificates: "Certificates with their status",
  marking: "Report marking outcomes",
  audit: "Audit trail",
};

/** What each export's date range filters on, in words for the form. */
export const EXPORT_RANGE_MEANS: Record<ExportKind, string> = {
  trainers: "signed up",
  certificates: "issued",
  marking: "submitted",
  audit: "recorded",
};

/** The audit trail needs a range; a year at most keeps one download a sensible size. */
export const MAX_AUDIT_RANGE_DAYS = 366;
