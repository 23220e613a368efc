/**
 * Concerns about Approved Trainers (issue 12 item 2, ADR 0030). Anyone can raise one from a
 * certificate's verification page; it counts only once the raiser confirms it through the link
 * emailed to them, and then gets a reference. Admins triage it (severity, handler), add notes,
 * record actions and close it with an outcome; every step is a row of the timeline
 * (`concern_event`) and an audit event. Nothing of a concern is ever public. Suspending the
 * certificate is not done here: the admin route calls the certificates' own suspend function and
 * records the action on the timeline (this domain imports nothing from certificates or approval).
 */
import type { DB } from "~db/connection";
import type { Insertable } from "kysely";
import type { Concern, ConcernEvent, ConcernTable } from "~db/schema";
import { recordAudit } from "~/audit/audit.server";
import { DatabaseWindowCounter } from "~/auth/login-throttle.server";
import { hashSecret } from "~/auth/crypto.server";
import { queueEmail } from "~/email/outbox.server";
import { notify, notifyStaff } from "~/notifications/notify.server";
import { DAY, HOUR, iso } from "~/utils/clock";
import { randomToken } from "~/utils/random.server";
import { ok, refuse, tooMany, waitPhrase, type Result } from "~/utils/result";
import { getPolicy } from "~/policy/policy.server";
import { STAFF_RELATIONSHIP, type ConcernInput, type StaffConcernInput } from "./validation";

/** How long the confirmation link works. */
export const CONFIRM_WITHIN_MS = DAY;
export const CONCERNS_PER_IP_PER_HOUR = 5;
export const CONCERNS_PER_EMAIL_PER_HOUR = 3;

const counters = (db: DB) => ({
  ip: new DatabaseWindowCounter(db, "concern-ip", CONCERNS_PER_IP_PER_HOUR, HOUR),
  email: new DatabaseWindowCounter(db, "concern-email", CONCERNS_PER_EMAIL_PER_HOUR, HOUR),
});

/** Milliseconds the client address must wait before raising another concern (0: it may). */
export async function concernWait(db: DB, ip: string, now: Date): Promise<number> {
  return counters(db).ip.retryAfterMs(ip, now);
}

export function tooManyConcernsMessage(waitMs: number): string {
  return `Too many concerns have been sent from this connection or this email address recently. Please wait ${waitPhrase(waitMs)} and try again, or telephone the academy.`;
}

async function event(db: DB, concernId: number, actorUserId: number | null, kind: string, note: string | null, now: Date) {
  await db.insertInto("concern_event").values({ concern_id: concernId, occurred_at: iso(now), actor_user_id: actorUserId, kind, note }).execute();
}

const newReference = () => `C-${randomToken(5).toUpperCase()}`;

