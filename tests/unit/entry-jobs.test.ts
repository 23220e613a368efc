import { describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { HOUR } from "~/utils/clock";
import { addDays } from "~/utils/dates";
import { runEntryRequirementJobs } from "~/jobs/entry-requirements.server";
import { getTrainerRequirements } from "~/evidence/requirements.server";
import { createTestDb, createUser } from "../helpers/db";

const DBS_NUMBER = "009876543210";
const at = (date: string, time = "09:00:00") => new Date(`${date}T${time}Z`);

async function setup() {
  const db = await createTestDb();
  const trainer = await createUser(db);
  const admin = await createUser(db, { role: "admin" });
  const assessor = await createUser(db, { role: "assessor" });
  return { db, trainer, admin, assessor };
}

async function verifiedPolicy(db: DB, userId: number, assessorId: number, endDate: string, startDate = "2026-01-01") {
  const file = await db
    .insertInto("evidence_file")
    .values({ id: `f${Math.random().toString(36).slice(2)}`, owner_user_id: userId, storage_name: `${Math.random().toString(36).slice(2)}.pdf`, media_type: "application/pdf", size_bytes: 10, sha256: "x", display_name: "p.pdf", created_at: "2026-01-01T00:00:00Z" })
    .returning("id")
    .executeTakeFirstOrThrow();
  return db
    .insertInto("insurance_policy")
    .values({
      user_id: userId,
      insurer: "Example Mutual",
      policy_number: "P-1",
      public_liability_pence: 500_000_000,
      professional_indemnity_pence: 100_000_000,
      limit_basis: "aggregate",
      covered_activities: "Personal training",
      territory: "UK",
      start_date: startDate,
      end_date: endDate,
      evidence_file_id: file.id,
      status: "verified",
      decided_by_user_id: assessorId,
      decided_at: "2026-01-02T00:00:00Z",
      rejection_reason: null,
      expired_at: null,
      created_at: "2026-01-01T00:00:00Z",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
}

async function decidedDbs(db: DB, userId: number, adminId: number, input: { decidedAt: string; recheckDueOn: string; decision?: "suitable" | "not_suitable" }) {
  return db
    .insertInto("dbs_check")
    .values({
      user_id: userId,
      certificate_number: DBS_NUMBER,
      issue_date: "2026-01-10",
      adults_barred_list: 1,
      children_barred_list: 0,
      workforce: "adult",
      update_service_subscribed: 1,
      status_check_consent: 1,
      will_show_original: 1,
      decision: input.decision ?? "suitable",
      decided_by_user_id: adminId,
      decided_at: input.decidedAt,
      original_seen_on: "2026-01-20",
      original_seen_by_user_id: adminId,
      recheck_due_on: input.recheckDueOn,
      recheck_flagged_at: null,
      details_erased_at: null,
      created_at: "2026-01-15T00:00:00Z",
    })
    .returning("id")
    .executeTakeFirstOrThrow();
}

const auditActions = async (db: DB) => (await db.selectFrom("audit_event").select("action").where("actor_user_id", "is", null).orderBy("id").execute()).map((r) => r.action);
const emailsTo = async (db: DB, to: string) => (await db.selectFrom("email_outbox").select("subject").where("to_address", "=", to).orderBy("id").execute()).map((r) => r.subject);

describe("insurance expiry", () => {
  it("marks a verified policy expired the day after its end date, once, and the trainer sees it expired", async () => {
    const { db, trainer, assessor } = await setup();
    const policy = await verifiedPolicy(db, trainer.id, assessor.id, "2026-08-31");
    // 23:30 on 31 August in the UK (22:30 UTC, summer time): the policy's last day.
    expect((await runEntryRequirementJobs(db, at("2026-08-31", "22:30:00"))).insuranceExpired).toBe(0);
    // 00:30 on 1 September in the UK, while UTC still says 31 August: the UK day decides (issue 16.14).
    const first = await runEntryRequirementJobs(db, at("2026-08-31", "23:30:00"));
    expect(first.insuranceExpired).toBe(1);
    const row = await db.selectFrom("insurance_policy").select("expired_at").where("id", "=", policy.id).executeTakeFirstOrThrow();
    expect(row.expired_at).toBe("2026-08-31T23:30:00.000Z");
    expect((await runEntryRequirementJobs(db, at("2026-09-01", "01:30:00"))).insuranceExpired).toBe(0);
    expect((await auditActions(db)).filter((a) => a === "insurance.expired")).toHaveLength(1);
    expect(await emailsTo(db, trainer.email)).toContain("Your insurance has expired");
    const page = await getTrainerRequirements(db, trainer.id, at("2026-09-01"));
    expect(page.status.insurance.status).toBe("expired");
  });
});

describe("reminders", () => {
  it("sends the insurance reminder once when the warning window opens, not every hour", async () => {
    const { db, trainer, assessor } = await setup();
    await verifiedPolicy(db, trainer.id, assessor.id, "2026-08-31");
    // 32 days before: outside the 30-day window.
    expect((await runEntryRequirementJobs(db, at("2026-07-30"))).insuranceReminders).toBe(0);
    let sent = 0;
    const start = at("2026-08-01", "00:00:00").getTime();
    for (let hour = 0; hour < 72; hour += 1) sent += (await runEntryRequirementJobs(db, new Date(start + hour * HOUR))).insuranceReminders;
    expect(sent).toBe(1);
    expect(await emailsTo(db, trainer.email)).toEqual(["Your insurance ends soon"]);
    expect((await auditActions(db)).filter((a) => a === "reminder.insurance_expiring")).toHaveLength(1);
    const page = await getTrainerRequirements(db, trainer.id, at("2026-08-05"));
    expect(page.status.insurance.status).toBe("expiring_soon");
  });

  it("a renewed policy stops reminders for the old one and gets its own window later", async () => {
    const { db, trainer, assessor } = await setup();
    await verifiedPolicy(db, trainer.id, assessor.id, "2026-08-31");
    await verifiedPolicy(db, trainer.id, assessor.id, "2027-08-31", "2026-09-01");
    expect((await runEntryRequirementJobs(db, at("2026-08-15"))).insuranceReminders).toBe(0);
    expect((await runEntryRequirementJobs(db, at("2027-08-15"))).insuranceReminders).toBe(1);
    expect((await runEntryRequirementJobs(db, at("2027-08-16"))).insuranceReminders).toBe(0);
  });

  it("reminds once before a DBS re-check and flags it due once on the day", async () => {
    const { db, trainer, admin } = await setup();
    const check = await decidedDbs(db, trainer.id, admin.id, { decidedAt: "2026-01-20T10:00:00.000Z", recheckDueOn: "2027-01-10" });
    expect((await runEntryRequirementJobs(db, at("2026-12-01"))).dbsReminders).toBe(0);
    let reminders = 0;
    for (let day = 0; day < 20; day += 1) reminders += (await runEntryRequirementJobs(db, at(addDays("2026-12-12", day)))).dbsReminders;
    expect(reminders).toBe(1);
    expect((await getTrainerRequirements(db, trainer.id, at("2027-01-01"))).status.dbs.status).toBe("expiring_soon");

    expect((await runEntryRequirementJobs(db, at("2027-01-09", "23:59:00"))).dbsRechecksDue).toBe(0);
    expect((await runEntryRequirementJobs(db, at("2027-01-10", "00:01:00"))).dbsRechecksDue).toBe(1);
    expect((await runEntryRequirementJobs(db, at("2027-01-10", "01:01:00"))).dbsRechecksDue).toBe(0);
    const row = await db.selectFrom("dbs_check").select("recheck_flagged_at").where("id", "=", check.id).executeTakeFirstOrThrow();
    expect(row.recheck_flagged_at).toBe("2027-01-10T00:01:00.000Z");
    expect(await emailsTo(db, trainer.email)).toEqual(["Your DBS re-check is due soon", "Your DBS re-check is due"]);
    expect((await auditActions(db)).filter((a) => a.includes("recheck"))).toEqual(["reminder.dbs_recheck_soon", "dbs.recheck_due", "reminder.dbs_recheck_due"]);
    expect((await getTrainerRequirements(db, trainer.id, at("2027-01-10"))).status.dbs.status).toBe("expired");
  });
});

describe("DBS retention", () => {
  it("erases the certificate number and issue date six months after the decision, keeping the decision, its date and who made it", async () => {
    const { db, trainer, admin } = await setup();
    const decidedAt = "2026-01-20T10:00:00.000Z";
    const check = await decidedDbs(db, trainer.id, admin.id, { decidedAt, recheckDueOn: "2027-01-10" });
    expect((await runEntryRequirementJobs(db, at("2026-07-20", "09:59:00"))).dbsDetailsErased).toBe(0);
    expect((await db.selectFrom("dbs_check").select("certificate_number").where("id", "=", check.id).executeTakeFirstOrThrow()).certificate_number).toBe(DBS_NUMBER);

    expect((await runEntryRequirementJobs(db, at("2026-07-20", "10:00:00"))).dbsDetailsErased).toBe(1);
    const row = await db.selectFrom("dbs_check").selectAll().where("id", "=", check.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ certificate_number: null, issue_date: null, decision: "suitable", decided_at: decidedAt, decided_by_user_id: admin.id, details_erased_at: "2026-07-20T10:00:00.000Z" });
    expect((await runEntryRequirementJobs(db, at("2026-07-21"))).dbsDetailsErased).toBe(0);

    const event = await db.selectFrom("audit_event").selectAll().where("action", "=", "dbs.details_erased").executeTakeFirstOrThrow();
    expect(event.actor_user_id).toBeNull();
    expect(JSON.parse(event.details)).toMatchObject({ erased: ["certificate_number", "issue_date"], decision: "suitable", decidedAt });
    expect(event.details).not.toContain(DBS_NUMBER);
    // The trainer is still recorded as suitable until the re-check.
    expect((await getTrainerRequirements(db, trainer.id, at("2026-08-01"))).status.dbs.status).toBe("verified");
  });

  it("erases a certificate replaced before any decision once the retention period after its replacement has passed", async () => {
    const { db, trainer, admin } = await setup();
    const old = await decidedDbs(db, trainer.id, admin.id, { decidedAt: "2026-01-20T10:00:00.000Z", recheckDueOn: "2027-01-10" });
    await db.updateTable("dbs_check").set({ decision: null, decided_at: null, decided_by_user_id: null }).where("id", "=", old.id).execute();
    const replacement = await decidedDbs(db, trainer.id, admin.id, { decidedAt: "2026-03-01T10:00:00.000Z", recheckDueOn: "2027-03-01" });
    await db.updateTable("dbs_check").set({ decision: null, decided_at: null, created_at: "2026-03-01T10:00:00.000Z" }).where("id", "=", replacement.id).execute();
    expect((await runEntryRequirementJobs(db, at("2026-08-31"))).dbsDetailsErased).toBe(0);
    expect((await runEntryRequirementJobs(db, at("2026-09-01", "10:00:00"))).dbsDetailsErased).toBe(1);
    const rows = await db.selectFrom("dbs_check").select(["id", "certificate_number"]).orderBy("id").execute();
    expect(rows).toEqual([
      { id: old.id, certificate_number: null },
      { id: replacement.id, certificate_number: DBS_NUMBER },
    ]);
  });

  it("keeps details of a check still awaiting a decision", async () => {
    const { db, trainer, admin } = await setup();
    const check = await decidedDbs(db, trainer.id, admin.id, { decidedAt: "2026-01-20T10:00:00.000Z", recheckDueOn: "2027-01-10" });
    await db.updateTable("dbs_check").set({ decision: null, decided_at: null }).where("id", "=", check.id).execute();
    expect((await runEntryRequirementJobs(db, at("2027-06-01"))).dbsDetailsErased).toBe(0);
  });
});
