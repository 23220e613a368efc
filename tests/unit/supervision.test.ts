/**
 * Supervision (issue 12 item 1, ADR 0026): the due and overdue rules on UK days, who may assign,
 * record, read and confirm, the policy limits on a session's dates, the audit trail (never the
 * summary), and the policy switch that makes overdue supervision suspend the certificate
 * ("supervision overdue") until a session is recorded.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { registerModuleVersions } from "~/content/catalog.server";
import { getPublicCertificateView } from "~/certificates/public.server";
import { changePolicy, recordSupervisionSession } from "~/approval/approval.server";
import { syncCredentialStatuses } from "~/certificates/credentials/sync.server";
import { assignSupervisor, confirmSession, countOverdueSupervisions, getSupervisionRecord, recordSession, supervisionDashboard, type Viewer } from "~/supervision/supervision.server";
import { overdueFrom, supervisionState, supervisionSuspends } from "~/supervision/standing";
import { identifyingDetail, sessionSchema, validateSession, type SessionInput } from "~/supervision/validation";
import { runSupervisionJobs } from "~/jobs/supervision.server";
import { DEFAULT_POLICY } from "~/policy/policy";
import { DAY, addMs } from "~/utils/clock";
import { validate } from "~/utils/forms";
import { seedCertifiedTrainer } from "../../scripts/lib/seed-certified";
import { createTestDb, createUser } from "../helpers/db";

const BASE = "http://academy.test";
const now = new Date("2026-06-01T09:00:00Z");
let db: DB;
let admin: Viewer;
let supervisor: Viewer;
let otherAssessor: Viewer;
let trainer: Viewer;
let otherTrainer: Viewer;
let certificateId: string;

const session = (overrides: Partial<SessionInput> = {}): SessionInput => ({
  heldOn: "2026-06-01",
  mode: "video",
  topics: ["cases", "wellbeing"],
  summary: "Discussed a complex case and a debrief after a client's fall; no concerns about scope.",
  actions: [{ description: "Read the falls guidance", dueOn: "2026-06-30" }],
  nextDueOn: "2026-08-15",
  ...overrides,
});

beforeAll(async () => {
  db = await createTestDb();
  await registerModuleVersions(db, now);
  admin = { id: (await createUser(db, { role: "admin" })).id, role: "admin" };
  supervisor = { id: (await createUser(db, { role: "assessor", name: "Sam Supervisor" })).id, role: "assessor" };
  otherAssessor = { id: (await createUser(db, { role: "assessor", name: "Other Assessor" })).id, role: "assessor" };
  const seeded = await seedCertifiedTrainer(db, { name: "Tara Trainer", email: "tara@example.test", password: "seeded password 1", staffUserId: supervisor.id }, BASE, now);
  certificateId = seeded.certificateId;
  const tara = await db.selectFrom("user").select("id").where("email", "=", "tara@example.test").executeTakeFirstOrThrow();
  trainer = { id: tara.id, role: "trainer" };
  otherTrainer = { id: (await createUser(db, { role: "trainer", name: "Other Trainer" })).id, role: "trainer" };
});

describe("due and overdue (UK days)", () => {
  it("scheduled before the due date, due through the grace period, overdue from the day after it", () => {
    expect(supervisionState(null, 14, "2026-06-01")).toBe("unassigned");
    expect(supervisionState("2026-06-10", 14, "2026-06-09")).toBe("scheduled");
    expect(supervisionState("2026-06-10", 14, "2026-06-10")).toBe("due");
    expect(supervisionState("2026-06-10", 14, "2026-06-24")).toBe("due");
    expect(supervisionState("2026-06-10", 14, "2026-06-25")).toBe("overdue");
    expect(overdueFrom("2026-06-10", 0)).toBe("2026-06-11");
    expect(supervisionState("2026-06-10", 0, "2026-06-11")).toBe("overdue");
    expect(supervisionSuspends({ nextDueOn: "2026-06-10", graceDays: 0, suspendsWhenOverdue: false }, "2026-07-01")).toBe(false);
    expect(supervisionSuspends({ nextDueOn: "2026-06-10", graceDays: 0, suspendsWhenOverdue: true }, "2026-07-01")).toBe(true);
  });
});

describe("assigning a supervisor", () => {
  it("only an admin assigns, only an enabled assessor supervises; the first session is due one interval from today; audited", async () => {
    expect((await assignSupervisor(db, supervisor, trainer.id, supervisor.id, BASE, now)).ok).toBe(false);
    const notAssessor = await assignSupervisor(db, admin, trainer.id, admin.id, BASE, now);
    expect(notAssessor.ok ? null : notAssessor.fieldErrors.supervisorId).toMatch(/assessor/);
    const notTrainer = await assignSupervisor(db, admin, supervisor.id, otherAssessor.id, BASE, now);
    expect(notTrainer.ok ? null : notTrainer.status).toBe(404);
    expect((await assignSupervisor(db, admin, trainer.id, supervisor.id, BASE, now)).ok).toBe(true);
    const row = await db.selectFrom("supervision").selectAll().where("trainer_user_id", "=", trainer.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ supervisor_user_id: supervisor.id, next_due_on: "2026-09-01" });
    const audit = await db.selectFrom("audit_event").selectAll().where("action", "=", "supervision.assigned").executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actor_user_id: admin.id, subject_id: String(trainer.id) });
    // Both are told through the notifications (ADR 0028): in-app, and email per their preference.
    const told = await db.selectFrom("notification").select(["user_id", "kind"]).where("kind", "in", ["supervision_due", "supervision_record"]).orderBy("id").execute();
    expect(told).toEqual([{ user_id: supervisor.id, kind: "supervision_due" }, { user_id: trainer.id, kind: "supervision_record" }]);
  });
});

describe("authorisation", () => {
  it("only the assigned supervisor or an admin records sessions", async () => {
    for (const viewer of [otherAssessor, trainer, otherTrainer]) {
      const refused = await recordSession(db, viewer, trainer.id, session(), BASE, now);
      expect(refused.ok ? null : refused.status, `${viewer.role} ${viewer.id}`).toBe(403);
    }
    expect(await db.selectFrom("supervision_session").select("id").execute()).toEqual([]);
  });

  it("a trainer reads only their own record (another's reads as not found); an assessor who does not supervise them is refused", async () => {
    expect((await getSupervisionRecord(db, trainer, trainer.id, now)).ok).toBe(true);
    const other = await getSupervisionRecord(db, otherTrainer, trainer.id, now);
    expect(other.ok ? null : other.status).toBe(404);
    const assessor = await getSupervisionRecord(db, otherAssessor, trainer.id, now);
    expect(assessor.ok ? null : assessor.status).toBe(403);
    expect((await getSupervisionRecord(db, supervisor, trainer.id, now)).ok).toBe(true);
    expect((await getSupervisionRecord(db, admin, trainer.id, now)).ok).toBe(true);
  });
});

describe("recording and confirming a session", () => {
  it("refuses a session in the future and a next due date beyond the policy interval, changing nothing", async () => {
    const future = await recordSession(db, supervisor, trainer.id, session({ heldOn: "2026-06-02" }), BASE, now);
    expect(future.ok ? null : future.fieldErrors.heldOn).toMatch(/future/);
    const late = await recordSession(db, supervisor, trainer.id, session({ nextDueOn: "2026-09-02" }), BASE, now);
    expect(late.ok ? null : late.fieldErrors.nextDueOn).toMatch(/by 2026-09-01/);
    expect(await db.selectFrom("supervision_session").select("id").execute()).toEqual([]);
  });

  it("the form refuses client-identifying details and a session without topics, next to the field", () => {
    const form = { heldOn: "2026-06-01", mode: "video", topic_cases: "on", summary: "Call the client on 07700 900123 about it.", nextDueOn: "2026-08-01", action1: "", action1Due: "2026-06-10" };
    const result = validate(sessionSchema, form);
    expect(result.ok ? null : result.fieldErrors).toMatchObject({ summary: expect.stringMatching(/telephone/), action1: expect.stringMatching(/Describe/) });
    const noTopics = validate(sessionSchema, { ...form, topic_cases: undefined, summary: "A general discussion of scope." });
    expect(noTopics.ok ? null : noTopics.fieldErrors.topics).toMatch(/at least one topic/);
    // With another field failing too, every message is given at once.
    const all = validateSession({ heldOn: "2026-06-01", summary: "x", nextDueOn: "2026-08-01" });
    expect(all.ok ? null : Object.keys(all.fieldErrors).sort()).toEqual(["mode", "summary", "topics"]);
    expect(identifyingDetail("lives at SW1A 1AA")).toBe("a postcode");
    expect(identifyingDetail("NHS 943 476 5919")).toBe("an NHS number");
    expect(identifyingDetail("mail jo@example.com")).toBe("an email address");
    expect(identifyingDetail("Discussed scope; no identifying details.")).toBeNull();
  });

  it("the supervisor records; the next due date moves; the audit holds no summary; the trainer confirms their own session once", async () => {
    const recorded = await recordSession(db, supervisor, trainer.id, session(), BASE, now);
    if (!recorded.ok) throw new Error(recorded.message ?? JSON.stringify(recorded.fieldErrors));
    // The trainer is asked to confirm, without the summary in the notice (it may be emailed).
    const ask = await db.selectFrom("notification").select(["title", "body"]).where("user_id", "=", trainer.id).where("title", "=", "Please confirm your supervision record").executeTakeFirstOrThrow();
    expect(ask.body).not.toContain("debrief");
    expect((await db.selectFrom("supervision").select("next_due_on").where("trainer_user_id", "=", trainer.id).executeTakeFirstOrThrow()).next_due_on).toBe("2026-08-15");
    const audit = await db.selectFrom("audit_event").select("details").where("action", "=", "supervision.session_recorded").executeTakeFirstOrThrow();
    expect(audit.details).not.toContain("debrief");
    const record = await getSupervisionRecord(db, trainer, trainer.id, now);
    expect(record.ok && record.value.sessions[0]).toMatchObject({ heldOn: "2026-06-01", actions: [{ description: "Read the falls guidance", dueOn: "2026-06-30" }], confirmedAt: null });
    const stranger = await confirmSession(db, otherTrainer, recorded.value.sessionId, now);
    expect(stranger.ok ? null : stranger.status).toBe(404);
    const bySupervisor = await confirmSession(db, supervisor, recorded.value.sessionId, now);
    expect(bySupervisor.ok ? null : bySupervisor.status).toBe(404);
    expect((await confirmSession(db, trainer, recorded.value.sessionId, now)).ok).toBe(true);
    const again = await confirmSession(db, trainer, recorded.value.sessionId, now);
    expect(again.ok ? null : again.status).toBe(409);
    expect(await db.selectFrom("audit_event").select("id").where("action", "=", "supervision.session_confirmed").execute()).toHaveLength(1);
  });

  it("an admin may record too; an older session does not move the next due date back", async () => {
    const older = await recordSession(db, admin, trainer.id, session({ heldOn: "2026-05-20", nextDueOn: "2026-07-01" }), BASE, now);
    expect(older.ok).toBe(true);
    expect((await db.selectFrom("supervision").select("next_due_on").where("trainer_user_id", "=", trainer.id).executeTakeFirstOrThrow()).next_due_on).toBe("2026-08-15");
  });
});

describe("flags and the policy switch", () => {
  // Next due 2026-08-15, grace 14 days: due from 15 August, overdue from 30 August (UK days).
  const overdueMoment = new Date("2026-08-29T23:30:00Z"); // 00:30 on 30 August in the UK (BST).

  it("flags the trainer, the supervisor and admins once overdue, by the UK day", async () => {
    const before = new Date("2026-08-29T22:30:00Z"); // 23:30 on 29 August in the UK.
    expect(await supervisionDashboard(db, trainer, before)).toMatchObject({ role: "trainer", own: { state: "due" } });
    expect(await supervisionDashboard(db, trainer, overdueMoment)).toMatchObject({ role: "trainer", own: { state: "overdue", overdueFrom: "2026-08-30" } });
    const caseload = await supervisionDashboard(db, supervisor, overdueMoment);
    expect(caseload.role === "assessor" && caseload.caseload.map((r) => [r.trainerId, r.state])).toEqual([[trainer.id, "overdue"]]);
    expect(await supervisionDashboard(db, otherAssessor, overdueMoment)).toEqual({ role: "assessor", caseload: [] });
    const admins = await supervisionDashboard(db, admin, overdueMoment);
    expect(admins).toMatchObject({ role: "admin", overdueCount: 1, overdue: [{ trainerId: trainer.id, state: "overdue" }] });
    // A disabled trainer's overdue supervision is in none of the admin's figures (nor in the reminders).
    const disabled = await createUser(db, { role: "trainer", name: "Disabled Trainer" });
    await db.insertInto("supervision").values({ trainer_user_id: disabled.id, supervisor_user_id: supervisor.id, assigned_at: now.toISOString(), assigned_by_user_id: admin.id, next_due_on: "2026-08-01" }).execute();
    await db.updateTable("user").set({ disabled_at: now.toISOString() }).where("id", "=", disabled.id).execute();
    expect(await supervisionDashboard(db, admin, overdueMoment)).toMatchObject({ overdueCount: 1, overdue: [{ trainerId: trainer.id }] });
    expect(await countOverdueSupervisions(db, "2026-08-30", 14)).toBe(1);
    await db.updateTable("user").set({ disabled_at: null }).where("id", "=", disabled.id).execute();
    expect(await countOverdueSupervisions(db, "2026-08-30", 14)).toBe(2);
    await db.deleteFrom("supervision").where("trainer_user_id", "=", disabled.id).execute();
    // The scheduled notices: trainer, supervisor and the admin, once each.
    const first = await runSupervisionJobs(db, overdueMoment);
    expect(first.overdue).toBe(1);
    const byId = (a: number, b: number) => a - b;
    const notices = await db.selectFrom("notification").select("user_id").where("kind", "=", "supervision_overdue").execute();
    expect(notices.map((n) => n.user_id).sort(byId)).toEqual([admin.id, supervisor.id, trainer.id].sort(byId));
    // Overdue is urgent: emailed at once to each of them, whatever their digest preference.
    const emailed = await db.selectFrom("email_outbox").select("to_address").where("subject", "like", "%upervision%overdue%").execute();
    expect(emailed).toHaveLength(3);
    await runSupervisionJobs(db, addMs(overdueMoment, DAY));
    expect(await db.selectFrom("notification").select("id").where("kind", "=", "supervision_overdue").execute()).toHaveLength(3);
  });

  it("switch off (the default): the certificate stays valid; switch on: “supervision overdue” until a session is recorded", async () => {
    expect((await getPublicCertificateView(db, certificateId, overdueMoment))?.status).toBe("valid");
    await syncCredentialStatuses(db, BASE, overdueMoment);
    const liveCredential = () => db.selectFrom("issued_credential").select("id").where("certificate_id", "=", certificateId).where("revoked_at", "is", null).executeTakeFirst();
    expect(await liveCredential()).toBeDefined();
    // Switched on with the valid view still cached: the verifier sees the suspension at once,
    // not after the cache's lifetime, and the credential is revoked in the same request.
    await changePolicy(db, admin.id, { ...DEFAULT_POLICY, supervisionSuspendsWhenOverdue: 1 }, BASE, overdueMoment);
    const suspended = await getPublicCertificateView(db, certificateId, addMs(overdueMoment, 1000));
    expect(suspended).toMatchObject({ status: "suspended", reason: "supervision overdue" });
    expect(await liveCredential()).toBeUndefined();
    const later = addMs(overdueMoment, DAY);
    const recorded = await recordSupervisionSession(db, supervisor, trainer.id, session({ heldOn: "2026-08-30", actions: [], nextDueOn: "2026-11-30" }), BASE, later);
    expect(recorded.ok).toBe(true);
    expect((await getPublicCertificateView(db, certificateId, addMs(later, 1000)))?.status).toBe("valid");
  });

  it("nothing of supervision is in the public view: no summary, action, supervisor or email address", async () => {
    const view = JSON.stringify(await getPublicCertificateView(db, certificateId, addMs(overdueMoment, 3 * DAY)));
    for (const secret of ["debrief", "falls guidance", "Sam Supervisor", "@example.test", "Other Assessor"]) expect(view).not.toContain(secret);
  });
});