/** A new concern row, not yet triaged, whoever raised it; returns its id. */
async function insertConcern(db: DB, values: Omit<Insertable<ConcernTable>, "id" | "severity" | "handler_user_id" | "outcome" | "closed_at" | "created_at">, now: Date): Promise<number> {
  const row = await db
    .insertInto("concern")
    .values({ ...values, severity: null, handler_user_id: null, outcome: null, closed_at: null, created_at: iso(now) })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * A member of the public raises a concern about the trainer holding `certificateId`. It is kept
 * unconfirmed and the raiser is emailed a link; the reference comes with confirmation.
 */
export async function raiseConcern(db: DB, certificateId: string, input: ConcernInput, ip: string, baseUrl: string, now: Date): Promise<Result<{ id: number }>> {
  const { ip: byIp, email: byEmail } = counters(db);
  const wait = Math.max(await byIp.retryAfterMs(ip, now), await byEmail.retryAfterMs(input.email, now));
  if (wait > 0) return tooMany(wait, tooManyConcernsMessage(wait));
  const cert = await db.selectFrom("certificate").select(["id", "user_id", "trainer_name"]).where("id", "=", certificateId).executeTakeFirst();
  if (!cert) return refuse(404, "There is no certificate with that ID.");
  await byIp.record(ip, now);
  await byEmail.record(input.email, now);
  const secret = randomToken(20);
  const id = await db.transaction().execute(async (trx) => {
    const concernId = await insertConcern(
      trx,
      {
        reference: newReference(),
        trainer_user_id: cert.user_id,
        certificate_id: cert.id,
        raised_by_user_id: null,
        raiser_name: input.name,
        raiser_organisation: input.organisation || null,
        raiser_email: input.email,
        relationship: input.relationship,
        category: input.category,
        what_happened: input.whatHappened,
        happened_when: input.when,
        status: "unconfirmed",
        confirm_secret_hash: hashSecret(secret),
        confirmed_at: null,
      },
      now,
    );
    await event(trx, concernId, null, "raised", null, now);
    return concernId;
  });
  await queueEmail(
    db,
    {
      to: input.email,
      subject: "Confirm your concern about an Approved Trainer",
      text: [
        `Dear ${input.name},`,
        "",
        `You raised a concern with the Approved Trainer Academy about ${cert.trainer_name}. To send it to our governance team, confirm it within 24 hours by opening this link:`,
        "",
        `${baseUrl}/concerns/confirm/${secret}`,
        "",
        "If you did not raise a concern, ignore this email: nothing will happen.",
        "If anyone is at immediate risk of harm, call 999. For a safeguarding concern about an adult or child, also contact the local authority's safeguarding team.",
      ].join("\n"),
    },
    now,
  );
  return ok({ id });
}

/** Who raised a concern, in the words a trainer may be shown when policy shares it: never the email address. */
export function raiserWords(c: { raiser_name: string; raiser_organisation: string | null; relationship: string }): string {
  const relationship = RELATIONSHIP_WORDS[c.relationship] ?? "other";
  return `${c.raiser_name}${c.raiser_organisation ? `, ${c.raiser_organisation}` : ""} (${relationship})`;
}

const RELATIONSHIP_WORDS: Record<string, string> = { case_manager: "case manager", solicitor: "solicitor", clinician: "clinician", client_or_family: "client or family member", other: "other", [STAFF_RELATIONSHIP]: "academy staff" };

/** Whether policy lets the trainer be told who raised a concern (ADR 0030; off by default). */
async function raiserShared(db: DB): Promise<boolean> {
  return (await getPolicy(db)).concernRaiserSharedWithTrainer === 1;
}

type NewConcern = { id: number; trainer_user_id: number; category: string; raiser_name: string; raiser_organisation: string | null; relationship: string };

/**
 * A concern now open: admins are told (work arriving; not the staff member who raised it), and
 * the trainer is told that a concern exists and what it is about, never what was written, and
 * who raised it only when policy says so (ADR 0030).
 */
async function tellOfNewConcern(trx: DB, concern: NewConcern, now: Date, raisedByStaffId?: number) {
  await notifyStaff(trx, "admin", { kind: "concern_raised", title: "A concern was raised about an Approved Trainer", body: "A new concern is waiting for triage.", link: `/admin/concerns/${concern.id}` }, now, raisedByStaffId);
  const who = (await raiserShared(trx)) ? `It was raised by ${raiserWords(concern)}.` : "Details of who raised it are not shared.";
  await notify(
    trx,
    {
      userId: concern.trainer_user_id,
      kind: "concern_about_you",
      title: "A concern has been raised about your practice",
      body: `The academy has received a concern about your practice (${CATEGORY_WORDS[concern.category] ?? "other"}). The governance team will look into it and may contact you; you will be told the outcome. ${who}`,
      link: "/dashboard",
    },
    now,
  );
}

const CATEGORY_WORDS: Record<string, string> = { scope_of_practice: "scope of practice", safeguarding: "safeguarding", conduct: "conduct", communication: "communication", other: "other" };

/**
 * An assessor or admin raises a concern about a trainer from the staff trainer page (issue 12:
 * "staff can also raise concerns"). They are signed in, so it needs no emailed confirmation: it
 * opens at once, about the trainer's latest certificate, and is audited and sent to triage.
 */
export async function raiseConcernAsStaff(db: DB, staff: { id: number; name: string; email: string }, trainerId: number, input: StaffConcernInput, now: Date): Promise<Result<{ id: number; reference: string }>> {
  const cert = await db.selectFrom("certificate").select(["id", "user_id"]).where("user_id", "=", trainerId).orderBy("issued_at", "desc").orderBy("id", "desc").executeTakeFirst();
  if (!cert) return refuse(409, "This trainer has no certificate yet: concerns are about Approved Trainers. Record the matter as a note elsewhere or tell an admin.");
  const reference = newReference();
  const row = {
    trainer_user_id: cert.user_id,
    category: input.category,
    raiser_name: staff.name,
    raiser_organisation: "Approved Trainer Academy",
    relationship: STAFF_RELATIONSHIP,
  };
  const id = await db.transaction().execute(async (trx) => {
    const concernId = await insertConcern(
      trx,
      {
        ...row,
        reference,
        certificate_id: cert.id,
        raised_by_user_id: staff.id,
        raiser_email: staff.email,
        what_happened: input.whatHappened,
        happened_when: input.when,
        status: "open",
        confirm_secret_hash: null,
        confirmed_at: iso(now),
      },
      now,
    );
    await event(trx, concernId, staff.id, "raised_by_staff", null, now);
    await recordAudit(trx, { actorUserId: staff.id, action: "concern.raised", subjectType: "concern", subjectId: concernId, details: { reference, byStaff: true } }, now);
    await tellOfNewConcern(trx, { ...row, id: concernId }, now, staff.id);
    return concernId;
  });
  return ok({ id, reference });
}

/** Confirms a concern from its emailed link: it opens, gets its reference, and is audited. */
export async function confirmConcern(db: DB, secret: string, now: Date): Promise<Result<{ reference: string }>> {
  if (!/^[a-z2-7]{32}$/.test(secret)) return refuse(404, "This link is not valid. Check you copied the whole link from the email.");
  const concern = await db
    .selectFrom("concern")
    .select(["id", "reference", "status", "created_at", "trainer_user_id", "category", "raiser_name", "raiser_organisation", "relationship"])
    .where("confirm_secret_hash", "=", hashSecret(secret)).executeTakeFirst();
  if (!concern) return refuse(404, "This link is not valid, or the concern has already been confirmed. Check you copied the whole link from the email.");
  if (now.getTime() - Date.parse(concern.created_at) > CONFIRM_WITHIN_MS) return refuse(409, "This link has expired (links work for 24 hours). Please raise the concern again from the verification page.");
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("concern").set({ status: "open", confirmed_at: iso(now), confirm_secret_hash: null }).where("id", "=", concern.id).where("status", "=", "unconfirmed").execute();
    await event(trx, concern.id, null, "confirmed", null, now);
    await recordAudit(trx, { actorUserId: null, action: "concern.raised", subjectType: "concern", subjectId: concern.id, details: { reference: concern.reference } }, now);
    await tellOfNewConcern(trx, concern, now);
  });
  return ok({ reference: concern.reference });
}

