/**
 * Supervision of Approved Trainers (issue 12 item 1, ADR 0026). An admin assigns each trainer a
 * supervisor (an assessor); the supervisor (or an admin) records sessions: date, mode, topics, a
 * summary without client-identifying details, agreed actions with due dates, and when the next
 * session is due. The trainer reads their own record and confirms each session. Policy sets the
 * interval (default 3 months) and a grace period; overdue supervision is flagged on the trainer's,
 * the supervisor's and the admins' dashboards and, with the policy switch on, suspends the
 * certificate ("supervision overdue", through the live status rule: app/certificates/status.ts).
 *
 * Every step is audited (details never hold the summary). This domain records facts only: it
 * imports nothing from certificates or approval (tests/unit/domain-boundaries.test.ts); the
 * approval seam brings the certificate's credential in line after a session is recorded.
 */
import type { DB } from "~db/connection";
import type { Role } from "~db/schema";
import { recordAudit } from "~/audit/audit.server";
import { notifyAll } from "~/notifications/notify.server";
import { getPolicy } from "~/policy/policy.server";
import type { EntryPolicy } from "~/policy/policy";
import { iso } from "~/utils/clock";
import { addDays, addMonths, ukToday } from "~/utils/dates";
import { invalid, ok, refuse, type Result } from "~/utils/result";
import { overdueFrom, supervisionState, type SupervisionStanding, type SupervisionState } from "./standing";
import { sessionDateErrors, type SessionInput, type Topic } from "./validation";

export interface SupervisionRule {
  intervalMonths: number;
  graceDays: number;
  suspendsWhenOverdue: boolean;
}

export type Viewer = { id: number; role: Role };

export async function getSupervisionRule(db: DB, policy?: EntryPolicy): Promise<SupervisionRule> {
  const { supervisionIntervalMonths, supervisionGraceDays, supervisionSuspendsWhenOverdue } = policy ?? (await getPolicy(db));
  return { intervalMonths: supervisionIntervalMonths, graceDays: supervisionGraceDays, suspendsWhenOverdue: supervisionSuspendsWhenOverdue === 1 };
}

/** One trainer's standing on supervision, for the live certificate status. */
export async function supervisionStanding(db: DB, trainerId: number, rule: SupervisionRule): Promise<SupervisionStanding> {
  const row = await db.selectFrom("supervision").select("next_due_on").where("trainer_user_id", "=", trainerId).executeTakeFirst();
  return { nextDueOn: row?.next_due_on ?? null, graceDays: rule.graceDays, suspendsWhenOverdue: rule.suspendsWhenOverdue };
}

/** Who may record sessions for a trainer: their assigned supervisor, or an admin. */
export function mayRecord(viewer: Viewer, supervisorId: number | null): boolean {
  return viewer.role === "admin" || (viewer.role === "assessor" && supervisorId !== null && viewer.id === supervisorId);
}

/** Who may read a trainer's supervision record: the trainer, their supervisor, an admin. */
export function mayRead(viewer: Viewer, trainerId: number, supervisorId: number | null): boolean {
  return (viewer.role === "trainer" && viewer.id === trainerId) || mayRecord(viewer, supervisorId);
}

/** Assessors who can supervise (enabled), for the assignment form. */
export async function supervisorChoices(db: DB): Promise<{ id: number; name: string }[]> {
  return db.selectFrom("user").select(["id", "name"]).where("role", "=", "assessor").where("disabled_at", "is", null).orderBy("name").limit(500).execute();
}

/**
 * An admin assigns (or changes) a trainer's supervisor. A first assignment makes the first
 * session due one policy interval from today; a change keeps the due date. Audited; both people
 * are told by email.
 */
