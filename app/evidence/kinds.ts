/** Shared by server and browser code (route components cannot use values from *.server modules). */
export const VERIFICATION_KINDS = ["qualification", "insurance"] as const;
export type VerificationKind = (typeof VERIFICATION_KINDS)[number];

export const VERIFICATION_KIND_LABELS: Record<VerificationKind, string> = { qualification: "Qualification", insurance: "Insurance" };

export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;
export const MAX_EVIDENCE_LABEL = "10 MB";
