/**
 * Emails the outbox worker gave up on (ADR 0028: `failed_at`, after 8 tries or a permanent
 * refusal), for admins: one page at a time, newest failure first (keyset, ADR 0014). An admin
 * retries one (it goes back to the worker as new: no tries counted, no backoff) or dismisses it
 * (kept in the table, off the list). Both are conditional updates, so two admins acting at once
 * change a row once, and both are audited by the email's id and subject: never its address or
 * text (the text may hold one-time links).
 */
import type { Updateable } from "kysely";
import type { DB } from "~db/connection";
import type { EmailOutboxTable } from "~db/schema";
import { recordAudit } from "~/audit/audit.server";
import { wakeOutboxWorker } from "~/email/outbox.server";
import { iso } from "~/utils/clock";
import { keysetPage } from "~/utils/keyset";
import { parsePageRequest, type Page, type PageRequest } from "~/utils/pagination";
import { ok, refuse, type Result } from "~/utils/result";

export interface FailedEmail {
  id: number;
  to: string;
  subject: string;
  createdAt: string;
  failedAt: string;
  attempts: number;
  lastError: string | null;
}

export const parseFailedEmailsPage = (params: URLSearchParams): PageRequest => parsePageRequest(params, ["string", "number"]);

const failed = (db: DB) => db.selectFrom("email_outbox").where("failed_at", "is not", null).where("sent_at", "is", null).where("dismissed_at", "is", null);

export async function listFailedEmails(db: DB, page: PageRequest): Promise<Page<FailedEmail>> {
  return keysetPage(
    {
      base: failed(db),
      select: (base) => (base as ReturnType<typeof failed>).select(["id", "to_address", "subject", "created_at", "failed_at", "attempts", "last_error"]),
      sort: { column: "email_outbox.failed_at", id: "email_outbox.id", direction: "desc", key: (r) => [r.failed_at ?? "", r.id] },
      request: page,
    },
    (r) => ({ id: r.id, to: r.to_address, subject: r.subject, createdAt: r.created_at, failedAt: r.failed_at ?? "", attempts: r.attempts, lastError: r.last_error }),
  );
}

const gone = () => refuse(404, "That email is not in the failed list any more (retried or dismissed already).");

/**
 * Changes one email that failed for good and is neither sent nor dismissed, and audits it, in one
 * transaction. The conditions make a second click (or a second admin) change nothing: false.
 */
function changeFailedEmail(db: DB, actorId: number, id: number, set: Updateable<EmailOutboxTable>, action: "email.retried" | "email.dismissed", now: Date): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("email_outbox")
      .set(set)
      .where("id", "=", id)
      .where("failed_at", "is not", null)
      .where("sent_at", "is", null)
      .where("dismissed_at", "is", null)
      .returning(["id", "subject"])
      .executeTakeFirst();
    if (row) await recordAudit(trx, { actorUserId: actorId, action, subjectType: "email", subjectId: row.id, details: { subject: row.subject } }, now);
    return row !== undefined;
  });
}

/** Puts a failed email back in the queue as new; the worker is woken. Audited. */
export async function retryFailedEmail(db: DB, actorId: number, id: number, now: Date): Promise<Result> {
  const done = await changeFailedEmail(db, actorId, id, { failed_at: null, attempts: 0, next_attempt_at: null, claimed_at: null, claimed_by: null }, "email.retried", now);
  if (!done) return gone();
  wakeOutboxWorker();
  return ok();
}

/** Takes a failed email off the list for good (it stays in the table, unsent). Audited. */
export async function dismissFailedEmail(db: DB, actorId: number, id: number, now: Date): Promise<Result> {
  const done = await changeFailedEmail(db, actorId, id, { dismissed_at: iso(now), dismissed_by_user_id: actorId }, "email.dismissed", now);
  return done ? ok() : gone();
}
