/**
 * Governance exports (issue 15): trainers' progress, certificates with their live status, marking
 * outcomes and the audit trail, as streamed CSV. Each export reads its rows in keyset batches of
 * 1,000 (one indexed range read each, plus one query per batch for related facts), so a
 * 100,000-row export holds one batch in memory at a time.
 *
 * Never exported: DBS details of any kind (criminal offence data, UK GDPR Art. 10: whether a
 * trainer's entry requirements hold shows in the certificate's live status), password hashes,
 * report texts, marking keys, evidence files.
 */
import type { DB } from "~db/connection";
import { getStatusRules, liveStatusOfRow, statusFactColumns, type StatusRules } from "~/certificates/status-sql.server";
import { STATUS_LABELS } from "~/certificates/status";
import { listModules } from "~/content/catalog.server";
import { STAFF_STATUS_LABELS } from "~/marking/marking.server";
import { londonDateTimeOf, londonDayOf, londonDayStart, addDays, ukToday } from "~/utils/dates";
import { iso } from "~/utils/clock";
import { keysetBatches, type AnySelect } from "~/utils/keyset";
import { invalid, ok, type Result } from "~/utils/result";
import type { CsvValue } from "./csv";
import { readDayRange } from "./day-range";
import { EXPORT_KINDS, MAX_AUDIT_RANGE_DAYS, type ExportKind } from "./export-kinds";

export { EXPORT_KINDS, type ExportKind };

export interface ExportQuery {
  kind: ExportKind;
  /** UK calendar days, inclusive; null: open-ended. */
  from: string | null;
  to: string | null;
}

/** Reads an export request; every problem is reported against its field. */
export function parseExportQuery(params: URLSearchParams, now: Date): Result<ExportQuery> {
  const errors: Record<string, string> = {};
  const rawKind = params.get("kind") ?? "";
  const kind = EXPORT_KINDS.find((k) => k === rawKind);
  if (!kind) errors.kind = "Choose what to export.";
  const { from, to } = readDayRange(params, now, errors);
  if (kind === "audit" && !errors.from && !errors.to) {
    if (!from) errors.from = "Enter the first day of the audit trail to export.";
    if (!to) errors.to = "Enter the last day of the audit trail to export.";
    if (from && to && addDays(from, MAX_AUDIT_RANGE_DAYS) <= to) errors.to = `Export at most ${MAX_AUDIT_RANGE_DAYS} days of the audit trail at a time.`;
  }
  if (Object.keys(errors).length > 0 || !kind) return invalid(errors, "The export could not start. Check the fields marked below.");
  return ok({ kind, from, to });
}

export interface ExportDocument {
  filename: string;
  header: string[];
  batches: AsyncIterable<CsvValue[][]>;
}


const ukDay = (instant: string | null): string | null => (instant ? londonDayOf(instant) : null);
const yesNo = (value: boolean) => (value ? "yes" : "no");

/** The stored-instant bounds of a UK day range: [start of `from`, start of the day after `to`). */
function instantRange(query: ExportQuery): { from: string | null; before: string | null } {
  return { from: query.from ? iso(londonDayStart(query.from)) : null, before: query.to ? iso(londonDayStart(addDays(query.to, 1))) : null };
}

/**
 * The shape every export shares: the rows of `rows` whose instant `column` falls in the chosen
 * UK days ([from, before)), streamed in keyset batches by `id`.
 */
function rangedById<Row extends { id: string | number }>(rows: AnySelect<Row>, column: string, id: string, query: ExportQuery) {
  const range = instantRange(query);
  let filtered = rows;
  if (range.from) filtered = filtered.where(column, ">=", range.from);
  if (range.before) filtered = filtered.where(column, "<", range.before);
  return keysetBatches(filtered, { column: id, id, direction: "asc", key: (r) => [r.id, r.id] });
}

async function* mapBatches<Row>(batches: AsyncIterable<Row[]>, toRecords: (rows: Row[]) => Promise<CsvValue[][]> | CsvValue[][]): AsyncGenerator<CsvValue[][]> {
  for await (const rows of batches) yield await toRecords(rows);
}

export async function buildExport(db: DB, query: ExportQuery, now: Date, baseUrl: string): Promise<ExportDocument> {
  const stamp = ukToday(now);
  const filename = `academy-${query.kind}-${query.from ?? "start"}-to-${query.to ?? stamp}.csv`;
  switch (query.kind) {
    case "trainers":
      return { filename, ...trainersExport(db, query, await getStatusRules(db, now), ukToday(now)) };
    case "certificates":
      return { filename, ...certificatesExport(db, query, await getStatusRules(db, now), ukToday(now), baseUrl) };
    case "marking":
      return { filename, ...markingExport(db, query) };
    case "audit":
      return { filename, ...auditExport(db, query) };
  }
}

// --- Trainers' progress ------------------------------------------------------------------------

