import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import { getRandomValues } from "node:crypto";

/** A URL-safe random string carrying `bytes * 8` bits of entropy (base32, lower case). */
export function randomToken(bytes = 20): string {
  const buffer = new Uint8Array(bytes);
  getRandomValues(buffer);
  return encodeBase32LowerCaseNoPadding(buffer);
}
