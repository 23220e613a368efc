/**
 * A trainer's standing on the agreement in force. Pure; read by the live certificate status
 * (app/certificates/status.ts) and by the re-acceptance reminders (ADR 0015).
 */

/**
 * Whether the trainer has accepted the agreement version in force and, if not, when the
 * re-acceptance window for that version ends (`windowEndsOn`: the first day a certificate reads
 * suspended; null when no agreement is published). Inside the window the certificate stays
 * valid with the scope the trainer accepted (ADR 0015).
 */
export interface AgreementStanding {
  acceptedCurrent: boolean;
  windowEndsOn: string | null;
}

/** The window has ended without the trainer accepting the version in force. */
export function agreementOverdue(agreement: AgreementStanding, today: string): boolean {
  return (
    !agreement.acceptedCurrent &&
    // Stryker disable next-line ConditionalExpression: `windowEndsOn !== null` -> true is equivalent: today >= null is false for a date string (it compares as NaN), so a null window is never overdue either way.
    agreement.windowEndsOn !== null &&
    today >= agreement.windowEndsOn
  );
}
