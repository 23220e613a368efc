import nodemailer from "nodemailer";
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

export async function deliverPendingEmail(db: DB, now: Date): Promise<void> {
  const pending = await db.selectFrom("email_outbox").selectAll().where("sent_at", "is", null).orderBy("id").limit(50).execute();
  const smtp = getTransport();
  for (const email of pending) {
    try {
      if (smtp) {
        await smtp.sendMail({ from: getEnv().SMTP_FROM, to: email.to_address, subject: email.subject, text: email.body_text });
      } else {
        console.info(`\n[email] To: ${email.to_address}\n[email] Subject: ${email.subject}\n${email.body_text}\n[email] (not sent: SMTP_HOST is not set)\n`);
      }
      await db.updateTable("email_outbox").set({ sent_at: iso(now), last_error: null }).where("id", "=", email.id).execute();
    } catch (error) {
      await db.updateTable("email_outbox").set({ last_error: String(error).slice(0, 500) }).where("id", "=", email.id).execute();
    }
  }
}
