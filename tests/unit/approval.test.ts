import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { isPostgres } from "~db/dialect";
import { issueMissingCertificates, recordMark } from "~/approval/approval.server";
import { getReportTask, registerModuleVersions } from "~/content/catalog.server";
import * as marking from "~/marking/marking.server";
import { updateMarkingSettings } from "~/marking/settings.server";
import { submitReport } from "~/marking/submissions.server";
import { seedCertifiedTrainer } from "../../scripts/lib/seed-certified";
import { createTestDb, createUser } from "../helpers/db";

/**
 * Issue 16.7: the certificate after a report-task pass is issued in the release's transaction
 * (app/approval/, ADR 0018), and the hourly reconciliation issues any certificate that should
 * exist and does not.
 */
let db: DB;
let staffId: number;
const now = new Date("2026-06-01T09:00:00Z");
const BASE = "http://academy.test";
const REPORT = Array.from({ length: 80 }, (_, i) => `word${i}`).join(" ");
let n = 0;

beforeAll(async () => {
  db = await createTestDb();
  await registerModuleVersions(db, now);
  staffId = (await createUser(db, { role: "assessor" })).id;
  const admin = await createUser(db, { role: "admin" });
  await updateMarkingSettings(db, admin.id, { referralPercent: 0, passPercent: 0, blindMarking: false }, now);
});

/** A trainer who meets every requirement but the report-writing task, with a report in marking. */
async function trainerAwaitingMark() {
  n += 1;
  const trainer = await seedCertifiedTrainer(db, { name: `Awaiting ${n}`, email: `awaiting${n}@example.test`, password: "seeded password 1", staffUserId: staffId, reportPass: false }, BASE, now);
  const submitted = await submitReport(db, trainer.userId, REPORT, now);
  if (!submitted.ok) throw new Error(submitted.message ?? "refused");
  const marker = await createUser(db, { role: "assessor" });
  const viewer = { id: marker.id, role: "assessor" as const };
  expect(await marking.claimForMarking(db, submitted.value.submissionId, viewer, now)).toEqual({ ok: true, value: null });
  return { trainerId: trainer.userId, submissionId: submitted.value.submissionId, viewer };
}

const pass = (): marking.MarkInput => ({
  outcome: "pass",
  feedback: "A clear, factual report.",
  criteria: getReportTask("report-writing")!.rubric.map((c) => ({ criterionId: c.id, levelId: c.levels.find((l) => l.met)!.id, comment: "" })),
});

const certificatesOf = (trainerId: number) => db.selectFrom("certificate").select(["id", "pdf"]).where("user_id", "=", trainerId).execute();
const submissionStatus = async (id: number) => (await db.selectFrom("report_submission").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status;

/** A real failure inside the issuing transaction: the database refuses new certificates. */
async function refuseCertificates(on: boolean) {
  if (isPostgres(db)) {
    if (on) {
      await sql`CREATE OR REPLACE FUNCTION test_refuse_certificate() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'certificates are refused (test outage)'; END $$`.execute(db);
      await sql`CREATE TRIGGER test_refuse_certificate BEFORE INSERT ON certificate FOR EACH ROW EXECUTE FUNCTION test_refuse_certificate()`.execute(db);
    } else await sql`DROP TRIGGER test_refuse_certificate ON certificate`.execute(db);
  } else if (on) await sql`CREATE TRIGGER test_refuse_certificate BEFORE INSERT ON certificate BEGIN SELECT RAISE(ABORT, 'certificates are refused (test outage)'); END`.execute(db);
  else await sql`DROP TRIGGER test_refuse_certificate`.execute(db);
}

describe("certificate after a report-task pass", () => {
  it("is issued in the release's transaction, with its documents, when the pass is the last requirement", async () => {
    const { trainerId, submissionId, viewer } = await trainerAwaitingMark();
    expect(await certificatesOf(trainerId)).toEqual([]);
    expect(await recordMark(db, submissionId, viewer, pass(), now, BASE)).toEqual({ ok: true, value: { released: true, moderationRequired: false } });
    const certificates = await certificatesOf(trainerId);
    expect(certificates).toHaveLength(1);
    expect(certificates[0]!.pdf).not.toBeNull();
    expect(await db.selectFrom("issued_credential").select("id").where("certificate_id", "=", certificates[0]!.id).execute()).toHaveLength(1);
    expect(await issueMissingCertificates(db, BASE, now)).toEqual({ checked: 0, issued: 0 });
  });

  it("when issuing fails, the release is undone with it; marking again releases the pass and the certificate arrives", async () => {
    const { trainerId, submissionId, viewer } = await trainerAwaitingMark();
    await refuseCertificates(true);
    try {
      await expect(recordMark(db, submissionId, viewer, pass(), now, BASE)).rejects.toThrow(/certificates are refused/);
    } finally {
      await refuseCertificates(false);
    }
    // Nothing half-done: not released, no mark, no certificate; the marker still holds it.
    expect(await submissionStatus(submissionId)).toBe("in_marking");
    expect(await db.selectFrom("report_mark").select("id").where("submission_id", "=", submissionId).execute()).toEqual([]);
    expect(await certificatesOf(trainerId)).toEqual([]);

    expect(await recordMark(db, submissionId, viewer, pass(), now, BASE)).toMatchObject({ ok: true, value: { released: true } });
    expect(await submissionStatus(submissionId)).toBe("released");
    expect(await certificatesOf(trainerId)).toHaveLength(1);
  });

  it("the hourly reconciliation issues a certificate that a release left missing, reports it, then finds none", async () => {
    const { trainerId, submissionId, viewer } = await trainerAwaitingMark();
    // Released without the approval seam (as the old post-commit hook left things when it failed).
    expect(await marking.recordMark(db, submissionId, viewer, pass(), now)).toMatchObject({ ok: true, value: { released: true } });
    expect(await certificatesOf(trainerId)).toEqual([]);
    expect(await issueMissingCertificates(db, BASE, now)).toEqual({ checked: 1, issued: 1 });
    const certificates = await certificatesOf(trainerId);
    expect(certificates).toHaveLength(1);
    expect(certificates[0]!.pdf).not.toBeNull();
    expect(await issueMissingCertificates(db, BASE, now)).toEqual({ checked: 0, issued: 0 });
  });
});
