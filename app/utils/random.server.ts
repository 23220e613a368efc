import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import { getRandomValues, randomFillSync, randomInt } from "node:crypto";

/** A URL-safe random string carrying `bytes * 8` bits of entropy (base32, lower case). */
export function randomToken(bytes = 20): string {
  const buffer = new Uint8Array(bytes);
  getRandomValues(buffer);
  return encodeBase32LowerCaseNoPadding(buffer);
}

/**
 * A candidate number for blind marking: `C-` and eight random digits, drawn afresh for every
 * submission (issue 16.11). Nothing about the trainer goes in, so nothing can be worked back to
 * them; the trainer's versions of the report each get a different one.
 */
export function randomCandidateNumber(): string {
  return `C-${String(randomInt(10_000_000, 100_000_000))}`;
}

/** Nonces drawn per refill of the pool: one call into the system's generator for this many pages. */
const NONCES_PER_FILL = 256;
const NONCE_BYTES = 16;
const noncePool = Buffer.alloc(NONCE_BYTES * NONCES_PER_FILL);
let nonceOffset = noncePool.length;

/**
 * A Content-Security-Policy nonce: 16 bytes (128 bits) from the system's cryptographic generator,
 * base64. Every response gets one, so the bytes are drawn 256 nonces at a time into a pool (one
 * call into the generator instead of 256) and each nonce takes the next 16, never used twice: the
 * pool is refilled before any byte would be read again.
 */
export function cspNonce(): string {
  if (nonceOffset === noncePool.length) {
    randomFillSync(noncePool);
    nonceOffset = 0;
  }
  const nonce = noncePool.toString("base64", nonceOffset, nonceOffset + NONCE_BYTES);
  nonceOffset += NONCE_BYTES;
  return nonce;
}
