/**
 * The admin certificates list: one page at a time, searched, filtered and sorted in SQL
 * (issue 19, ADR 0014). A page costs a constant number of queries whatever the number of
 * certificates: the rows shown, the count, the count before the page, and the facts of the
 * shown rows' live status (read for those rows only). Filtering, counting and sorting by live
 * status use the stored status (certificate_status, ADR 0025), refreshed first when stale; the
 * status shown is the pure rule's, from the facts. Never reads PDFs, credentials or the JSON
 * snapshots.
 */
import { sql, type ExpressionBuilder, type SelectQueryBuilder } from "kysely";
import type { DB } from "~db/connection";
import type { Database } from "~db/schema";
import { addDays, ukToday } from "~/utils/dates";
import { containsText, keysetPage, type KeysetSort } from "~/utils/keyset";
import { likePattern, oneOf, parseDays, parsePageRequest, parseSearch, type Page, type PageRequest } from "~/utils/pagination";
import { liveStatusOfRow, statusFactColumns, getStatusRules } from "./status-sql.server";
import { freshCertificateStatuses } from "./stored-status.server";
import { STATUS_LABELS, type CertificateStatus, type LiveStatus } from "./status";

export const CERTIFICATE_SORTS = ["name", "issued", "expires", "status"] as const;
export type CertificateSort = (typeof CERTIFICATE_SORTS)[number];
export const EXPIRING_DAYS = [30, 60] as const;
const STATUSES = Object.keys(STATUS_LABELS) as CertificateStatus[];

export interface CertificateListQuery {
  q: string;
  status: CertificateStatus | null;
  expiringWithinDays: number | null;
  sort: CertificateSort;
  direction: "asc" | "desc";
  page: PageRequest;
}

/** Reads the list's state from the address; anything unknown falls back to the default. */
export function parseCertificateListQuery(params: URLSearchParams): CertificateListQuery {
  const sort = oneOf(params.get("sort"), CERTIFICATE_SORTS, "issued");
  const defaultDirection = sort === "issued" ? "desc" : "asc";
  const status = STATUSES.find((s) => s === params.get("status")) ?? null;
  return {
    q: parseSearch(params.get("q")),
    status,
    expiringWithinDays: parseDays(params.get("expiring"), EXPIRING_DAYS),
    sort,
    direction: oneOf(params.get("dir"), ["asc", "desc"] as const, defaultDirection),
    page: parsePageRequest(params, ["string", "string"]),
  };
}

export interface CertificateListItem {
  id: string;
  trainerName: string;
  issuedAt: string;
  expiresOn: string;
  live: LiveStatus;
  suspensionReason: string | null;
  revocationReason: string | null;
}

/** Filtering or sorting by live status reads the stored status (certificate_status, ADR 0025). */
const usesStoredStatus = (query: CertificateListQuery) => query.status !== null || query.expiringWithinDays !== null || query.sort === "status";

function sortFor(query: CertificateListQuery): KeysetSort<Row> {
  if (query.sort === "status") return { column: "certificate_status.status", id: "certificate_status.certificate_id", direction: query.direction, key: (row) => [row.stored_status, row.id] };
  const sort = query.sort;
  // Filtered by stored status, the candidates are sorted from certificate_status's copies of the
  // columns; otherwise the certificate's own indexes give the order.
  const table = usesStoredStatus(query) ? "certificate_status" : "certificate";
  const column = { name: `${table}.trainer_name`, issued: `${table}.issued_at`, expires: `${table}.expires_on` }[sort];
  const value = (row: Row) => ({ name: row.trainer_name, issued: row.issued_at, expires: row.expires_on })[sort];
  return { column, id: usesStoredStatus(query) ? "certificate_status.certificate_id" : "certificate.id", direction: query.direction, key: (row) => [value(row), row.id] };
}

/**
 * The page's rows: columns of the narrow certificate_status only, so the candidates of a filtered
 * page are sorted without reading their certificate rows (each beside its PDF); the reasons and
 * the facts of the live status come after, for the rows shown only.
 */
function selectRow(base: ReturnType<typeof filtered>) {
  return base.select([
    "certificate_status.certificate_id as id",
    "certificate_status.trainer_name",
    "certificate_status.issued_at",
    "certificate_status.expires_on",
    "certificate_status.status as stored_status",
  ]);
}
type Row = Awaited<ReturnType<ReturnType<typeof selectRow>["execute"]>>[number];

function filtered(db: DB, query: CertificateListQuery, today: string) {
  let base = db.selectFrom("certificate").innerJoin("certificate_status", "certificate_status.certificate_id", "certificate.id");
  if (query.q) base = base.where((eb) => search(eb, query.q));
  return withStatusFilters(base, query, today);
}

function search(eb: ExpressionBuilder<Database, "certificate">, q: string) {
  const pattern = likePattern(q);
  const idPrefix = q.toLowerCase();
  return eb.or([containsText("certificate.trainer_name", pattern), eb.and([eb("certificate.id", ">=", idPrefix), eb("certificate.id", "<", `${idPrefix}~`)])]);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function withStatusFilters<Q extends SelectQueryBuilder<any, any, any>>(base: Q, query: CertificateListQuery, today: string): Q {
  let q = base;
  if (query.status) q = q.where(sql.ref("certificate_status.status"), "=", query.status) as Q;
  if (query.expiringWithinDays !== null) {
    // Valid today implies expires_on after today: a range of certificate_status_status_expires.
    q = q.where(sql.ref("certificate_status.status"), "=", "valid").where(sql.ref("certificate_status.expires_on"), "<=", addDays(today, query.expiringWithinDays)) as Q;
  }
  return q;
}

/**
 * What the total and the position count: without a search, the stored statuses alone when the
 * list is filtered or sorted by status (their sort columns are copied there), else the
 * certificates alone.
 */
function countBase(db: DB, query: CertificateListQuery, today: string) {
  if (query.q) return filtered(db, query, today);
  if (usesStoredStatus(query)) return withStatusFilters(db.selectFrom("certificate_status"), query, today);
  return db.selectFrom("certificate");
}

export async function listCertificatePage(db: DB, query: CertificateListQuery, now: Date): Promise<Page<CertificateListItem>> {
  const today = ukToday(now);
  if (usesStoredStatus(query)) await freshCertificateStatuses(db, now);
  const page = await keysetPage(
    { base: filtered(db, query, today), countBase: countBase(db, query, today), select: (base) => selectRow(base as ReturnType<typeof filtered>), sort: sortFor(query), request: query.page },
    (row) => row,
  );
  const rules = await getStatusRules(db, now);
  const ids = page.items.map((row) => row.id);
  const facts =
    ids.length === 0
      ? []
      : await db
          .selectFrom("certificate")
          .select((eb) => ["certificate.id", "certificate.suspension_reason", "certificate.revocation_reason", ...statusFactColumns(eb, rules)])
          .where("certificate.id", "in", ids)
          .execute();
  const byId = new Map(facts.map((f) => [f.id, f]));
  return {
    ...page,
    items: page.items.map((row) => ({
      id: row.id,
      trainerName: row.trainer_name,
      issuedAt: row.issued_at,
      expiresOn: row.expires_on,
      live: liveStatusOfRow(byId.get(row.id)!, today, rules),
      suspensionReason: byId.get(row.id)!.suspension_reason,
      revocationReason: byId.get(row.id)!.revocation_reason,
    })),
  };
}