export async function assignSupervisor(db: DB, admin: Viewer, trainerId: number, supervisorId: number, baseUrl: string, now: Date): Promise<Result> {
  if (admin.role !== "admin") return refuse(403, "Only an admin can assign a supervisor.");
  const trainer = await db.selectFrom("user").select(["id", "name", "email", "role"]).where("id", "=", trainerId).executeTakeFirst();
  if (!trainer || trainer.role !== "trainer") return refuse(404, "There is no such trainer.");
  const supervisor = await db.selectFrom("user").select(["id", "name", "email", "role", "disabled_at"]).where("id", "=", supervisorId).executeTakeFirst();
  if (!supervisor || supervisor.role !== "assessor" || supervisor.disabled_at) return invalid({ supervisorId: "Choose an assessor whose account is enabled." });
  const rule = await getSupervisionRule(db);
  const existing = await db.selectFrom("supervision").selectAll().where("trainer_user_id", "=", trainerId).executeTakeFirst();
  if (existing?.supervisor_user_id === supervisorId) return refuse(409, `${supervisor.name} already supervises ${trainer.name}.`);
  const nextDueOn = existing?.next_due_on ?? addMonths(ukToday(now), rule.intervalMonths);
  await db.transaction().execute(async (trx) => {
    if (existing) await trx.updateTable("supervision").set({ supervisor_user_id: supervisorId, assigned_at: iso(now), assigned_by_user_id: admin.id }).where("trainer_user_id", "=", trainerId).execute();
    else await trx.insertInto("supervision").values({ trainer_user_id: trainerId, supervisor_user_id: supervisorId, assigned_at: iso(now), assigned_by_user_id: admin.id, next_due_on: nextDueOn }).execute();
    await recordAudit(trx, { actorUserId: admin.id, action: "supervision.assigned", subjectType: "user", subjectId: trainerId, details: { supervisorId, previousSupervisorId: existing?.supervisor_user_id ?? null, nextDueOn } }, now);
    // Told through the notifications (ADR 0028), in this transaction: in-app and by email per preference.
    await notifyAll(
      trx,
      [
        { userId: supervisorId, kind: "supervision_due", title: `You now supervise ${trainer.name}`, body: `The next supervision session with ${trainer.name} is due by ${nextDueOn}. Record sessions on their supervision record.`, link: `/supervision/${trainerId}` },
        { userId: trainerId, kind: "supervision_record", title: "Your supervisor", body: `${supervisor.name} is now your supervisor. Your next supervision session is due by ${nextDueOn}.`, link: "/supervision" },
      ],
      now,
    );
  });
  return ok();
}

/**
 * The supervisor (or an admin) records a session. The next due date must fall within the policy
 * interval of the session; the latest session sets the trainer's next due date. Audited (without
 * the summary); the trainer is emailed to read and confirm it.
 */
export async function recordSession(db: DB, viewer: Viewer, trainerId: number, input: SessionInput, baseUrl: string, now: Date): Promise<Result<{ sessionId: number }>> {
  const supervision = await db.selectFrom("supervision").selectAll().where("trainer_user_id", "=", trainerId).executeTakeFirst();
  if (!mayRecord(viewer, supervision?.supervisor_user_id ?? null)) return refuse(403, "Only the trainer's supervisor or an admin can record their supervision.");
  if (!supervision) return refuse(409, "Assign a supervisor before recording sessions.");
  const rule = await getSupervisionRule(db);
  const errors = sessionDateErrors(input, ukToday(now), rule.intervalMonths);
  if (Object.keys(errors).length > 0) return invalid(errors);
  const sessionId = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("supervision_session")
      .values({
        trainer_user_id: trainerId,
        supervisor_user_id: viewer.role === "admin" && viewer.id !== supervision.supervisor_user_id ? supervision.supervisor_user_id : viewer.id,
        held_on: input.heldOn,
        mode: input.mode,
        topics: input.topics.join(","),
        summary: input.summary,
        next_due_on: input.nextDueOn,
        recorded_at: iso(now),
        confirmed_at: null,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    if (input.actions.length > 0) await trx.insertInto("supervision_action").values(input.actions.map((a) => ({ session_id: row.id, description: a.description, due_on: a.dueOn }))).execute();
    const later = await trx.selectFrom("supervision_session").select("id").where("trainer_user_id", "=", trainerId).where("held_on", ">", input.heldOn).executeTakeFirst();
    if (!later) await trx.updateTable("supervision").set({ next_due_on: input.nextDueOn }).where("trainer_user_id", "=", trainerId).execute();
    await recordAudit(trx, { actorUserId: viewer.id, action: "supervision.session_recorded", subjectType: "user", subjectId: trainerId, details: { sessionId: row.id, heldOn: input.heldOn, mode: input.mode, nextDueOn: input.nextDueOn, actions: input.actions.length } }, now);
    // The trainer is asked to confirm; the notice never holds the summary (it may be emailed).
    await notifyAll(trx, [{ userId: trainerId, kind: "supervision_record", title: "Please confirm your supervision record", body: `Your supervisor recorded a supervision session held on ${input.heldOn}. Please read it and confirm it.`, link: "/supervision" }], now);
    return row.id;
  });
  return ok({ sessionId });
}

/** The trainer confirms a session of their own record. Audited. Anyone else's session reads as not found. */
export async function confirmSession(db: DB, viewer: Viewer, sessionId: number, now: Date): Promise<Result> {
  const session = await db.selectFrom("supervision_session").select(["id", "trainer_user_id", "confirmed_at"]).where("id", "=", sessionId).executeTakeFirst();
  if (!session || viewer.role !== "trainer" || session.trainer_user_id !== viewer.id) return refuse(404, "There is no such session in your supervision record.");
  if (session.confirmed_at) return refuse(409, "You have already confirmed this session.");
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("supervision_session").set({ confirmed_at: iso(now) }).where("id", "=", sessionId).where("confirmed_at", "is", null).execute();
    await recordAudit(trx, { actorUserId: viewer.id, action: "supervision.session_confirmed", subjectType: "user", subjectId: viewer.id, details: { sessionId } }, now);
  });
  return ok();
}

