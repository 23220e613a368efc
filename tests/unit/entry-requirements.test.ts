import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DB } from "~db/connection";
import { addMonths } from "~/utils/dates";
import { recordDbsDecision, recordDbsStatusCheck, submitDbsCheck, viewDbsCheck } from "~/evidence/dbs.server";
import { entryRequirementsMet, getEntryRequirementFacts } from "~/evidence/facts.server";
import { evidenceStoreOf, readEvidenceBytes, receiveEvidenceForm } from "~/evidence/files.server";
import { formatPence, parsePounds } from "~/utils/money";
import { CPD_MESSAGE, getTrainerRequirements, submitInsurance, submitQualification } from "~/evidence/requirements.server";
import { dbsDecisionSchema, dbsSchema, dbsStatusCheckSchema, insuranceSchema, qualificationSchema } from "~/evidence/validation";
import { decideVerification, listVerificationQueue } from "~/evidence/verification.server";
import { validate } from "~/utils/forms";
import { DEFAULT_POLICY, policySchema } from "~/policy/policy";
import { getPolicy, updatePolicy } from "~/policy/policy.server";
import { createTestDb, createUser as createAccount } from "../helpers/db";
import { createLogger } from "~/utils/log.server";
import { htmlNamedPdf, tinyJpeg, tinyPdf, tinyPng } from "../helpers/evidence";

let db: DB;
let evidenceDir: string;
const now = new Date("2026-06-01T10:00:00Z");
const today = "2026-06-01";
const DBS_NUMBER = "001234567890";
const minimums = { publicLiabilityPence: DEFAULT_POLICY.minPublicLiabilityPence, professionalIndemnityPence: DEFAULT_POLICY.minProfessionalIndemnityPence };

beforeAll(async () => {
  db = await createTestDb();
  evidenceDir = fs.mkdtempSync(path.join(os.tmpdir(), "ata-entry-"));
});
afterAll(() => fs.rmSync(evidenceDir, { recursive: true, force: true }));

/** Evidence files on disk (staged or stored) plus evidence kept in the database (PostgreSQL, ADR 0022). */
async function filesStored(): Promise<number> {
  const onDisk = fs.readdirSync(evidenceDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
  return onDisk + Number((await db.selectFrom("evidence_blob").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
}
const count = async (table: "qualification" | "insurance_policy" | "evidence_file" | "dbs_check") =>
  Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);

async function evidenceForm(fields: Record<string, string>, files: Record<string, { name: string; body: Buffer }>, fileFields: readonly string[]) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const [k, f] of Object.entries(files)) form.append(k, new File([new Uint8Array(f.body)], f.name));
  return receiveEvidenceForm(new Request("http://academy.test/", { method: "POST", body: form }), { evidenceDir, fileFields });
}

const goodQualification = {
  kind: "personal_training",
  level: "3",
  awardingOrganisation: "Active IQ",
  title: "Level 3 Diploma in Personal Training",
  qualificationNumber: "603/2791/3",
  certificateNumber: "AIQ-0012345",
  issueDate: "2024-03-15",
};
const goodInsurance = {
  insurer: "Example Mutual",
  policyNumber: "PT-778899",
  publicLiability: "£5,000,000",
  professionalIndemnity: "1,000,000",
  limitBasis: "per_occurrence",
  coveredActivities: "Personal training, exercise instruction in clients' homes and gyms",
  territory: "United Kingdom",
  startDate: "2026-01-01",
  endDate: "2026-12-31",
};
const goodDbs = {
  certificateNumber: DBS_NUMBER,
  issueDate: "2026-02-01",
  adultsBarredList: "on",
  workforce: "adult",
  updateService: "yes",
  statusCheckConsent: "on",
  willShowOriginal: "on",
};