export type ConcernDetail = Concern & { trainerName: string; handlerName: string | null; timeline: (ConcernEvent & { actorName: string | null })[] };

/** One confirmed concern with its timeline, or null (unconfirmed concerns are not shown to staff). */
export async function getConcern(db: DB, id: number): Promise<ConcernDetail | null> {
  const concern = await db.selectFrom("concern").selectAll().where("id", "=", id).where("status", "!=", "unconfirmed").executeTakeFirst();
  if (!concern) return null;
  const cert = await db.selectFrom("certificate").select("trainer_name").where("id", "=", concern.certificate_id).executeTakeFirstOrThrow();
  const handler = concern.handler_user_id ? await db.selectFrom("user").select("name").where("id", "=", concern.handler_user_id).executeTakeFirst() : undefined;
  const timeline = await db
    .selectFrom("concern_event")
    .leftJoin("user", "user.id", "concern_event.actor_user_id")
    .selectAll("concern_event")
    .select("user.name as actor_name")
    .where("concern_event.concern_id", "=", id)
    .orderBy("concern_event.id")
    .execute();
  return { ...concern, trainerName: cert.trainer_name, handlerName: handler?.name ?? null, timeline: timeline.map(({ actor_name, ...e }) => ({ ...e, actorName: actor_name })) };
}

async function openConcern(db: DB, id: number) {
  const concern = await db.selectFrom("concern").select(["id", "status", "trainer_user_id", "certificate_id"]).where("id", "=", id).executeTakeFirst();
  if (!concern || concern.status === "unconfirmed") return refuse(404, "There is no such concern.");
  if (concern.status === "closed") return refuse(409, "This concern is closed.");
  return ok(concern);
}

/** An admin sets the severity and the handler (an assessor or admin). Audited, on the timeline. */
export async function triageConcern(db: DB, actorId: number, id: number, input: { severity: string; handlerId: number }, now: Date): Promise<Result> {
  const open = await openConcern(db, id);
  if (!open.ok) return open;
  const handler = await db.selectFrom("user").select(["name", "role", "disabled_at"]).where("id", "=", input.handlerId).executeTakeFirst();
  if (!handler || handler.role === "trainer" || handler.disabled_at) return refuse(400, null, { handlerId: "Choose an assessor or admin to handle it." });
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("concern").set({ severity: input.severity, handler_user_id: input.handlerId }).where("id", "=", id).execute();
    await event(trx, id, actorId, "triaged", `Severity ${input.severity}; handled by ${handler.name}.`, now);
    await recordAudit(trx, { actorUserId: actorId, action: "concern.triaged", subjectType: "concern", subjectId: id, details: { severity: input.severity, handlerId: input.handlerId } }, now);
  });
  return ok();
}