export interface SupervisionSessionView {
  id: number;
  heldOn: string;
  mode: string;
  topics: Topic[];
  summary: string;
  nextDueOn: string;
  recordedAt: string;
  confirmedAt: string | null;
  supervisorName: string;
  actions: { description: string; dueOn: string }[];
}

export interface SupervisionRecord {
  trainerId: number;
  trainerName: string;
  supervisor: { id: number; name: string } | null;
  nextDueOn: string | null;
  state: SupervisionState;
  /** The first overdue day, or null without a supervisor. */
  overdueFrom: string | null;
  suspendsWhenOverdue: boolean;
  intervalMonths: number;
  sessions: SupervisionSessionView[];
}

/**
 * A trainer's supervision record, for the trainer, their supervisor or an admin (anyone else is
 * refused: 404 for a trainer, so a record's existence is not revealed; 403 for other staff).
 */
export async function getSupervisionRecord(db: DB, viewer: Viewer, trainerId: number, now: Date): Promise<Result<SupervisionRecord>> {
  const trainer = await db.selectFrom("user").select(["id", "name", "role"]).where("id", "=", trainerId).executeTakeFirst();
  const supervision = await db
    .selectFrom("supervision")
    .innerJoin("user as supervisor", "supervisor.id", "supervision.supervisor_user_id")
    .select(["supervision.supervisor_user_id", "supervision.next_due_on", "supervisor.name as supervisor_name"])
    .where("supervision.trainer_user_id", "=", trainerId)
    .executeTakeFirst();
  if (!trainer || trainer.role !== "trainer" || !mayRead(viewer, trainerId, supervision?.supervisor_user_id ?? null)) {
    return viewer.role === "trainer" || !trainer ? refuse(404, "There is no such supervision record.") : refuse(403, "Only the trainer's supervisor or an admin can read this record.");
  }
  const rule = await getSupervisionRule(db);
  const sessions = await db
    .selectFrom("supervision_session")
    .innerJoin("user as supervisor", "supervisor.id", "supervision_session.supervisor_user_id")
    .selectAll("supervision_session")
    .select("supervisor.name as supervisor_name")
    .where("supervision_session.trainer_user_id", "=", trainerId)
    .orderBy("supervision_session.held_on", "desc")
    .orderBy("supervision_session.id", "desc")
    .limit(50)
    .execute();
  const actions = sessions.length
    ? await db.selectFrom("supervision_action").select(["session_id", "description", "due_on"]).where("session_id", "in", sessions.map((s) => s.id)).orderBy("id").execute()
    : [];
  const nextDueOn = supervision?.next_due_on ?? null;
  return ok({
    trainerId,
    trainerName: trainer.name,
    supervisor: supervision ? { id: supervision.supervisor_user_id, name: supervision.supervisor_name } : null,
    nextDueOn,
    state: supervisionState(nextDueOn, rule.graceDays, ukToday(now)),
    overdueFrom: nextDueOn ? overdueFrom(nextDueOn, rule.graceDays) : null,
    suspendsWhenOverdue: rule.suspendsWhenOverdue,
    intervalMonths: rule.intervalMonths,
    sessions: sessions.map((s) => ({
      id: s.id,
      heldOn: s.held_on,
      mode: s.mode,
      topics: s.topics.split(",").filter(Boolean) as Topic[],
      summary: s.summary,
      nextDueOn: s.next_due_on,
      recordedAt: s.recorded_at,
      confirmedAt: s.confirmed_at,
      supervisorName: s.supervisor_name,
      actions: actions.filter((a) => a.session_id === s.id).map((a) => ({ description: a.description, dueOn: a.due_on })),
    })),
  });
}

export interface SupervisedTrainer {
  trainerId: number;
  trainerName: string;
  supervisorName: string;
  nextDueOn: string;
  state: SupervisionState;
  unconfirmed: number;
}

/**
 * The dashboard flag for one person: a trainer's own supervision, a supervisor's caseload (due
 * and overdue first), or for admins every overdue supervision (at most 50 listed, all counted)
 * and how many trainers with a current certificate have no supervisor.
 */