function trainersExport(db: DB, query: ExportQuery, rules: StatusRules, today: string) {
  const modules = listModules();
  const users = db.selectFrom("user").select(["user.id", "user.name", "user.email", "user.disabled_at", "user.created_at", "user.email_confirmed_at"]).where("user.role", "=", "trainer");
  const header = [
    "Trainer ID",
    "Name",
    "Email",
    "Account",
    "Signed up (UK time)",
    "Email confirmed",
    "Qualifications verified",
    "Insurance verified until",
    `Modules passed (of ${modules.length})`,
    ...modules.map((m) => `Passed: ${m.title}`),
    "Report task",
    "Agreement accepted (UK time)",
    "Latest certificate",
    "Certificate status",
    "Certificate expires",
  ];
  const batches = mapBatches(rangedById(users, "user.created_at", "user.id", query), async (rows) => {
    const ids = rows.map((r) => r.id);
    const [passes, qualifications, insurance, reports, agreements, certificates] = await Promise.all([
      db
        .selectFrom("assessment_attempt")
        .select((eb) => ["user_id", "module_slug", eb.fn.min("submitted_at").as("passed_at")])
        .where("user_id", "in", ids)
        .where("passed", "=", 1)
        .groupBy(["user_id", "module_slug"])
        .execute(),
      db
        .selectFrom("qualification")
        .select((eb) => ["user_id", eb.fn.countAll().as("n")])
        .where("user_id", "in", ids)
        .where("status", "=", "verified")
        .groupBy("user_id")
        .execute(),
      db
        .selectFrom("insurance_policy")
        .select((eb) => ["user_id", eb.fn.max("end_date").as("end_date")])
        .where("user_id", "in", ids)
        .where("status", "=", "verified")
        .groupBy("user_id")
        .execute(),
      db.selectFrom("report_submission").select(["user_id", "version", "status", "outcome"]).where("user_id", "in", ids).execute(),
      db
        .selectFrom("agreement_acceptance")
        .select((eb) => ["user_id", eb.fn.max("accepted_at").as("accepted_at")])
        .where("user_id", "in", ids)
        .groupBy("user_id")
        .execute(),
      db
        .selectFrom("certificate")
        .select((eb) => ["certificate.id", "certificate.user_id", "certificate.issued_at", ...statusFactColumns(eb, rules)])
        .where("certificate.user_id", "in", ids)
        .execute(),
    ]);
    const byUser = <T extends { user_id: number }>(list: T[]) => {
      const map = new Map<number, T[]>();
      for (const item of list) map.set(item.user_id, [...(map.get(item.user_id) ?? []), item]);
      return map;
    };
    const passMap = byUser(passes);
    const qualMap = new Map(qualifications.map((q) => [q.user_id, Number(q.n)]));
    const insMap = new Map(insurance.map((i) => [i.user_id, i.end_date as string | null]));
    const reportMap = byUser(reports);
    const agreementMap = new Map(agreements.map((a) => [a.user_id, a.accepted_at as string | null]));
    const certMap = byUser(certificates);
    return rows.map((r) => {
      const passed = new Map((passMap.get(r.id) ?? []).map((p) => [p.module_slug, p.passed_at as string | null]));
      const latestReport = (reportMap.get(r.id) ?? []).sort((a, b) => b.version - a.version)[0];
      const reportState = !latestReport ? "not submitted" : latestReport.status === "released" ? (latestReport.outcome === "pass" ? "passed" : "referred") : "awaiting marking";
      const cert = (certMap.get(r.id) ?? []).sort((a, b) => (a.issued_at < b.issued_at ? 1 : -1))[0];
      const live = cert ? liveStatusOfRow(cert, today, rules) : null;
      return [
        r.id,
        r.name,
        r.email,
        r.disabled_at ? "disabled" : "active",
        londonDateTimeOf(r.created_at),
        yesNo(r.email_confirmed_at !== null),
        qualMap.get(r.id) ?? 0,
        insMap.get(r.id) ?? null,
        passed.size,
        ...modules.map((m) => ukDay(passed.get(m.slug) ?? null)),
        reportState,
        londonDateTimeOf(agreementMap.get(r.id) ?? null),
        cert?.id ?? null,
        live ? STATUS_LABELS[live.status] + (live.reason && live.status !== "valid" ? ` (${live.reason})` : "") : null,
        cert?.expires_on ?? null,
      ];
    });
  });
  return { header, batches };
}

// --- Certificates ----------------------------------------------------------------------------

