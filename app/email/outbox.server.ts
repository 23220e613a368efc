import { randomBytes } from "node:crypto";
import type { Transporter } from "nodemailer";
import { isPostgres } from "~db/dialect";
import type { DB } from "~db/connection";
import { getEnv } from "~/utils/env.server";
import { log } from "~/utils/log.server";
import { iso, MINUTE, HOUR } from "~/utils/clock";
import { startBackgroundWorker } from "~/utils/background-worker.server";

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
}

/**
 * Every email goes through the `email_outbox` table first, inside the caller's transaction, so
 * nothing is lost if delivery fails and there is a record of what was sent. Nothing is sent
 * inside the request: the outbox worker (`startOutboxWorker`, one per serving process) is woken
 * and sends it a moment later, and polls for anything it missed (ADR 0028).
 */
export async function queueEmail(db: DB, email: OutgoingEmail, now: Date): Promise<number> {
  const row = await db
    .insertInto("email_outbox")
    .values({ to_address: email.to, subject: email.subject, body_text: email.text, created_at: iso(now), sent_at: null, last_error: null })
    .returning("id")
    .executeTakeFirstOrThrow();
  // By id and subject only: never the address or the text (ADR 0036).
  log().info({ emailId: row.id, subject: email.subject }, "email queued");
  wakeOutboxWorker();
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
  if (emails.length > 0) log().info({ emails: emails.length }, "emails queued");
  if (emails.length > 0) wakeOutboxWorker();
}

// --- Transports -------------------------------------------------------------------------------

/** How the worker hands an email over. Throw to refuse it: `PermanentDeliveryError` gives up at once. */
export interface EmailTransport {
  send(email: OutgoingEmail): Promise<void>;
}

/** A refusal that retrying cannot cure (say, an address the transport knows is invalid). */
export class PermanentDeliveryError extends Error {
  override name = "PermanentDeliveryError";
}

/** SMTP via nodemailer (SMTP_HOST set), loaded with the first email sent, not with the server (ADR 0049). */
export function smtpTransport(): EmailTransport {
  const env = getEnv();
  let smtp: Promise<Transporter> | undefined;
  const connect = async () =>
    (await import("nodemailer")).default.createTransport({
      host: env.SMTP_HOST,
      port: env.SMTP_PORT ?? 587,
      auth: env.SMTP_USER ? { user: env.SMTP_USER, pass: env.SMTP_PASS ?? "" } : undefined,
    });
  return { send: async (email) => void (await (await (smtp ??= connect())).sendMail({ from: env.SMTP_FROM, to: email.to, subject: email.subject, text: email.text })) };
}

/**
 * No SMTP_HOST: the email stays in the outbox, marked sent. Its text never goes to the log (it
 * holds reset and invitation links, ADR 0036); under `npm run dev` (NODE_ENV=development) it is
 * printed to the terminal so a developer can follow the links.
 */
export const logTransport: EmailTransport = {
  send: async (email) => {
    if (getEnv().NODE_ENV === "development") process.stdout.write(`\n[email] To: ${email.to}\n[email] Subject: ${email.subject}\n${email.text}\n[email] (not sent: SMTP_HOST is not set)\n\n`);
  },
};

let configured: EmailTransport | undefined;

/** The transport the worker uses unless a call passes its own: SMTP when configured, else the log. */
export function defaultTransport(): EmailTransport {
  configured ??= getEnv().SMTP_HOST ? smtpTransport() : logTransport;
  return configured;
}

/** Replaces the default transport for this process (another provider's client); null restores it. */
export function setEmailTransport(transport: EmailTransport | null): void {
  configured = transport ?? undefined;
}

// --- The worker -------------------------------------------------------------------------------

/** How long a delivery run's claim on a batch lasts; past it another run takes the batch over. */
export const CLAIM_LEASE_MS = 10 * 60 * 1000;
/** Tries before an email is marked failed and left alone (with its last error). */
export const MAX_ATTEMPTS = 8;
/** The wait after the first failure; it doubles after each (2, 4, 8 … minutes), at most BACKOFF_CAP_MS. */
export const BACKOFF_BASE_MS = 2 * MINUTE;
export const BACKOFF_CAP_MS = 6 * HOUR;
const BATCH = 50;

/** The wait before the next try after `attempts` failed tries (1 → 2 min, 2 → 4 min, …). */
export function backoffMs(attempts: number): number {
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
}

/**
 * Claims up to 50 emails due for a try, oldest first: unsent, not given up, past their backoff,
 * and unclaimed or with a claim that has outlived the lease (a node died mid-batch). The UPDATE
 * re-checks the condition, so of two runs racing for a row only one gets it back.
 * - PostgreSQL: in one transaction, the candidates are read `FOR UPDATE SKIP LOCKED` (concurrent
 *   runs pass over each other's rows), then updated by id. (As one statement, `IN (SELECT … LIMIT
 *   50 FOR UPDATE SKIP LOCKED)` may be re-run by the planner and claim more than 50 rows.)
 * - SQLite runs one write at a time, so a single UPDATE is the claim (ADR 0021).
 */
