import { createTOTPKeyURI, generateHOTP } from "@oslojs/otp";

/**
 * Time-based one-time passwords, RFC 6238 (ADR 0032), on `@oslojs/otp`'s HOTP (RFC 4226) with
 * the time step computed here from an injected clock (the library's TOTP helpers read
 * `Date.now()`, which tests cannot move). HMAC-SHA-1, 30-second steps, 6 digits: what every
 * authenticator app assumes when it scans a QR code.
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Codes from one step either side of now are accepted: a phone clock a little off, or a slow typist. */
export const TOTP_DRIFT_STEPS = 1;

/** The RFC 6238 time step (counter) for a moment. */
export function timeStep(at: Date, periodSeconds = TOTP_PERIOD_SECONDS): number {
  return Math.floor(at.getTime() / 1000 / periodSeconds);
}

export function totpAt(key: Uint8Array, at: Date, digits = TOTP_DIGITS, periodSeconds = TOTP_PERIOD_SECONDS): string {
  return generateHOTP(key, BigInt(timeStep(at, periodSeconds)), digits);
}

/**
 * The step whose code `code` is, among now and one step either side, or null. The caller refuses
 * a step at or before the last one used (replay). Every candidate is computed, so the time taken
 * does not say which step matched.
 */
export function matchingStep(key: Uint8Array, code: string, at: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const now = timeStep(at);
  let found: number | null = null;
  for (let step = now - TOTP_DRIFT_STEPS; step <= now + TOTP_DRIFT_STEPS; step++) {
    const expected = generateHOTP(key, BigInt(step), TOTP_DIGITS);
    let diff = 0;
    for (let i = 0; i < TOTP_DIGITS; i++) diff |= expected.charCodeAt(i) ^ code.charCodeAt(i);
    if (diff === 0 && found === null) found = step;
  }
  return found;
}

/** The `otpauth://` address an authenticator app reads from the QR code. */
export function keyUri(key: Uint8Array, accountName: string): string {
  return createTOTPKeyURI("Approved Trainer Academy", accountName, key, TOTP_PERIOD_SECONDS, TOTP_DIGITS);
}
