/**
 * The admin certificates list: one page at a time, searched, filtered and sorted in SQL
 * (issue 19, ADR 0014). A page costs three queries whatever the number of certificates: the
 * rows shown (with the facts their live status needs, fetched in the same query), the count,
 * and the count before the page. Never reads PDFs, credentials or the JSON snapshots.
 */
import { expressionBuilder } from "kysely";
import type { DB } from "~db/connection";
import type { Database } from "~db/schema";
import { addDays, ukToday } from "~/utils/dates";
import { containsText, keysetPage, type KeysetSort } from "~/utils/keyset";
import { likePattern, oneOf, parseDays, parsePageRequest, parseSearch, type Page, type PageRequest } from "~/utils/pagination";
import { liveStatusIs, liveStatusOfRow, liveStatusSql, statusFactColumns } from "./status-sql.server";
import { getAgreementRule, type AgreementRule } from "~/agreement/reacceptance.server";
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

type Eb = ReturnType<typeof expressionBuilder<Database, "certificate">>;

function sortFor(query: CertificateListQuery, today: string, agreement: AgreementRule | null): KeysetSort<Row> {
  const eb: Eb = expressionBuilder<Database, "certificate">();
  const column = { name: "certificate.trainer_name", issued: "certificate.issued_at", expires: "certificate.expires_on", status: liveStatusSql(eb, today, agreement) }[query.sort];
  const value = (row: Row) => ({ name: row.trainer_name, issued: row.issued_at, expires: row.expires_on, status: row.sql_status })[query.sort];
  return { column, id: "certificate.id", direction: query.direction, key: (row) => [value(row), row.id] };
}

function selectRow(base: ReturnType<typeof filtered>, today: string, agreement: AgreementRule | null) {
  return base.select((eb) => [
    "certificate.id",
    "certificate.trainer_name",
    "certificate.issued_at",
    "certificate.suspension_reason",
    "certificate.revocation_reason",
    ...statusFactColumns(eb, agreement),
    liveStatusSql(eb, today, agreement).as("sql_status"),
  ]);
}
type Row = Awaited<ReturnType<ReturnType<typeof selectRow>["execute"]>>[number];

function filtered(db: DB, query: CertificateListQuery, today: string, agreement: AgreementRule | null) {
  let base = db.selectFrom("certificate");
  if (query.q) {
    const pattern = likePattern(query.q);
    const idPrefix = query.q.toLowerCase();
    base = base.where((eb) =>
      eb.or([containsText("certificate.trainer_name", pattern), eb.and([eb("certificate.id", ">=", idPrefix), eb("certificate.id", "<", `${idPrefix}~`)])]),
    );
  }
  if (query.status) base = base.where((eb) => liveStatusIs(eb, query.status!, today, agreement));
  if (query.expiringWithinDays !== null) {
    const until = addDays(today, query.expiringWithinDays);
    base = base.where((eb) => eb.and([liveStatusIs(eb, "valid", today, agreement), eb("certificate.expires_on", "<=", until)]));
  }
  return base;
}

export async function listCertificatePage(db: DB, query: CertificateListQuery, now: Date): Promise<Page<CertificateListItem>> {
  const today = ukToday(now);
  const agreement = await getAgreementRule(db, now);
  return keysetPage(
    { base: filtered(db, query, today, agreement), select: (base) => selectRow(base as ReturnType<typeof filtered>, today, agreement), sort: sortFor(query, today, agreement), request: query.page },
    (row) => ({
      id: row.id,
      trainerName: row.trainer_name,
      issuedAt: row.issued_at,
      expiresOn: row.expires_on,
      live: liveStatusOfRow(row, today, agreement),
      suspensionReason: row.suspension_reason,
      revocationReason: row.revocation_reason,
    }),
  );
}