export async function supervisionDashboard(db: DB, viewer: Viewer, now: Date) {
  const rule = await getSupervisionRule(db);
  const today = ukToday(now);
  const overdueCutoff = addDays(today, -(rule.graceDays + 1));
  const base = db
    .selectFrom("supervision")
    .innerJoin("user as trainer", "trainer.id", "supervision.trainer_user_id")
    .innerJoin("user as supervisor", "supervisor.id", "supervision.supervisor_user_id")
    .where("trainer.disabled_at", "is", null)
    .select((eb) => [
      "supervision.trainer_user_id",
      "supervision.next_due_on",
      "trainer.name as trainer_name",
      "supervisor.name as supervisor_name",
      eb
        .selectFrom("supervision_session")
        .select((e) => e.fn.countAll<number>().as("n"))
        .whereRef("supervision_session.trainer_user_id", "=", "supervision.trainer_user_id")
        .where("supervision_session.confirmed_at", "is", null)
        .as("unconfirmed"),
    ]);
  const toView = (r: { trainer_user_id: number; next_due_on: string; trainer_name: string; supervisor_name: string; unconfirmed: unknown }): SupervisedTrainer => ({
    trainerId: r.trainer_user_id,
    trainerName: r.trainer_name,
    supervisorName: r.supervisor_name,
    nextDueOn: r.next_due_on,
    state: supervisionState(r.next_due_on, rule.graceDays, today),
    unconfirmed: Number(r.unconfirmed ?? 0),
  });
  if (viewer.role === "trainer") {
    const own = await base.where("supervision.trainer_user_id", "=", viewer.id).executeTakeFirst();
    return { role: "trainer" as const, own: own ? { ...toView(own), overdueFrom: overdueFrom(own.next_due_on, rule.graceDays) } : null, suspendsWhenOverdue: rule.suspendsWhenOverdue };
  }
  const caseload = viewer.role === "assessor" ? (await base.where("supervision.supervisor_user_id", "=", viewer.id).orderBy("supervision.next_due_on").limit(200).execute()).map(toView) : [];
  if (viewer.role !== "admin") return { role: "assessor" as const, caseload };
  const overdue = (await base.where("supervision.next_due_on", "<=", overdueCutoff).orderBy("supervision.next_due_on").limit(50).execute()).map(toView);
  const overdueCount = await countOverdueSupervisions(db, today, rule.graceDays);
  const unassigned = await certifiedWithoutSupervisor(db, today);
  return { role: "admin" as const, overdue, overdueCount, unassignedCertified: unassigned };
}

/**
 * How many supervisions are overdue on `today` (a UK day), past `graceDays`, for enabled trainers
 * (as the overdue list and the scheduled reminders count them): one index range, with one seek of
 * the user's primary key per entry.
 */
export async function countOverdueSupervisions(db: DB, today: string, graceDays: number): Promise<number> {
  const row = await db
    .selectFrom("supervision")
    .innerJoin("user as trainer", "trainer.id", "supervision.trainer_user_id")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("supervision.next_due_on", "<=", addDays(today, -(graceDays + 1)))
    .where("trainer.disabled_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * How many certified trainers (a current certificate whose validity period has not ended) have
 * no supervisor, for the admin dashboard (issue 19). Read from the partial index
 * certificate_current_validity alone, with one seek of supervision's primary key per entry:
 * never a certificate row (each beside its PDF), which at 50,000 trainers cost 151 ms. Each
 * trainer has at most one current certificate (certificate_one_current), so rows are trainers.
 */
async function certifiedWithoutSupervisor(db: DB, today: string): Promise<number> {
  const row = await db
    .selectFrom("certificate")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("certificate.revoked_at", "is", null)
    .where("certificate.superseded_by", "is", null)
    .where("certificate.validity_ends_on", ">", today)
    .where((eb) => eb.not(eb.exists(eb.selectFrom("supervision").select("supervision.trainer_user_id").whereRef("supervision.trainer_user_id", "=", "certificate.user_id"))))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every supervision whose next session is overdue today (for the scheduled reminders). */
export async function overdueSupervisions(db: DB, now: Date): Promise<{ trainerId: number; supervisorId: number; nextDueOn: string; trainerName: string }[]> {
  const rule = await getSupervisionRule(db);
  const cutoff = addDays(ukToday(now), -(rule.graceDays + 1));
  const rows = await db
    .selectFrom("supervision")
    .innerJoin("user as trainer", "trainer.id", "supervision.trainer_user_id")
    .select(["supervision.trainer_user_id", "supervision.supervisor_user_id", "supervision.next_due_on", "trainer.name"])
    .where("supervision.next_due_on", "<=", cutoff)
    .where("trainer.disabled_at", "is", null)
    .execute();
  return rows.map((r) => ({ trainerId: r.trainer_user_id, supervisorId: r.supervisor_user_id, nextDueOn: r.next_due_on, trainerName: r.name }));
}
