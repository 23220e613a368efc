/** Constants of "download my data" that pages show too (ADR 0033): never from a `.server` module. */

/** How long the emailed link works, and the ZIP is kept, after it is ready. */
export const EXPORT_LIFETIME_DAYS = 7;
/**
 * A trainer's own requests in any 24 hours (failed builds not counted). Each builds an archive of
 * up to hundreds of megabytes; three a day is more than the right of access needs, and a repeated
 * request may be refused as excessive (UK GDPR Article 12(5)). An admin's, for a subject access
 * request, has a reason and is audited instead.
 */
export const OWN_EXPORTS_PER_DAY = 3;
/** An admin's reason for producing a trainer's export (a subject access request). */
export const REASON_MIN = 5;
export const REASON_MAX = 500;
