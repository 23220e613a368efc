/**
 * Email address confirmation (issue 13 item 15, ADR 0019). A trainer who signs up gets a
 * one-time link by email (through the outbox); until they open it they can study but cannot
 * submit evidence. Accounts created through an invitation are confirmed by accepting it (the
 * link came by email); accounts that existed before confirmation did are marked confirmed by the
 * migration, and the seeding scripts confirm the accounts they create.
 */
import type { DB } from "~db/connection";
import { DAY, MINUTE, addMs, iso } from "~/utils/clock";
import { recordAudit } from "~/audit/audit.server";
import { queueEmail } from "~/email/outbox.server";
import { ok, refuse, tooMany, type Refusal, type Result } from "~/utils/result";
import { createOneTimeToken, findUsableToken, markTokenUsed, voidUnusedTokens } from "./one-time-tokens.server";

export const EMAIL_CONFIRMATION_LIFETIME_MS = 7 * DAY;
/** A new link is sent at most this often (each one replaces the last). */
export const RESEND_INTERVAL_MS = MINUTE;

export const EMAIL_NOT_CONFIRMED =
  "Confirm your email address before you submit evidence: open the link we emailed you when you created your account, or send a new link below.";

/** Queues a confirmation link for the user's address; any earlier unused link stops working. */
export async function sendEmailConfirmation(db: DB, user: { id: number; name: string; email: string }, baseUrl: string, now: Date): Promise<void> {
  await voidUnusedTokens(db, "email_confirmation", user.id, now);
  const token = await createOneTimeToken(db, "email_confirmation", user.id, EMAIL_CONFIRMATION_LIFETIME_MS, now);
  await queueEmail(
    db,
    {
      to: user.email,
      subject: "Confirm your email address for the Approved Trainer Academy",
      text: `Hello ${user.name},\n\nPlease confirm that this is your email address by opening this link within 7 days:\n\n${baseUrl}/confirm-email/${token}\n\nYou need to confirm it before you can submit evidence of your qualifications, insurance and DBS check.\nIf you did not create an account, you can ignore this email.\n`,
    },
    now,
  );
}

export async function isEmailConfirmed(db: DB, userId: number): Promise<boolean> {
  const row = await db.selectFrom("user").select("email_confirmed_at").where("id", "=", userId).executeTakeFirst();
  return row !== undefined && row.email_confirmed_at !== null;
}

/** Null when the user's address is confirmed, otherwise the refusal an evidence action returns. */
export async function emailConfirmationRefusal(db: DB, userId: number): Promise<Refusal | null> {
  return (await isEmailConfirmed(db, userId)) ? null : refuse(403, EMAIL_NOT_CONFIRMED);
}

/** Sends a new link, unless the address is already confirmed or a link went out in the last minute. */
export async function resendEmailConfirmation(db: DB, userId: number, baseUrl: string, now: Date): Promise<Result<{ sent: boolean }>> {
  const user = await db.selectFrom("user").select(["id", "name", "email", "email_confirmed_at"]).where("id", "=", userId).executeTakeFirstOrThrow();
  if (user.email_confirmed_at !== null) return ok({ sent: false });
  const recent = await db
    .selectFrom("one_time_token")
    .select("created_at")
    .where("user_id", "=", userId)
    .where("purpose", "=", "email_confirmation")
    .where("created_at", ">", iso(addMs(now, -RESEND_INTERVAL_MS)))
    .orderBy("created_at", "desc")
    .executeTakeFirst();
  if (recent) {
    const wait = Date.parse(recent.created_at) + RESEND_INTERVAL_MS - now.getTime();
    return tooMany(wait, "A link was sent less than a minute ago. Check your inbox (and spam folder), then try again in a minute.");
  }
  await sendEmailConfirmation(db, user, baseUrl, now);
  return ok({ sent: true });
}

export function confirmationTokenIsUsable(db: DB, token: string, now: Date): Promise<boolean> {
  return findUsableToken(db, token, "email_confirmation", now).then((row) => row !== null);
}

/** Confirms the address the link was sent to; the link works once. */
export async function confirmEmail(db: DB, token: string, now: Date): Promise<Result<{ userId: number }>> {
  return db.transaction().execute(async (trx): Promise<Result<{ userId: number }>> => {
    const row = await findUsableToken(trx, token, "email_confirmation", now);
    if (!row || row.user_id === null) return refuse(400, "This confirmation link is not valid: it has been used, has expired, or a newer link replaced it.");
    await markTokenUsed(trx, row.id, now);
    await trx.updateTable("user").set({ email_confirmed_at: iso(now), updated_at: iso(now) }).where("id", "=", row.user_id).where("email_confirmed_at", "is", null).execute();
    await recordAudit(trx, { actorUserId: row.user_id, action: "account.email_confirmed", subjectType: "user", subjectId: row.user_id }, now);
    return ok({ userId: row.user_id });
  });
}