describe("validation", () => {
  it("checks qualification numbers like 600/4941/8", () => {
    const schema = qualificationSchema(today);
    expect(validate(schema, { ...goodQualification, qualificationNumber: "600/4941/8" }).ok).toBe(true);
    expect(validate(schema, { ...goodQualification, qualificationNumber: " 601/1234/x " }).ok).toBe(true);
    for (const bad of ["6004941", "600/494/8", "600-4941-8", "abc/defg/h", "600/4941/88"]) {
      const result = validate(schema, { ...goodQualification, qualificationNumber: bad });
      expect(!result.ok && result.fieldErrors.qualificationNumber).toMatch(/like 600\/4941\/8/);
    }
  });

  it("requires a past issue date and a real date", () => {
    const schema = qualificationSchema(today);
    expect(!validate(schema, { ...goodQualification, issueDate: "2026-06-02" }).ok && "future").toBe("future");
    const future = validate(schema, { ...goodQualification, issueDate: "2027-01-01" });
    expect(!future.ok && future.fieldErrors.issueDate).toMatch(/today or in the past/);
    const impossible = validate(schema, { ...goodQualification, issueDate: "2025-02-30" });
    expect(!impossible.ok && impossible.fieldErrors.issueDate).toMatch(/real date/);
    const empty = validate(schema, {});
    expect(!empty.ok && Object.keys(empty.fieldErrors).sort()).toEqual(["awardingOrganisation", "certificateNumber", "issueDate", "kind", "level", "qualificationNumber", "title"]);
  });

  it("parses money in pounds and refuses what is not money", () => {
    expect(parsePounds("£5,000,000")).toBe(500_000_000);
    expect(parsePounds("1000000.5")).toBe(100_000_050);
    expect(parsePounds("2,500,000.00")).toBe(250_000_000);
    for (const bad of ["five million", "5m", "-5000000", "5,00,000", "1.234", "", "£", "1e7"]) expect(parsePounds(bad)).toBeNull();
    expect(formatPence(500_000_000)).toBe("£5,000,000");
  });

  it("checks insurance limits, minimum cover and the order of dates", () => {
    const schema = insuranceSchema(today, minimums);
    expect(validate(schema, goodInsurance).ok).toBe(true);
    const notMoney = validate(schema, { ...goodInsurance, publicLiability: "lots" });
    expect(!notMoney.ok && notMoney.fieldErrors.publicLiability).toMatch(/in pounds/);
    const tooLow = validate(schema, { ...goodInsurance, professionalIndemnity: "500,000" });
    expect(!tooLow.ok && tooLow.fieldErrors.professionalIndemnity).toMatch(/at least £1,000,000/);
    const backwards = validate(schema, { ...goodInsurance, startDate: "2026-12-31", endDate: "2026-01-01" });
    expect(!backwards.ok && backwards.fieldErrors.endDate).toMatch(/after the start date/);
    const ended = validate(schema, { ...goodInsurance, startDate: "2025-01-01", endDate: "2025-12-31" });
    expect(!ended.ok && ended.fieldErrors.endDate).toMatch(/already ended/);
  });

  it("checks the 12-digit DBS certificate number and the confirmations", () => {
    const schema = dbsSchema(today);
    expect(validate(schema, goodDbs).ok).toBe(true);
    expect(validate(schema, { ...goodDbs, certificateNumber: "0012 3456 7890" }).ok).toBe(true);
    for (const bad of ["12345678901", "1234567890123", "00123456789A", ""]) {
      const r = validate(schema, { ...goodDbs, certificateNumber: bad });
      expect(!r.ok && r.fieldErrors.certificateNumber).toMatch(/12/);
    }
    const noConsent = validate(schema, { ...goodDbs, statusCheckConsent: undefined });
    expect(!noConsent.ok && noConsent.fieldErrors.statusCheckConsent).toMatch(/consent/);
    const noPromise = validate(schema, { ...goodDbs, willShowOriginal: undefined });
    expect(!noPromise.ok && noPromise.fieldErrors.willShowOriginal).toMatch(/original certificate/);
    const future = validate(schema, { ...goodDbs, issueDate: "2026-07-01" });
    expect(!future.ok && future.fieldErrors.issueDate).toMatch(/past/);
  });

  it("refuses implausible dates on every date field, with the limit named next to the field (issue 16.20)", () => {
    const field = (schema: Parameters<typeof validate>[0], input: Record<string, unknown>, name: string) => {
      const r = validate(schema, input);
      return r.ok ? null : (r.fieldErrors[name] ?? null);
    };
    const insurance = insuranceSchema(today, minimums);
    // The review's example: an insurance end date of 2999-12-31.
    expect(field(insurance, { ...goodInsurance, endDate: "2999-12-31" }, "endDate")).toBe("The end date must be within 3 years from today (by 1 June 2029): check the year.");
    expect(field(insurance, { ...goodInsurance, endDate: "2029-06-01" }, "endDate")).toBeNull();
    expect(field(insurance, { ...goodInsurance, endDate: "2029-06-02" }, "endDate")).toMatch(/within 3 years/);
    expect(field(insurance, { ...goodInsurance, startDate: "1999-01-01" }, "startDate")).toBe("The start date must be within the last 3 years (on or after 1 June 2023): upload your current policy.");
    expect(field(insurance, { ...goodInsurance, startDate: "2027-06-02" }, "startDate")).toMatch(/within the next 12 months \(by 1 June 2027\)/);

    const qualification = qualificationSchema(today);
    expect(field(qualification, { ...goodQualification, issueDate: "1900-01-01" }, "issueDate")).toBe("Check the issue date: it is before 1 January 1950.");
    expect(field(qualification, { ...goodQualification, issueDate: "2999-01-01" }, "issueDate")).toMatch(/today or in the past/);

    const dbs = dbsSchema(today);
    expect(field(dbs, { ...goodDbs, issueDate: "2012-11-30" }, "issueDate")).toMatch(/December 2012/);
    expect(field(dbs, { ...goodDbs, issueDate: "2999-01-01" }, "issueDate")).toMatch(/today or in the past/);

    const decision = dbsDecisionSchema(today);
    const goodDecision = { decision: "suitable", originalSeenOn: today, originalSeenBy: "1" };
    expect(validate(decision, goodDecision).ok).toBe(true);
    expect(field(decision, { ...goodDecision, originalSeenOn: "2000-01-01" }, "originalSeenOn")).toBe(
      "The date the original certificate was seen must be within the last 12 months (on or after 1 June 2025): check the year.",
    );
    expect(field(decision, { ...goodDecision, originalSeenOn: "2999-01-01" }, "originalSeenOn")).toMatch(/today or in the past/);

    const statusCheck = dbsStatusCheckSchema(today);
    const goodCheck = { checkedOn: today, result: "current" };
    expect(validate(statusCheck, goodCheck).ok).toBe(true);
    expect(field(statusCheck, { ...goodCheck, checkedOn: "1999-12-31" }, "checkedOn")).toMatch(/within the last 12 months/);
    expect(field(statusCheck, { ...goodCheck, checkedOn: "2999-12-31" }, "checkedOn")).toMatch(/today or in the past/);
  });

  it("validates the policy form", () => {
    // A complete form as the policy page sends it by default: the staff two-factor box ticked (ADR 0032).
    expect(validate(policySchema, { minPublicLiabilityPence: "5,000,000", minProfessionalIndemnityPence: "1,000,000", dbsRecheckMonths: "12", warningWindowDays: "30", dbsRetentionMonths: "6", twoFactorRequiredForStaff: "on" })).toEqual({
      ok: true,
      value: DEFAULT_POLICY,
    });
    const bad = validate(policySchema, { minPublicLiabilityPence: "0", minProfessionalIndemnityPence: "x", dbsRecheckMonths: "1.5", warningWindowDays: "999", dbsRetentionMonths: "" });
    expect(!bad.ok && Object.keys(bad.fieldErrors).length).toBe(5);
  });
});

