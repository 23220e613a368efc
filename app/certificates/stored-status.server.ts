/**
 * Each certificate's live status, stored in `certificate_status` so lists and counts can use an
 * index instead of evaluating the rule for every certificate (issue 19, ADR 0025).
 *
 * The answer always comes from the pure rule (`status.ts`, through `liveStatusOfRow`). A row is
 * trusted only while `fresh_until` is after today: it holds the first UK date on which the
 * answer could change by the calendar alone (an expiry, the end of the validity period, the
 * insurance ending or starting, the DBS re-check, the end of the agreement's re-acceptance
 * window, supervision becoming overdue). Triggers (migration 2026-12-01-0930-certificate-status) set `fresh_until = ''` in the
 * same transaction as any change to the facts the rule reads, whoever makes it. Readers call
 * `freshCertificateStatuses` first: one index seek when nothing is stale; otherwise the stale and
 * date-passed rows (few, normally: those changed since the last read, and those whose date came)
 * are recomputed, 2,500 per transaction (the synced commit is most of a batch's time under load),
 * the trainers' facts for a whole batch read a query per fact table (`withStatusFacts`, ADR 0044).
 */
import { sql } from "kysely";
import type { DB } from "~db/connection";
import { isPostgres } from "~db/dialect";
import { addDays, ukToday } from "~/utils/dates";
import { overdueFrom } from "~/supervision/standing";
import { CERTIFICATE_STATUS_COLUMNS, getStatusRules, liveStatusOfRow, withStatusFacts, type StatusFactRow, type StatusRules } from "./status-sql.server";


/** No calendar date can change the answer (revoked, superseded, or every date passed). */
export const FRESH_FOREVER = "9999-12-31";
const BATCH = 2_500;

/**
 * The first date after `today` on which `certificateStatus` could answer differently with the
 * same facts: each comparison of the rule with `today` changes its result on one date.
 */
export function freshUntil(row: StatusFactRow, today: string, rules: StatusRules): string {
  if (row.revoked_at || row.superseded_by) return FRESH_FOREVER;
  const dates = [
    row.validity_ends_on, // today >= validity_ends_on
    row.expires_on, // today >= expires_on
    row.insurance_start, // startDate > today
    row.insurance_end === null ? null : addDays(row.insurance_end, 1), // endDate < today
    row.dbs_recheck_due_on, // recheckDueOn <= today
    rules.agreement?.windowEndsOn ?? null, // today >= windowEndsOn (agreementOverdue)
    // today >= overdueFrom(nextDueOn, graceDays) (supervisionSuspends), when the policy switch is on
    rules.supervision.suspendsWhenOverdue && row.supervision_next_due_on !== null ? overdueFrom(row.supervision_next_due_on, rules.supervision.graceDays) : null,
  ];
  let first = FRESH_FOREVER;
  for (const date of dates) if (date !== null && date > today && date < first) first = date;
  return first;
}

/**
 * Recomputes every stored status that is stale or whose `fresh_until` has come, by the pure
 * rule. Returns how many rows it recomputed. On PostgreSQL each batch holds a lock that makes
 * fact changes wait (their triggers write to this table), so no change can slip between reading
 * the facts and storing the answer; on SQLite every write transaction is exclusive already.
 */
export async function refreshCertificateStatuses(db: DB, now: Date): Promise<number> {
  const today = ukToday(now);
  const rules = await getStatusRules(db, now);
  let total = 0;
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      if (isPostgres(trx)) await sql`LOCK TABLE certificate_status IN SHARE ROW EXCLUSIVE MODE`.execute(trx);
      const stale = await trx
        .selectFrom("certificate_status")
        // Joined on the user too (always equal), so the planner reads the covering
        // certificate_status_facts (id, user_id, …) rather than seeking each certificate row by
        // its primary key: suspension_category sits after the PDF in the row, so reading it
        // from the row walks the PDF's overflow pages (13 s for a 40,000-row backlog).
        .innerJoin("certificate", (join) => join.onRef("certificate.id", "=", "certificate_status.certificate_id").onRef("certificate.user_id", "=", "certificate_status.user_id"))
        .select(["certificate_status.certificate_id", "certificate.user_id", ...CERTIFICATE_STATUS_COLUMNS])
        .where("certificate_status.fresh_until", "<=", today)
        .limit(BATCH)
        .execute();
      // The trainers' facts for the whole batch, a query per fact table (not seven lookups per certificate).
      const rows = await withStatusFacts(trx, stale, rules);
      const values = rows.map((row) => ({ id: row.certificate_id, status: liveStatusOfRow(row, today, rules).status, until: freshUntil(row, today, rules) }));
      if (values.length > 0) {
        // Two statements: the status is written only where it changes (most rows keep theirs
        // and only get a new date), so the status indexes are rewritten only for a real change.
        const table = sql.join(values.map((v) => sql`(${v.id}, ${v.status}, ${v.until})`));
        await sql`WITH computed (id, status, fresh) AS (VALUES ${table})
          UPDATE certificate_status SET status = computed.status
          FROM computed WHERE certificate_status.certificate_id = computed.id AND certificate_status.status <> computed.status`.execute(trx);
        await sql`WITH computed (id, status, fresh) AS (VALUES ${table})
          UPDATE certificate_status SET fresh_until = computed.fresh
          FROM computed WHERE certificate_status.certificate_id = computed.id`.execute(trx);
      }
      return values.length;
    });
    total += done;
    if (done < BATCH) return total;
  }
}

/** True when some stored status cannot be trusted today (one index seek of certificate_status_fresh). */
async function anyStale(db: DB, today: string): Promise<boolean> {
  const row = await db.selectFrom("certificate_status").select("certificate_id").where("fresh_until", "<=", today).limit(1).executeTakeFirst();
  return row !== undefined;
}

/** Call before a read that uses `certificate_status`: afterwards every row is right for today. */
export async function freshCertificateStatuses(db: DB, now: Date): Promise<void> {
  if (await anyStale(db, ukToday(now))) await refreshCertificateStatuses(db, now);
}