async function claimBatch(db: DB, token: string, now: Date) {
  const staleBefore = iso(new Date(now.getTime() - CLAIM_LEASE_MS));
  const due = iso(now);
  const candidates = (q: DB) =>
    q
      .selectFrom("email_outbox")
      .select("id")
      .where("sent_at", "is", null)
      .where("failed_at", "is", null)
      .where((eb) => eb.or([eb("next_attempt_at", "is", null), eb("next_attempt_at", "<=", due)]))
      .where((eb) => eb.or([eb("claimed_at", "is", null), eb("claimed_at", "<", staleBefore)]))
      .orderBy("id")
      .limit(BATCH);
  const claim = (q: DB, ids: number[] | ReturnType<typeof candidates>) =>
    q
      .updateTable("email_outbox")
      .set({ claimed_at: due, claimed_by: token })
      .where("id", "in", ids)
      .where("sent_at", "is", null)
      .where("failed_at", "is", null)
      .where((eb) => eb.or([eb("claimed_at", "is", null), eb("claimed_at", "<", staleBefore)]))
      .returningAll()
      .execute();
  const claimed = isPostgres(db)
    ? await db.transaction().execute(async (trx) => {
        const ids = (await candidates(trx).forUpdate().skipLocked().execute()).map((r) => r.id);
        return ids.length === 0 ? [] : claim(trx, ids);
      })
    : await claim(db, candidates(db));
  return claimed.sort((a, b) => a.id - b.id);
}

export interface DeliveryRun {
  claimed: number;
  sent: number;
  /** Refused this time; tried again after the backoff. */
  retrying: number;
  /** Given up on (marked failed_at). */
  failed: number;
}

/**
 * One batch: claim, send each, record the outcome. A refused email keeps its error, counts an
 * attempt and waits out its backoff; after MAX_ATTEMPTS (or a PermanentDeliveryError) it is
 * marked failed and never claimed again, so failures never hold up the emails behind them.
 * Every write names this run's token, so a run whose lease was taken over records nothing.
 */
export async function deliverBatch(db: DB, now: Date, transport: EmailTransport = defaultTransport()): Promise<DeliveryRun> {
  const token = randomBytes(12).toString("hex");
  const pending = await claimBatch(db, token, now);
  const run: DeliveryRun = { claimed: pending.length, sent: 0, retrying: 0, failed: 0 };
  for (const email of pending) {
    try {
      await transport.send({ to: email.to_address, subject: email.subject, text: email.body_text });
    } catch (error) {
      const attempts = email.attempts + 1;
      const permanent = error instanceof PermanentDeliveryError || attempts >= MAX_ATTEMPTS;
      await db
        .updateTable("email_outbox")
        .set({
          attempts,
          last_error: String(error).slice(0, 500),
          claimed_at: null,
          claimed_by: null,
          next_attempt_at: permanent ? null : iso(new Date(now.getTime() + backoffMs(attempts))),
          failed_at: permanent ? iso(now) : null,
        })
        .where("id", "=", email.id)
        .where("claimed_by", "=", token)
        .execute();
      if (permanent) run.failed += 1;
      else run.retrying += 1;
      log().warn({ emailId: email.id, attempts, permanent, err: error }, permanent ? "email failed for good" : "email not sent; it is tried again later");
      continue;
    }
    await db
      .updateTable("email_outbox")
      .set({ sent_at: iso(now), attempts: email.attempts + 1, next_attempt_at: null })
      .where("id", "=", email.id)
      .where("claimed_by", "=", token)
      .execute();
    run.sent += 1;
    log().info({ emailId: email.id, subject: email.subject, attempts: email.attempts + 1 }, "email sent");
  }
  return run;
}

/** Sends the next batch of queued email; returns how many were sent (ADR 0021's entry point). */
export async function deliverPendingEmail(db: DB, now: Date, transport?: EmailTransport): Promise<number> {
  return (await deliverBatch(db, now, transport)).sent;
}

/**
 * Batches until nothing is left to claim (at most `maxBatches`): failures are pushed into the
 * future or given up, so a batch of failures never stops the run from reaching later email.
 */
export async function drainOutbox(db: DB, now: Date, options: { transport?: EmailTransport; maxBatches?: number } = {}): Promise<DeliveryRun> {
  const total: DeliveryRun = { claimed: 0, sent: 0, retrying: 0, failed: 0 };
  for (let i = 0; i < (options.maxBatches ?? 100); i += 1) {
    const run = await deliverBatch(db, now, options.transport);
    total.claimed += run.claimed;
    total.sent += run.sent;
    total.retrying += run.retrying;
    total.failed += run.failed;
    if (run.claimed === 0) break;
  }
  return total;
}

/** How often a serving process looks for email nobody woke it for (another node's, a retry now due). */
export const OUTBOX_POLL_MS = 30_000;
/** After a wake-up, the worker waits this long, so the request's transaction has committed. */
const WAKE_DELAY_MS = 200;

declare global {
  // The server script and the Remix build each load their own copy of this module: the wake-up
  // lives on globalThis so a route's queueEmail reaches the worker the server script started.
  var __academyOutboxWake: (() => void) | null | undefined;
}

/** Asks this process's worker (if it runs one) to look at the outbox soon, outside the request. */
export function wakeOutboxWorker(): void {
  globalThis.__academyOutboxWake?.();
}

/**
 * Starts this process's outbox worker: drains the outbox every OUTBOX_POLL_MS and shortly after
 * anything is queued here. One run at a time per process; several processes and nodes may run
 * workers at once (the claim keeps each email to one sender). Returns a stop function.
 */
export function startOutboxWorker(db: DB, clock: () => Date, options: { pollMs?: number } = {}): () => void {
  return startBackgroundWorker({
    work: async () => {
      const result = await drainOutbox(db, clock());
      if (result.failed > 0) log().warn({ failed: result.failed }, `Email: email(s) failed permanently after ${MAX_ATTEMPTS} tries; see email_outbox.last_error.`);
    },
    onError: (error) => log().error({ err: error }, "Email delivery failed"),
    setWake: (wake) => (globalThis.__academyOutboxWake = wake),
    pollMs: options.pollMs ?? OUTBOX_POLL_MS,
    wakeDelayMs: WAKE_DELAY_MS,
  });
}
