import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { createHash } from "node:crypto";

/** SHA-256, hex. Node's native hash: it runs on every signed-in request. */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("hex");
}

/** Compares a presented secret with a stored hash without leaking where they differ. */
export function secretMatchesHash(secret: string, storedHash: string): boolean {
  const presented = new TextEncoder().encode(hashSecret(secret));
  const stored = new TextEncoder().encode(storedHash);
  return presented.length === stored.length && constantTimeEqual(presented, stored);
}

/** Splits an `id.secret` token; returns null for anything malformed. */
export function splitToken(token: string | null | undefined): { id: string; secret: string } | null {
  if (!token || token.length > 200) return null;
  const parts = token.split(".");
  if (parts.length !== 2) return null;
  const [id, secret] = parts as [string, string];
  if (!/^[a-z2-7]{16,64}$/.test(id) || !/^[a-z2-7]{16,64}$/.test(secret)) return null;
  return { id, secret };
}