describe("trainer submissions", () => {
  it("stores a qualification with its evidence under a server-generated name", async () => {
    const trainer = await createUser(db);
    const form = await evidenceForm(goodQualification, { evidence: { name: "../../certificate.pdf", body: tinyPdf() } }, ["evidence", "cpdEvidence"]);
    const result = await submitQualification(db, trainer.id, form, { evidenceDir, now });
    expect(result.ok).toBe(true);
    const file = await db.selectFrom("evidence_file").selectAll().where("owner_user_id", "=", trainer.id).executeTakeFirstOrThrow();
    expect(file.display_name).toBe("certificate.pdf");
    expect(file.storage_name).toMatch(/^[0-9a-f]{32}\.pdf$/);
    // In the folder on SQLite, in the database on PostgreSQL (ADR 0022): the bytes uploaded.
    expect(await readEvidenceBytes(db, evidenceDir, file.storage_name)).toEqual(tinyPdf());
    expect(fs.existsSync(path.join(evidenceDir, file.storage_name))).toBe(evidenceStoreOf(db) === "folder");
  });

  it("stores nothing and leaves no file when any field is invalid, even though the file was fine", async () => {
    const trainer = await createUser(db);
    const [files, rows, evidence] = [await filesStored(), await count("qualification"), await count("evidence_file")];
    const form = await evidenceForm({ ...goodQualification, qualificationNumber: "nonsense" }, { evidence: { name: "c.png", body: tinyPng() } }, ["evidence", "cpdEvidence"]);
    const result = await submitQualification(db, trainer.id, form, { evidenceDir, now });
    expect(!result.ok && result.fieldErrors.qualificationNumber).toBeTruthy();
    expect([await filesStored(), await count("qualification"), await count("evidence_file")]).toEqual([files, rows, evidence]);
  });

  it("asks for CPD evidence when the qualification is more than five years old", async () => {
    const trainer = await createUser(db);
    const old = { ...goodQualification, issueDate: "2019-01-10" };
    const without = await submitQualification(db, trainer.id, await evidenceForm(old, { evidence: { name: "c.pdf", body: tinyPdf() } }, ["evidence", "cpdEvidence"]), { evidenceDir, now });
    expect(!without.ok && without.fieldErrors.cpdEvidence).toBe(CPD_MESSAGE);
    const withCpd = await submitQualification(
      db,
      trainer.id,
      await evidenceForm(old, { evidence: { name: "c.pdf", body: tinyPdf() }, cpdEvidence: { name: "cpd.jpg", body: tinyJpeg() } }, ["evidence", "cpdEvidence"]),
      { evidenceDir, now },
    );
    expect(withCpd.ok).toBe(true);
  });

  it("refuses an HTML file named .pdf and a missing file, storing nothing", async () => {
    const trainer = await createUser(db);
    const [files, rows] = [await filesStored(), await count("insurance_policy")];
    const html = await submitInsurance(db, trainer.id, await evidenceForm(goodInsurance, { evidence: { name: "schedule.pdf", body: htmlNamedPdf() } }, ["evidence"]), { evidenceDir, now });
    expect(!html.ok && html.fieldErrors.evidence).toMatch(/not a PDF, PNG or JPEG/);
    const missing = await submitInsurance(db, trainer.id, await evidenceForm(goodInsurance, {}, ["evidence"]), { evidenceDir, now });
    expect(!missing.ok && missing.fieldErrors.evidence).toMatch(/Choose a file/);
    expect([await filesStored(), await count("insurance_policy")]).toEqual([files, rows]);
  });
});

