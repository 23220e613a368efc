import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import { getRandomValues, randomInt } from "node:crypto";

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
