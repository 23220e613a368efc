/**
 * What an erasure (issue 17 item 4, ADR 0034) writes in place of personal data. Plain constants:
 * route components and the privacy notice's test read them, so they live outside `.server`.
 */

/** The name an erased account and its certificates carry from then on. */
export const ERASED_NAME = "Erased trainer";

/** The status the public verification page and its JSON give a certificate whose holder was erased. */
export const NO_LONGER_LISTED = "No longer listed";

/** How long marks, attempts and outcomes are kept after an erasure, for appeals and legal claims (ADR 0034). */
export const MARKS_RETENTION_YEARS = 6;

/** The longest reason an admin may give for refusing a request. */
export const REFUSAL_REASON_MAX = 1000;

/**
 * A unique address that can never receive mail (`.invalid` is reserved, RFC 2606), so the
 * account's unique email column stays unique and no sign-in or reset can reach it.
 */
export function erasedEmail(userId: number, random: string): string {
  return `erased-${userId}-${random}@erased.invalid`;
}