describe("verification by an assessor", () => {
  it("lists submissions oldest first, accepts and rejects with audit rows and emails", async () => {
    const fresh = await createTestDb();
    const trainer = await createUser(fresh);
    const assessor = await createUser(fresh, { role: "assessor" });
    const q = await submitQualification(fresh, trainer.id, await evidenceFormFor(goodQualification, ["evidence", "cpdEvidence"]), { evidenceDir, now });
    const i = await submitInsurance(fresh, trainer.id, await evidenceFormFor(goodInsurance, ["evidence"]), { evidenceDir, now: new Date("2026-06-01T11:00:00Z") });
    if (!q.ok || !i.ok) throw new Error("setup failed");
    const queue = await listVerificationQueue(fresh);
    expect(queue.map((item) => item.kind)).toEqual(["qualification", "insurance"]);
    expect((await listVerificationQueue(fresh, { kind: "insurance" })).map((item) => item.id)).toEqual([i.value.id]);

    const noReason = await decideVerification(fresh, assessor, "insurance", i.value.id, { decision: "reject", reason: "" }, "http://a.test", now);
    expect(!noReason.ok && noReason.fieldErrors.reason).toMatch(/reason/);
    const rejected = await decideVerification(fresh, assessor, "insurance", i.value.id, { decision: "reject", reason: "The schedule names someone else." }, "http://a.test", now);
    expect(rejected.ok).toBe(true);
    const stored = await fresh.selectFrom("insurance_policy").select(["status", "rejection_reason", "decided_by_user_id"]).where("id", "=", i.value.id).executeTakeFirstOrThrow();
    expect(stored).toEqual({ status: "rejected", rejection_reason: "The schedule names someone else.", decided_by_user_id: assessor.id });
    const again = await decideVerification(fresh, assessor, "insurance", i.value.id, { decision: "accept" }, "http://a.test", now);
    expect(!again.ok && again.status === 409 && again.message).toMatch(/already been decided/);
    expect((await decideVerification(fresh, assessor, "qualification", q.value.id, { decision: "accept" }, "http://a.test", now)).ok).toBe(true);

    const audit = await fresh.selectFrom("audit_event").selectAll().where("actor_user_id", "=", assessor.id).orderBy("id").execute();
    expect(audit.map((a) => a.action)).toEqual(["insurance.rejected", "qualification.verified"]);
    const emails = await fresh.selectFrom("email_outbox").select("subject").where("to_address", "=", trainer.email).execute();
    expect(emails.map((e) => e.subject)).toEqual(["Your insurance policy was not accepted", "Your qualification has been verified"]);
    expect(await listVerificationQueue(fresh)).toEqual([]);
    // Issue 12 item 3: the assessors were told of each submission, the trainer of each decision.
    const told = async (userId: number) => (await fresh.selectFrom("notification").select("kind").where("user_id", "=", userId).orderBy("id").execute()).map((n) => n.kind);
    expect(await told(assessor.id)).toEqual(["evidence_to_verify", "evidence_to_verify"]);
    expect(await told(trainer.id)).toEqual(["evidence_refused", "evidence_verified"]);
  });

  it("a rejection needs a reason of at least 10 characters", async () => {
    const { verificationDecisionSchema } = await import("~/evidence/validation");
    const r = validate(verificationDecisionSchema, { decision: "reject", reason: "no" });
    expect(!r.ok && r.fieldErrors.reason).toMatch(/reason/);
    expect(validate(verificationDecisionSchema, { decision: "reject", reason: "The schedule shows a different name." }).ok).toBe(true);
  });

  it("an assessor cannot verify their own record", async () => {
    const assessor = await createUser(db, { role: "assessor" });
    const q = await submitQualification(db, assessor.id, await evidenceFormFor(goodQualification, ["evidence", "cpdEvidence"]), { evidenceDir, now });
    if (!q.ok) throw new Error("setup failed");
    const result = await decideVerification(db, assessor, "qualification", q.value.id, { decision: "accept" }, "http://a.test", now);
    expect(!result.ok && result.status === 403 && result.message).toMatch(/cannot verify your own record/);
    const row = await db.selectFrom("qualification").select("status").where("id", "=", q.value.id).executeTakeFirstOrThrow();
    expect(row.status).toBe("submitted");
    const trainer = await createUser(db);
    expect((await decideVerification(db, trainer, "qualification", q.value.id, { decision: "accept" }, "http://a.test", now)).ok).toBe(false);
  });
});

