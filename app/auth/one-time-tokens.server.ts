/**
 * One-time links (password reset, first-admin set-up, invitation, email confirmation): a random
 * `id.secret` token of which only the SHA-256 of the secret is stored. A link works once, until
 * it expires; housekeeping sweeps old rows (app/jobs/housekeeping.server.ts).
 */
import type { DB } from "~db/connection";
import type { TokenPurpose } from "~db/schema";
import { addMs, iso } from "~/utils/clock";
import { randomToken } from "~/utils/random.server";
import { hashSecret, secretMatchesHash, splitToken } from "./crypto.server";

/** Stores a new link for `purpose` and returns its token (`id.secret`), to be put in a URL. */
export async function createOneTimeToken(db: DB, purpose: TokenPurpose, userId: number | null, lifetimeMs: number, now: Date): Promise<string> {
  const id = randomToken();
  const secret = randomToken();
  await db
    .insertInto("one_time_token")
    .values({ id, purpose, user_id: userId, secret_hash: hashSecret(secret), created_at: iso(now), expires_at: iso(addMs(now, lifetimeMs)), used_at: null })
    .execute();
  return `${id}.${secret}`;
}

/** Finds a token that is genuine, of the right purpose, unused and unexpired. */
export async function findUsableToken(db: DB, token: string, purpose: TokenPurpose, now: Date) {
  const parts = splitToken(token);
  if (!parts) return null;
  const row = await db.selectFrom("one_time_token").selectAll().where("id", "=", parts.id).where("purpose", "=", purpose).executeTakeFirst();
  if (!row || !secretMatchesHash(parts.secret, row.secret_hash)) return null;
  if (row.used_at !== null || Date.parse(row.expires_at) <= now.getTime()) return null;
  return row;
}

/** Uses up one link (call inside the transaction that acts on it). */
export async function markTokenUsed(db: DB, tokenId: string, now: Date): Promise<void> {
  await db.updateTable("one_time_token").set({ used_at: iso(now) }).where("id", "=", tokenId).execute();
}

/** Voids every unused link of `purpose` for a user (a new link replaces the old ones). */
export async function voidUnusedTokens(db: DB, purpose: TokenPurpose, userId: number | null, now: Date): Promise<void> {
  let query = db.updateTable("one_time_token").set({ used_at: iso(now) }).where("purpose", "=", purpose).where("used_at", "is", null);
  query = userId === null ? query : query.where("user_id", "=", userId);
  await query.execute();
}