/** A note, or an action taken elsewhere (such as suspending the certificate), on the timeline. Audited. */
export async function recordConcernStep(db: DB, actorId: number, id: number, kind: "note" | "suspended" | "reinstated" | "revoked", note: string, now: Date): Promise<Result> {
  const open = await openConcern(db, id);
  if (!open.ok) return open;
  await db.transaction().execute(async (trx) => {
    await event(trx, id, actorId, kind, note, now);
    await recordAudit(trx, { actorUserId: actorId, action: `concern.${kind}`, subjectType: "concern", subjectId: id }, now);
  });
  return ok();
}

/** The certificate a concern is about, for actions taken through the certificates' own functions. */
export async function concernCertificate(db: DB, id: number): Promise<Result<{ certificateId: string; trainerUserId: number }>> {
  const open = await openConcern(db, id);
  if (!open.ok) return open;
  return ok({ certificateId: open.value.certificate_id, trainerUserId: open.value.trainer_user_id });
}

/** Closes a concern with its outcome and the date. Audited, on the timeline; final. */
export async function closeConcern(db: DB, actorId: number, id: number, outcome: string, now: Date): Promise<Result> {
  const open = await openConcern(db, id);
  if (!open.ok) return open;
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("concern").set({ status: "closed", outcome, closed_at: iso(now) }).where("id", "=", id).execute();
    await event(trx, id, actorId, "closed", outcome, now);
    await recordAudit(trx, { actorUserId: actorId, action: "concern.closed", subjectType: "concern", subjectId: id }, now);
    // The trainer is told the outcome (the form says it is shared with them), not who raised it.
    await notify(trx, { userId: open.value.trainer_user_id, kind: "concern_about_you", title: "The concern about your practice has been closed", body: `Outcome: ${outcome}`, link: "/dashboard" }, now);
  });
  return ok();
}

/** The trainer a concern raised from this certificate's page would be about (name only), or null. */
export async function concernTarget(db: DB, certificateId: string): Promise<{ certificateId: string; trainerName: string } | null> {
  if (!/^[a-z2-7]{1,64}$/.test(certificateId)) return null;
  const cert = await db.selectFrom("certificate").select(["id", "trainer_name"]).where("id", "=", certificateId).executeTakeFirst();
  return cert ? { certificateId: cert.id, trainerName: cert.trainer_name } : null;
}

/** Staff who can handle a concern (assessors and admins, enabled). */
export async function concernHandlers(db: DB): Promise<{ id: number; name: string }[]> {
  return db.selectFrom("user").select(["id", "name"]).where("role", "in", ["assessor", "admin"]).where("disabled_at", "is", null).orderBy("name").limit(200).execute();
}

export interface ConcernAboutYou {
  category: string;
  openedOn: string;
  status: "open" | "closed";
  outcome: string | null;
  closedAt: string | null;
  /** Who raised it ("name, organisation (relationship)"), only when policy shares it; else null. */
  raisedBy: string | null;
}

/**
 * What a trainer is told on their dashboard about concerns raised about them (confirmed ones,
 * newest first): the category, when, whether it is open, and the outcome. Never who raised it,
 * what they wrote, the reference or staff notes; who raised it only when policy shares it.
 */
export async function concernsAboutTrainer(db: DB, trainerId: number): Promise<ConcernAboutYou[]> {
  const rows = await db
    .selectFrom("concern")
    .select(["category", "confirmed_at", "status", "outcome", "closed_at", "raiser_name", "raiser_organisation", "relationship"])
    .where("trainer_user_id", "=", trainerId)
    .where("status", "!=", "unconfirmed")
    .orderBy("id", "desc")
    .limit(20)
    .execute();
  const shared = await raiserShared(db);
  return rows.map((r) => ({
    category: CATEGORY_WORDS[r.category] ?? "other",
    openedOn: r.confirmed_at ?? "",
    status: r.status === "closed" ? "closed" : "open",
    outcome: r.outcome,
    closedAt: r.closed_at,
    raisedBy: shared ? raiserWords(r) : null,
  }));
}
