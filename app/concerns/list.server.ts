/**
 * The admins' list of concerns (ADR 0030): one page at a time by keyset (ADR 0014), newest
 * first, filtered by state (open, closed or both) and category. Unconfirmed concerns are never
 * listed. Admins only (the route checks).
 */
import type { DB } from "~db/connection";
import type { Concern } from "~db/schema";
import { keysetPage } from "~/utils/keyset";
import { oneOf, parsePageRequest, type Page, type PageRequest } from "~/utils/pagination";
import { CONCERN_CATEGORY_FILTERS, CONCERN_STATES, type ConcernCategoryFilter, type ConcernState } from "./validation";

export interface ConcernListQuery {
  state: ConcernState;
  category: ConcernCategoryFilter;
  page: PageRequest;
}

/** What the address asks for; anything unknown falls back to open concerns of any category, page one. */
export function parseConcernListQuery(params: URLSearchParams): ConcernListQuery {
  return {
    state: oneOf(params.get("state") ?? params.get("status"), CONCERN_STATES, "open"),
    category: oneOf(params.get("category"), CONCERN_CATEGORY_FILTERS, "any"),
    page: parsePageRequest(params, ["number", "number"]),
  };
}

export interface ConcernSummary {
  id: number;
  reference: string;
  trainerName: string;
  category: string;
  severity: string | null;
  status: Concern["status"];
  confirmedAt: string | null;
  handlerName: string | null;
  raisedByStaff: boolean;
}

function filtered(db: DB, query: ConcernListQuery) {
  let base = db.selectFrom("concern");
  base = query.state === "all" ? base.where("concern.status", "in", ["open", "closed"]) : base.where("concern.status", "=", query.state);
  if (query.category !== "any") base = base.where("concern.category", "=", query.category);
  return base;
}

export async function listConcernsPage(db: DB, query: ConcernListQuery): Promise<Page<ConcernSummary>> {
  const base = filtered(db, query);
  return keysetPage(
    {
      base: base.innerJoin("certificate", "certificate.id", "concern.certificate_id").leftJoin("user as handler", "handler.id", "concern.handler_user_id"),
      countBase: base,
      select: (b) =>
        (b as ReturnType<typeof _joined>).select([
          "concern.id",
          "concern.reference",
          "certificate.trainer_name",
          "concern.category",
          "concern.severity",
          "concern.status",
          "concern.confirmed_at",
          "concern.raised_by_user_id",
          "handler.name as handler_name",
        ]),
      sort: { column: "concern.id", id: "concern.id", direction: "desc", key: (r) => [r.id, r.id] },
      request: query.page,
    },
    (r) => ({
      id: r.id,
      reference: r.reference,
      trainerName: r.trainer_name,
      category: r.category,
      severity: r.severity,
      status: r.status,
      confirmedAt: r.confirmed_at,
      handlerName: r.handler_name,
      raisedByStaff: r.raised_by_user_id !== null,
    }),
  );
}

// Only for the type of the joined query.
const _joined = (db: DB) => db.selectFrom("concern").innerJoin("certificate", "certificate.id", "concern.certificate_id").leftJoin("user as handler", "handler.id", "concern.handler_user_id");
