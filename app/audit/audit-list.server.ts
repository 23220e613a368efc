/**
 * The audit trail for admins, newest first, one page at a time (issue 19, ADR 0014): filtered
 * by action (index audit_event_action_id) or by subject (audit_event_subject_id).
 */
import type { DB } from "~db/connection";
import { keysetPage } from "~/utils/keyset";
import { parsePageRequest, parseSearch, type Page, type PageRequest } from "~/utils/pagination";
import type { AuditRow } from "./audit.server";

export interface AuditListQuery {
  action: string;
  subject: string;
  page: PageRequest;
}

/** The action must be one that exists (the caller passes the list); anything else means all. */
export function parseAuditListQuery(params: URLSearchParams, actions: readonly string[]): AuditListQuery {
  const requested = params.get("action") ?? "";
  return { action: actions.includes(requested) ? requested : "", subject: parseSearch(params.get("subject")), page: parsePageRequest(params, ["number", "number"]) };
}

/**
 * Every distinct action, read as a loose index scan: each step jumps to the next value in the
 * (action, id) index, so the cost is the number of actions (a few dozen), not of events.
 */
export async function listAuditActions(db: DB): Promise<string[]> {
  const rows = await db
    .withRecursive("actions(action)", (qb) =>
      qb
        .selectFrom("audit_event")
        .select((eb) => eb.fn.min<string | null>("action").as("action"))
        .unionAll((union) =>
          union
            .selectFrom("actions")
            .select((eb) => eb.selectFrom("audit_event").select((inner) => inner.fn.min("audit_event.action").as("next")).whereRef("audit_event.action", ">", "actions.action").as("action"))
            .where("actions.action", "is not", null),
        ),
    )
    .selectFrom("actions")
    .select("action")
    .where("action", "is not", null)
    .execute();
  return rows.map((r) => r.action as string);
}

function events(db: DB, query: AuditListQuery) {
  let base = db.selectFrom("audit_event");
  if (query.action) base = base.where("audit_event.action", "=", query.action);
  if (query.subject) base = base.where("audit_event.subject_id", "=", query.subject);
  return base;
}

function filtered(db: DB, query: AuditListQuery) {
  return events(db, query).leftJoin("user", "user.id", "audit_event.actor_user_id");
}

export async function listAuditPage(db: DB, query: AuditListQuery): Promise<Page<AuditRow>> {
  return keysetPage(
    {
      base: filtered(db, query),
      // The actor's name is only shown: counting needs no join.
      countBase: events(db, query),
      select: (base) => (base as ReturnType<typeof filtered>).selectAll("audit_event").select(["user.name as actor_name", "user.email as actor_email"]),
      sort: { column: "audit_event.id", id: "audit_event.id", direction: "desc", key: (r) => [r.id, r.id] },
      request: query.page,
    },
    (r) => r,
  );
}
