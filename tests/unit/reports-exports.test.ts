/**
 * Governance exports (issue 15) on a seeded academy: every row is exported once, statuses agree
 * with the certificates list, date ranges are UK days, DBS details never appear, and every
 * export is audited.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { listCertificatePage, parseCertificateListQuery } from "~/certificates/list.server";
import { exportResponse } from "~/reports/export-http.server";
import { londonDateTimeOf } from "~/utils/dates";
import { DBS_DETAILS_WITHHELD, EXPORT_KINDS, parseExportQuery, type ExportKind, type ExportQuery } from "~/reports/exports.server";
import { growAcademy } from "../../scripts/lib/seed-scale";
import { decodeKeepingBom, parseCsv } from "../helpers/csv-parse";
import { openScaleDb } from "../helpers/scale-db";
import { createTestDb, createUser } from "../helpers/db";

const now = new Date("2026-06-01T09:00:00Z");
let db: DB;
let adminId: number;

async function download(query: Partial<ExportQuery> & { kind: ExportKind }, on: DB = db, at: Date = now): Promise<string[][]> {
  const response = await exportResponse(on, adminId, { from: null, to: null, ...query }, at, "https://academy.example");
  expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
  expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="academy-[a-z]+-[0-9a-z-]+\.csv"$/);
  return parseCsv(decodeKeepingBom(await response.arrayBuffer()));
}

const count = async (table: "user" | "certificate" | "report_submission" | "audit_event", where?: (q: never) => never) => {
  let q = db.selectFrom(table).select((eb) => eb.fn.countAll().as("n"));
  if (table === "user") q = q.where("role" as never, "=", "trainer" as never);
  if (where) q = where(q as never);
  return Number((await q.executeTakeFirstOrThrow()).n);
};

beforeAll(async () => {
  const opened = await openScaleDb(now);
  db = opened.db;
  adminId = opened.staff[0]!.id;
  // 1,300 trainers: more than one batch of 1,000 for the users export.
  await growAcademy(db, { from: 0, to: 1300 }, opened.ctx);
}, 300_000);

describe("each export on a seeded academy", () => {
  it("has one row per trainer, certificate and submission, across batches", async () => {
    const trainers = await download({ kind: "trainers" });
    expect(trainers.length - 1).toBe(await count("user"));
    expect(new Set(trainers.slice(1).map((r) => r[0])).size).toBe(trainers.length - 1);
    const certificates = await download({ kind: "certificates" });
    expect(certificates.length - 1).toBe(await count("certificate"));
    const marking = await download({ kind: "marking" });
    expect(marking.length - 1).toBe(await count("report_submission"));
  });

  it("gives each certificate the same live status as the certificates list", async () => {
    const rows = (await download({ kind: "certificates" })).slice(1);
    const column = 6;
    for (const status of ["valid", "expired", "suspended", "revoked", "superseded"] as const) {
      const listed = await listCertificatePage(db, parseCertificateListQuery(new URLSearchParams(`status=${status}`)), now);
      const label = status[0]!.toUpperCase() + status.slice(1);
      expect(rows.filter((r) => r[column] === label).length, status).toBe(listed.total);
    }
    expect(rows.filter((r) => r[column] === "Valid").length).toBeGreaterThan(0);
  });

  it("shows progress the trainer's rows support", async () => {
    const [header, ...rows] = await download({ kind: "trainers" });
    const passedColumn = header!.findIndex((h) => h.startsWith("Modules passed"));
    const statusColumn = header!.indexOf("Certificate status");
    for (const row of rows.filter((r) => r[statusColumn] === "Valid")) expect(row[passedColumn]).toBe("4");
    const withAttempts = await db.selectFrom("assessment_attempt").select("user_id").where("passed", "=", 1).distinct().execute();
    expect(rows.filter((r) => Number(r[passedColumn]) > 0).length).toBe(withAttempts.length);
  });

  it("never contains a DBS certificate number, issue date field or barred-list field", async () => {
    const numbers = new Set((await db.selectFrom("dbs_check").select("certificate_number").where("certificate_number", "is not", null).execute()).map((r) => r.certificate_number!));
    expect(numbers.size).toBeGreaterThan(100);
    for (const kind of EXPORT_KINDS) {
      const text = (await download({ kind, from: kind === "audit" ? "2025-06-01" : null, to: kind === "audit" ? "2026-06-01" : null })).flat().join("\n");
      // Every run of 12 or more digits in the file (a DBS number is 12), checked against every stored DBS number.
      const runs = text.match(/\d{12,}/g) ?? [];
      expect(runs.filter((digits) => [...numbers].some((n) => digits.includes(n))), `${kind} contains a DBS number`).toEqual([]);
      expect(text).not.toMatch(/barred|certificate_number|DBS number/i);
    }
  });

  it("records who exported what and when in the audit trail", async () => {
    const before = await count("audit_event");
    await download({ kind: "marking", from: "2026-01-01", to: "2026-05-31" });
    const last = await db.selectFrom("audit_event").selectAll().orderBy("id", "desc").limit(1).executeTakeFirstOrThrow();
    expect(await count("audit_event")).toBe(before + 1);
    expect(last).toMatchObject({ actor_user_id: adminId, action: "report.exported", subject_type: "export", subject_id: "marking", occurred_at: now.toISOString() });
    expect(JSON.parse(last.details)).toEqual({ from: "2026-01-01", to: "2026-05-31" });
  });
});

describe("the audit trail never carries DBS details", () => {
  it("keeps each DBS event's row but withholds its details, decision included; other events keep theirs", async () => {
    const small = await createTestDb();
    const admin = await createUser(small, { role: "admin" });
    const trainer = await createUser(small, { role: "trainer" });
    const at = (action: string, subject_type: string, details: object) =>
      small.insertInto("audit_event").values({ occurred_at: "2026-07-01T10:00:00.000Z", actor_user_id: admin.id, action, subject_type, subject_id: "7", details: JSON.stringify(details) }).execute();
    // The shapes the academy writes (app/evidence/dbs.server.ts, app/jobs/entry-requirements.server.ts).
    await at("dbs.decision_recorded", "dbs_check", { trainerUserId: trainer.id, decision: "not_suitable", originalSeenOn: "2026-06-30" });
    await at("dbs.status_check_recorded", "dbs_check", { trainerUserId: trainer.id, checkedOn: "2026-07-01", result: "new_information" });
    await at("dbs.details_erased", "dbs_check", { trainerUserId: trainer.id, decision: "suitable", retentionMonths: 6 });
    await at("reminder.dbs_recheck_due", "dbs_check", { trainerUserId: trainer.id, recheckDueOn: "2026-07-01" });
    await at("dbs.viewing_slot_offered", "dbs_viewing_slot", { startsAt: "2026-07-02T09:00:00.000Z", method: "video" });
    await at("evidence.verified", "qualification", { trainerUserId: trainer.id, note: "kept" });
    adminId = admin.id;
    const rows = await download({ kind: "audit", from: "2026-07-01", to: "2026-07-01" }, small, new Date("2026-07-02T12:00:00Z"));
    const details = Object.fromEntries(rows.slice(1).map((r) => [r[6], r[9]]));
    expect(Object.keys(details)).toEqual(["dbs.decision_recorded", "dbs.status_check_recorded", "dbs.details_erased", "reminder.dbs_recheck_due", "dbs.viewing_slot_offered", "evidence.verified"]);
    for (const action of Object.keys(details).slice(0, 5)) expect(details[action], action).toBe(DBS_DETAILS_WITHHELD);
    expect(JSON.parse(details["evidence.verified"]!)).toEqual({ trainerUserId: trainer.id, note: "kept" });
    const text = rows.flat().join("\n");
    expect(text).not.toMatch(/suitable|new_information|"decision|"result|recheckDueOn|originalSeenOn|video/);
    await small.destroy();
  });
});

describe("date ranges are UK days", () => {
  it("puts an event at 23:30 UTC on 30 June into 1 July (summer time)", async () => {
    const small = await createTestDb();
    const admin = await createUser(small, { role: "admin" });
    const at = (occurred_at: string, action: string) =>
      small.insertInto("audit_event").values({ occurred_at, actor_user_id: admin.id, action, subject_type: "test", subject_id: null, details: "{}" }).execute();
    await at("2026-06-30T22:59:59.000Z", "before.the.day");
    await at("2026-06-30T23:00:00.000Z", "first.moment");
    await at("2026-06-30T23:30:00.000Z", "half.past");
    await at("2026-07-01T22:59:59.999Z", "last.moment");
    await at("2026-07-01T23:00:00.000Z", "next.day");
    adminId = admin.id;
    const rows = await download({ kind: "audit", from: "2026-07-01", to: "2026-07-01" }, small, new Date("2026-07-02T12:00:00Z"));
    expect(rows.slice(1).map((r) => r[6])).toEqual(["first.moment", "half.past", "last.moment"]);
    expect(rows[2]![1]).toBe("2026-07-01 00:30:00");
    // Winter: the day starts at midnight UTC.
    expect(londonDateTimeOf("2026-12-01T00:00:00.000Z")).toBe("2026-12-01 00:00:00");
    await small.destroy();
  });
});

describe("parseExportQuery", () => {
  const parse = (qs: string) => parseExportQuery(new URLSearchParams(qs), now);

  it("accepts a kind with an optional range", () => {
    expect(parse("kind=certificates")).toEqual({ ok: true, value: { kind: "certificates", from: null, to: null } });
    expect(parse("kind=trainers&from=2026-01-01&to=2026-05-31")).toEqual({ ok: true, value: { kind: "trainers", from: "2026-01-01", to: "2026-05-31" } });
  });

  it.each([
    ["kind=everything", "kind", "Choose what to export."],
    ["", "kind", "Choose what to export."],
    ["kind=trainers&from=2026-02-30", "from", "Enter a real date, for example 2026-11-30."],
    ["kind=trainers&to=tomorrow", "to", "Enter a real date, for example 2026-11-30."],
    ["kind=trainers&from=2026-06-02", "from", "Enter a date that is today or earlier."],
    ["kind=trainers&from=2026-05-02&to=2026-05-01", "to", "The end date must be the same as or after the start date."],
    ["kind=audit", "from", "Enter the first day of the audit trail to export."],
    ["kind=audit&from=2026-01-01", "to", "Enter the last day of the audit trail to export."],
    ["kind=audit&from=2025-01-01&to=2026-05-01", "to", "Export at most 366 days of the audit trail at a time."],
  ])("refuses %j with a message on %s", (qs, field, message) => {
    const result = parse(qs);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.fieldErrors[field]).toBe(message);
  });
});