/** Like the helper, but the result carries its role, as the signed-in user does. */
async function createUser(database: DB, overrides: { role?: "trainer" | "assessor" | "admin" } = {}) {
  const user = await createAccount(database, overrides);
  return { ...user, role: overrides.role ?? "trainer" };
}

async function evidenceFormFor(fields: Record<string, string>, fileFields: readonly string[]) {
  return evidenceForm(fields, { evidence: { name: "evidence.pdf", body: tinyPdf() } }, fileFields);
}

describe("Enhanced DBS", () => {
  it("records the decision and every admin view in the audit trail, never the certificate number", async () => {
    const fresh = await createTestDb();
    const trainer = await createUser(fresh);
    const admin = await createUser(fresh, { role: "admin" });
    const assessor = await createUser(fresh, { role: "assessor" });
    const logged: string[] = [];
    const spies = (["log", "info", "warn", "error"] as const).map((level) => vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void logged.push(args.map(String).join(" "))));
    // The server's log (pino, ADR 0036) at its most verbose, captured here too.
    const serverLogger = globalThis.__academyLogger;
    globalThis.__academyLogger = createLogger({ level: "trace", format: "json", sink: { write: (line: string) => void logged.push(line) } });
    try {
      const submitted = await submitDbsCheck(fresh, trainer.id, goodDbs, now);
      if (!submitted.ok) throw new Error("setup failed");
      const id = submitted.value.id;
      const viewed = await viewDbsCheck(fresh, admin, id, now);
      expect(viewed?.check.certificate_number).toBe(DBS_NUMBER);
      expect(await viewDbsCheck(fresh, { id: assessor.id, role: "assessor" }, id, now)).toBeNull();

      const decided = await recordDbsDecision(fresh, admin, id, { decision: "suitable", originalSeenOn: "2026-05-20", originalSeenBy: assessor.id }, "http://a.test", now);
      expect(decided.ok).toBe(true);
      const row = await fresh.selectFrom("dbs_check").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ decision: "suitable", decided_by_user_id: admin.id, original_seen_on: "2026-05-20", original_seen_by_user_id: assessor.id, recheck_due_on: addMonths("2026-02-01", 12) });

      const status = await recordDbsStatusCheck(fresh, admin, id, { checkedOn: "2026-05-30", result: "current" }, now);
      expect(status.ok).toBe(true);
      expect((await fresh.selectFrom("dbs_check").select("recheck_due_on").where("id", "=", id).executeTakeFirstOrThrow()).recheck_due_on).toBe("2027-05-30");

      const audit = await fresh.selectFrom("audit_event").selectAll().where("subject_type", "=", "dbs_check").orderBy("id").execute();
      expect(audit.map((a) => a.action)).toEqual(["dbs.submitted", "dbs.viewed", "dbs.decision_recorded", "dbs.status_check_recorded"]);
      const everything = JSON.stringify(await fresh.selectFrom("audit_event").selectAll().execute()) + JSON.stringify(await fresh.selectFrom("email_outbox").selectAll().execute());
      expect(everything).not.toContain(DBS_NUMBER);
      expect(logged.join("\n")).not.toContain(DBS_NUMBER);

      // Issue 12 item 3: admins were told there is a DBS record to decide, the trainer of the decision.
      const told = async (userId: number) => (await fresh.selectFrom("notification").select("kind").where("user_id", "=", userId).orderBy("id").execute()).map((n) => n.kind);
      expect(await told(admin.id)).toEqual(["dbs_to_decide"]);
      expect(await told(assessor.id)).toEqual([]);
      expect(await told(trainer.id)).toEqual(["dbs_decided"]);
      expect(JSON.stringify(await fresh.selectFrom("notification").selectAll().execute())).not.toContain(DBS_NUMBER);

      // The trainer's own page carries no DBS detail at all.
      const mine = await getTrainerRequirements(fresh, trainer.id, now);
      expect(JSON.stringify(mine)).not.toContain(DBS_NUMBER);
      expect(JSON.stringify(mine)).not.toContain("2026-02-01");
      expect(mine.status.dbs.status).toBe("verified");
    } finally {
      for (const spy of spies) spy.mockRestore();
      globalThis.__academyLogger = serverLogger;
    }
  });

  it("refuses an admin's decision on their own DBS check, and a seen-by who is not staff", async () => {
    const fresh = await createTestDb();
    const admin = await createUser(fresh, { role: "admin" });
    const other = await createUser(fresh, { role: "admin" });
    const trainer = await createUser(fresh);
    const own = await submitDbsCheck(fresh, admin.id, goodDbs, now);
    if (!own.ok) throw new Error("setup failed");
    const self = await recordDbsDecision(fresh, admin, own.value.id, { decision: "suitable", originalSeenOn: "2026-05-20", originalSeenBy: other.id }, "", now);
    expect(!self.ok && self.status === 403 && self.message).toMatch(/your own DBS check/);
    const notStaff = await recordDbsDecision(fresh, other, own.value.id, { decision: "suitable", originalSeenOn: "2026-05-20", originalSeenBy: trainer.id }, "", now);
    expect(!notStaff.ok && notStaff.fieldErrors.originalSeenBy).toBeTruthy();
    const beforeIssue = await recordDbsDecision(fresh, other, own.value.id, { decision: "suitable", originalSeenOn: "2026-01-01", originalSeenBy: other.id }, "", now);
    expect(!beforeIssue.ok && beforeIssue.fieldErrors.originalSeenOn).toBeTruthy();
  });

  it("a status check that is not clear puts a suitable decision back to needs review", async () => {
    const fresh = await createTestDb();
    const admin = await createUser(fresh, { role: "admin" });
    const trainer = await createUser(fresh);
    const s = await submitDbsCheck(fresh, trainer.id, goodDbs, now);
    if (!s.ok) throw new Error("setup failed");
    await recordDbsDecision(fresh, admin, s.value.id, { decision: "suitable", originalSeenOn: "2026-05-20", originalSeenBy: admin.id }, "", now);
    await recordDbsStatusCheck(fresh, admin, s.value.id, { checkedOn: "2026-05-31", result: "not_current" }, now);
    const row = await fresh.selectFrom("dbs_check").select("decision").where("id", "=", s.value.id).executeTakeFirstOrThrow();
    expect(row.decision).toBe("needs_review");
  });
});

