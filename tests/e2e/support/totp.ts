import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP } from "@oslojs/otp";

/**
 * What an authenticator app does (RFC 6238: HMAC-SHA-1, 30-second steps, 6 digits), for tests
 * that sign in as staff (ADR 0032). Keys are base32, as the enrolment page shows them (spaces
 * allowed). `at` is the server's time, which e2e tests may have moved.
 */
export function totpCode(secret: string, at: Date, stepOffset = 0): string {
  const key = decodeBase32IgnorePadding(secret.replace(/\s+/g, "").toUpperCase());
  return generateHOTP(key, BigInt(Math.floor(at.getTime() / 30_000) + stepOffset), 6);
}

/** The TOTP key of each account the tests know one for: seeded staff, and staff who enrolled in a test. */
const knownSecrets = new Map<string, string>();

export function rememberTotpSecret(email: string, secret: string): void {
  knownSecrets.set(email.toLowerCase(), secret.replace(/\s+/g, ""));
}

export function knownTotpSecret(email: string): string | undefined {
  return knownSecrets.get(email.toLowerCase());
}
