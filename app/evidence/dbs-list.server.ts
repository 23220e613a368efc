/**
 * The admin DBS list: one page of records, filtered by decision and searched by trainer, oldest
 * first (issue 19, ADR 0014). Never reads a certificate number or issue date.
 */
import type { DB } from "~db/connection";
import { containsText, keysetPage } from "~/utils/keyset";
import { likePattern, oneOf, parsePageRequest, parseSearch, type Page, type PageRequest } from "~/utils/pagination";
import type { DbsDecision } from "~db/schema";
import { DBS_FILTERS, type DbsFilter } from "./list-options";

export interface DbsListQuery {
  q: string;
  show: DbsFilter;
  page: PageRequest;
}

export function parseDbsListQuery(params: URLSearchParams): DbsListQuery {
  return { q: parseSearch(params.get("q")), show: oneOf(params.get("show"), DBS_FILTERS, "awaiting"), page: parsePageRequest(params, ["string", "number"]) };
}

export interface DbsListItem {
  id: number;
  createdAt: string;
  decision: DbsDecision | null;
  decidedAt: string | null;
  recheckDueOn: string | null;
  detailsErased: boolean;
  trainerName: string;
  trainerEmail: string;
}

function filtered(db: DB, query: DbsListQuery) {
  let base = db.selectFrom("dbs_check").innerJoin("user", "user.id", "dbs_check.user_id");
  if (query.show === "awaiting") base = base.where("dbs_check.decision", "is", null);
  else if (query.show !== "all") base = base.where("dbs_check.decision", "=", query.show);
  if (query.q) {
    const pattern = likePattern(query.q);
    base = base.where((eb) => eb.or([containsText("user.name", pattern), containsText("user.email", pattern)]));
  }
  return base;
}

export async function listDbsPage(db: DB, query: DbsListQuery): Promise<Page<DbsListItem>> {
  return keysetPage(
    {
      base: filtered(db, query),
      select: (base) =>
        (base as ReturnType<typeof filtered>).select([
          "dbs_check.id",
          "dbs_check.created_at",
          "dbs_check.decision",
          "dbs_check.decided_at",
          "dbs_check.recheck_due_on",
          "dbs_check.details_erased_at",
          "user.name",
          "user.email",
        ]),
      sort: { column: "dbs_check.created_at", id: "dbs_check.id", direction: "asc", key: (r) => [r.created_at, r.id] },
      request: query.page,
    },
    (r) => ({
      id: r.id,
      createdAt: r.created_at,
      decision: r.decision,
      decidedAt: r.decided_at,
      recheckDueOn: r.recheck_due_on,
      detailsErased: r.details_erased_at !== null,
      trainerName: r.name,
      trainerEmail: r.email,
    }),
  );
}

/** The awaiting-decision queue for the dashboard: its size and its oldest record's date. */
export async function dbsQueueSummary(db: DB): Promise<{ count: number; oldest: string | null }> {
  const row = await db
    .selectFrom("dbs_check")
    .select((eb) => [eb.fn.countAll<number>().as("count"), eb.fn.min("created_at").as("oldest")])
    .where("decision", "is", null)
    .executeTakeFirst();
  return { count: Number(row?.count ?? 0), oldest: row?.oldest ?? null };
}