describe("today is the UK day for typed dates (issue 16.14)", () => {
  it("accepts today's UK date just after midnight in summer time, when UTC is still on the day before", async () => {
    const fresh = await createTestDb();
    const trainer = await createUser(fresh);
    const justAfterMidnightUk = new Date("2026-06-30T23:30:00Z"); // 00:30 on 1 July in London
    const tomorrow = await submitDbsCheck(fresh, trainer.id, { ...goodDbs, issueDate: "2026-07-02" }, justAfterMidnightUk);
    expect(!tomorrow.ok && tomorrow.fieldErrors.issueDate).toMatch(/today or in the past/);
    const today = await submitDbsCheck(fresh, trainer.id, { ...goodDbs, issueDate: "2026-07-01" }, justAfterMidnightUk);
    expect(today.ok).toBe(true);
  });
});

describe("policy", () => {
  it("starts with the defaults and audits changes", async () => {
    const fresh = await createTestDb();
    const admin = await createUser(fresh, { role: "admin" });
    expect(await getPolicy(fresh)).toEqual(DEFAULT_POLICY);
    await updatePolicy(fresh, admin.id, { ...DEFAULT_POLICY, warningWindowDays: 45 }, now);
    expect((await getPolicy(fresh)).warningWindowDays).toBe(45);
    const event = await fresh.selectFrom("audit_event").selectAll().where("action", "=", "policy.updated").executeTakeFirstOrThrow();
    expect(JSON.parse(event.details)).toEqual({ warningWindowDays: { from: 30, to: 45 } });
  });
});