function certificatesExport(db: DB, query: ExportQuery, rules: StatusRules, today: string, baseUrl: string) {
  const certs = db
    .selectFrom("certificate")
    .select((eb) => [
      "certificate.id",
      "certificate.user_id",
      "certificate.trainer_name",
      "certificate.issued_at",
      "certificate.expiry_basis",
      "certificate.suspension_reason",
      "certificate.revocation_reason",
      ...statusFactColumns(eb, rules),
    ]);
  const header = ["Certificate ID", "Trainer ID", "Trainer name", "Issued (UK time)", "Expires", "Expiry basis", "Status", "Public reason", "Superseded by", "Suspension note", "Revocation note", "Verification address"];
  const batches = mapBatches(rangedById(certs, "certificate.issued_at", "certificate.id", query), (rows) =>
    rows.map((r) => {
      const live = liveStatusOfRow(r, today, rules);
      return [
        r.id,
        r.user_id,
        r.trainer_name,
        londonDateTimeOf(r.issued_at),
        r.expires_on,
        r.expiry_basis,
        STATUS_LABELS[live.status],
        live.reason,
        r.superseded_by,
        r.suspension_reason,
        r.revocation_reason,
        `${baseUrl}/verify/${r.id}`,
      ];
    }),
  );
  return { header, batches };
}

// --- Marking outcomes --------------------------------------------------------------------------

function markingExport(db: DB, query: ExportQuery) {
  const subs = db
    .selectFrom("report_submission")
    .innerJoin("user as trainer", "trainer.id", "report_submission.user_id")
    .leftJoin("user as marker", "marker.id", "report_submission.marker_id")
    .leftJoin("user as moderator", "moderator.id", "report_submission.moderator_id")
    .select([
      "report_submission.id",
      "report_submission.candidate_number",
      "report_submission.user_id",
      "trainer.name as trainer_name",
      "report_submission.version",
      "report_submission.word_count",
      "report_submission.submitted_at",
      "report_submission.status",
      "marker.name as marker_name",
      "report_submission.marked_at",
      "report_submission.moderation_required",
      "moderator.name as moderator_name",
      "report_submission.outcome",
      "report_submission.released_at",
    ]);
  const header = [
    "Submission",
    "Candidate number",
    "Trainer ID",
    "Trainer name",
    "Version",
    "Words",
    "Submitted (UK time)",
    "Status",
    "Marker",
    "Marked (UK time)",
    "Moderation required",
    "Moderator",
    "Outcome",
    "Released (UK time)",
  ];
  const batches = mapBatches(rangedById(subs, "report_submission.submitted_at", "report_submission.id", query), (rows) =>
    rows.map((r) => [
      r.id,
      r.candidate_number,
      r.user_id,
      r.trainer_name,
      r.version,
      r.word_count,
      londonDateTimeOf(r.submitted_at),
      STAFF_STATUS_LABELS[r.status],
      r.marker_name,
      londonDateTimeOf(r.marked_at),
      r.moderation_required === null ? null : yesNo(r.moderation_required === 1),
      r.moderator_name,
      r.status === "released" ? r.outcome : null,
      londonDateTimeOf(r.released_at),
    ]),
  );
  return { header, batches };
}

// --- Audit trail -------------------------------------------------------------------------------

function auditExport(db: DB, query: ExportQuery) {
  const events = db
    .selectFrom("audit_event")
    .leftJoin("user", "user.id", "audit_event.actor_user_id")
    .select([
      "audit_event.id",
      "audit_event.occurred_at",
      "audit_event.actor_user_id",
      "user.name as actor_name",
      "user.email as actor_email",
      "audit_event.action",
      "audit_event.subject_type",
      "audit_event.subject_id",
      "audit_event.details",
    ]);
  const header = ["Event", "When (UK time)", "Recorded at (UTC)", "Actor ID", "Actor", "Actor email", "Action", "Subject type", "Subject ID", "Details (JSON)"];
  const batches = mapBatches(rangedById(events, "audit_event.occurred_at", "audit_event.id", query), (rows) =>
    rows.map((r) => [r.id, londonDateTimeOf(r.occurred_at), r.occurred_at, r.actor_user_id, r.actor_name ?? "System", r.actor_email, r.action, r.subject_type, r.subject_id, exportedDetails(r)]),
  );
  return { header, batches };
}

/** What the details cell says instead of the details of an event about a DBS check. */
export const DBS_DETAILS_WITHHELD = "Withheld: DBS details are never exported";

/**
 * DBS details are never exported, not even the decision (ADR 0038). An event about a DBS check
 * (a `dbs.*` action, or any event whose subject is a DBS check or a viewing of its original, such
 * as a re-check reminder) keeps its row (who, when, which action, which check) so the trail stays
 * complete, but not its details: they can hold the decision, a status check's result or the
 * trainer's id.
 */
export function exportedDetails(event: { action: string; subject_type: string | null; details: string | null }): string | null {
  const aboutDbs = event.action.startsWith("dbs.") || event.subject_type === "dbs_check" || event.subject_type === "dbs_viewing_slot";
  return aboutDbs ? DBS_DETAILS_WITHHELD : event.details;
}
