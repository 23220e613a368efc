/** Constants of "download my data" that pages show too (ADR 0033): never from a `.server` module. */

/** How long the emailed link works, and the ZIP is kept, after it is ready. */
export const EXPORT_LIFETIME_DAYS = 7;
/** An admin's reason for producing a trainer's export (a subject access request). */
export const REASON_MIN = 5;
export const REASON_MAX = 500;