describe("facts for the certificate rules", () => {
  it("reports verified, current facts and what is missing", async () => {
    const fresh = await createTestDb();
    const trainer = await createUser(fresh);
    const assessor = await createUser(fresh, { role: "assessor" });
    const admin = await createUser(fresh, { role: "admin" });
    expect(entryRequirementsMet(await getEntryRequirementFacts(fresh, trainer.id), today).reasons).toHaveLength(3);
    const q = await submitQualification(fresh, trainer.id, await evidenceFormFor(goodQualification, ["evidence", "cpdEvidence"]), { evidenceDir, now });
    const i = await submitInsurance(fresh, trainer.id, await evidenceFormFor(goodInsurance, ["evidence"]), { evidenceDir, now });
    const d = await submitDbsCheck(fresh, trainer.id, goodDbs, now);
    if (!q.ok || !i.ok || !d.ok) throw new Error("setup failed");
    await decideVerification(fresh, assessor, "qualification", q.value.id, { decision: "accept" }, "", now);
    await decideVerification(fresh, assessor, "insurance", i.value.id, { decision: "accept" }, "", now);
    await recordDbsDecision(fresh, admin, d.value.id, { decision: "suitable", originalSeenOn: "2026-05-20", originalSeenBy: assessor.id }, "", now);
    const facts = await getEntryRequirementFacts(fresh, trainer.id);
    expect(facts.insurance).toMatchObject({ endDate: "2026-12-31", publicLiabilityPence: 500_000_000, professionalIndemnityPence: 100_000_000 });
    expect(facts.dbs).toMatchObject({ decision: "suitable", recheckDueOn: "2027-02-01" });
    expect(entryRequirementsMet(facts, today)).toEqual({ met: true, reasons: [] });
    expect(entryRequirementsMet(facts, "2027-01-01").reasons).toEqual(["The verified insurance has ended."]);
    expect(entryRequirementsMet(facts, "2027-02-01").reasons).toContain("The DBS re-check is due.");
  });
});

describe("every error at once", () => {
  it("reports the date order and the confirmations even while other fields are wrong", async () => {
    const trainer = await createUser(db);
    const insurance = await submitInsurance(
      db,
      trainer.id,
      await evidenceFormFor({ ...goodInsurance, publicLiability: "lots", startDate: "2026-05-01", endDate: "2026-04-01" }, ["evidence"]),
      { evidenceDir, now },
    );
    expect(!insurance.ok && Object.keys(insurance.fieldErrors).sort()).toEqual(["endDate", "publicLiability"]);
    const dbs = await submitDbsCheck(db, trainer.id, { ...goodDbs, certificateNumber: "123", statusCheckConsent: "", willShowOriginal: "" }, now);
    expect(!dbs.ok && Object.keys(dbs.fieldErrors).sort()).toEqual(["certificateNumber", "statusCheckConsent", "willShowOriginal"]);
  });
});
