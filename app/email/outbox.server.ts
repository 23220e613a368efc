import { randomBytes } from "node:crypto";
import nodemailer from "nodemailer";
import { skippingLockedRows } from "~db/dialect";
import type { DB } from "~db/connection";
import { getEnv } from "~/utils/env.server";
import { iso } from "~/utils/clock";

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
}

/**
 * Every email goes through the `email_outbox` table first, so nothing is lost if delivery
 * fails and there is a record of what was sent. With SMTP configured (SMTP_HOST) it is sent
 * with nodemailer; otherwise it is printed to the server log, which is how a development or
 * demo install receives password-reset links.
 */
export async function queueEmail(db: DB, email: OutgoingEmail, now: Date): Promise<number> {
  const row = await db
    .insertInto("email_outbox")
    .values({ to_address: email.to, subject: email.subject, body_text: email.text, created_at: iso(now), sent_at: null, last_error: null })
    .returning("id")
    .executeTakeFirstOrThrow();
  await deliverPendingEmail(db, now);
  return row.id;
}

/**
 * Queues many emails in one statement, without delivering them: for scheduled jobs, whose
 * backlog can reach tens of thousands. Delivery happens outside the job.
 */
export async function queueEmails(db: DB, emails: OutgoingEmail[], now: Date): Promise<void> {
  for (let i = 0; i < emails.length; i += 1000) {
    await db
      .insertInto("email_outbox")
      .values(emails.slice(i, i + 1000).map((email) => ({ to_address: email.to, subject: email.subject, body_text: email.text, created_at: iso(now), sent_at: null, last_error: null })))
      .execute();
  }
}

let transport: nodemailer.Transporter | null | undefined;

function getTransport(): nodemailer.Transporter | null {
  if (transport !== undefined) return transport;
  const env = getEnv();
  transport = env.SMTP_HOST
    ? nodemailer.createTransport({
        host: env.SMTP_HOST,
        port: env.SMTP_PORT ?? 587,
        auth: env.SMTP_USER ? { user: env.SMTP_USER, pass: env.SMTP_PASS ?? "" } : undefined,
      })
    : null;
  return transport;
}

/** How long a delivery run's claim on a batch lasts; past it another run takes the batch over. */
export const CLAIM_LEASE_MS = 10 * 60 * 1000;
const BATCH = 50;

/**
 * Claims up to 50 unsent emails for this run, oldest first, in one UPDATE: rows nobody has
 * claimed, or whose claim has outlived the lease (a node died mid-batch). On PostgreSQL the
 * candidates are read `FOR UPDATE SKIP LOCKED`, so concurrent runs on other nodes pass over each
 * other's rows instead of claiming them twice; the UPDATE re-checks the condition. SQLite runs
 * one write at a time, so the single statement is the claim (ADR 0021).
 */
async function claimBatch(db: DB, token: string, now: Date) {
  const staleBefore = iso(new Date(now.getTime() - CLAIM_LEASE_MS));
  const candidates = skippingLockedRows(
    db,
    db
      .selectFrom("email_outbox")
      .select("id")
      .where("sent_at", "is", null)
      .where((eb) => eb.or([eb("claimed_at", "is", null), eb("claimed_at", "<", staleBefore)]))
      .orderBy("id")
      .limit(BATCH),
  );
  const claimed = await db
    .updateTable("email_outbox")
    .set({ claimed_at: iso(now), claimed_by: token })
    .where("id", "in", candidates)
    .where("sent_at", "is", null)
    .where((eb) => eb.or([eb("claimed_at", "is", null), eb("claimed_at", "<", staleBefore)]))
    .returningAll()
    .execute();
  return claimed.sort((a, b) => a.id - b.id);
}

/**
 * Sends the next batch of queued email. Any node may call it at any time: each run claims its
 * batch first (`claimBatch`), so no email is sent by two runs. A failed send clears the claim,
 * keeping the error, and is tried again by a later run. Returns how many were sent.
 */
export async function deliverPendingEmail(db: DB, now: Date): Promise<number> {
  const token = randomBytes(12).toString("hex");
  const pending = await claimBatch(db, token, now);
  const smtp = getTransport();
  let sent = 0;
  for (const email of pending) {
    try {
      if (smtp) {
        await smtp.sendMail({ from: getEnv().SMTP_FROM, to: email.to_address, subject: email.subject, text: email.body_text });
      } else {
        console.info(`\n[email] To: ${email.to_address}\n[email] Subject: ${email.subject}\n${email.body_text}\n[email] (not sent: SMTP_HOST is not set)\n`);
      }
      await db.updateTable("email_outbox").set({ sent_at: iso(now), last_error: null }).where("id", "=", email.id).where("claimed_by", "=", token).execute();
      sent += 1;
    } catch (error) {
      await db.updateTable("email_outbox").set({ last_error: String(error).slice(0, 500), claimed_at: null, claimed_by: null }).where("id", "=", email.id).where("claimed_by", "=", token).execute();
    }
  }
  return sent;
}
