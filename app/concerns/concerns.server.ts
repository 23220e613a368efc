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
import type { Concern, ConcernEvent } from "~db/schema";
import { recordAudit } from "~/audit/audit.server";
import { DatabaseWindowCounter } from "~/auth/login-throttle.server";
import { hashSecret } from "~/auth/crypto.server";
import { queueEmail } from "~/email/outbox.server";
import { DAY, HOUR, iso } from "~/utils/clock";
import { randomToken } from "~/utils/random.server";
import { ok, refuse, waitPhrase, type Result } from "~/utils/result";
import type { ConcernInput } from "./validation";

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

/**
 * A member of the public raises a concern about the trainer holding `certificateId`. It is kept
 * unconfirmed and the raiser is emailed a link; the reference comes with confirmation.
 */
export async function raiseConcern(db: DB, certificateId: string, input: ConcernInput, ip: string, baseUrl: string, now: Date): Promise<Result<{ id: number }>> {
  const { ip: byIp, email: byEmail } = counters(db);
  const wait = Math.max(await byIp.retryAfterMs(ip, now), await byEmail.retryAfterMs(input.email, now));
  if (wait > 0) return refuse(429, tooManyConcernsMessage(wait));
  const cert = await db.selectFrom("certificate").select(["id", "user_id", "trainer_name"]).where("id", "=", certificateId).executeTakeFirst();
  if (!cert) return refuse(404, "There is no certificate with that ID.");
  await byIp.record(ip, now);
  await byEmail.record(input.email, now);
  const secret = randomToken(20);
  const id = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("concern")
      .values({
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
        severity: null,
        handler_user_id: null,
        outcome: null,
        closed_at: null,
        created_at: iso(now),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    await event(trx, row.id, null, "raised", null, now);
    return row.id;
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

/** Confirms a concern from its emailed link: it opens, gets its reference, and is audited. */
export async function confirmConcern(db: DB, secret: string, now: Date): Promise<Result<{ reference: string }>> {
  if (!/^[a-z2-7]{32}$/.test(secret)) return refuse(404, "This link is not valid. Check you copied the whole link from the email.");
  const concern = await db.selectFrom("concern").select(["id", "reference", "status", "created_at"]).where("confirm_secret_hash", "=", hashSecret(secret)).executeTakeFirst();
  if (!concern) return refuse(404, "This link is not valid, or the concern has already been confirmed. Check you copied the whole link from the email.");
  if (now.getTime() - Date.parse(concern.created_at) > CONFIRM_WITHIN_MS) return refuse(409, "This link has expired (links work for 24 hours). Please raise the concern again from the verification page.");
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("concern").set({ status: "open", confirmed_at: iso(now), confirm_secret_hash: null }).where("id", "=", concern.id).where("status", "=", "unconfirmed").execute();
    await event(trx, concern.id, null, "confirmed", null, now);
    await recordAudit(trx, { actorUserId: null, action: "concern.raised", subjectType: "concern", subjectId: concern.id, details: { reference: concern.reference } }, now);
  });
  return ok({ reference: concern.reference });
}

export interface ConcernSummary {
  id: number;
  reference: string;
  trainerName: string;
  category: string;
  severity: string | null;
  status: Concern["status"];
  confirmedAt: string | null;
  handlerName: string | null;
}

/** Confirmed concerns (open first, newest first), at most `limit`. Admins only (the route checks). */
export async function listConcerns(db: DB, filter: { status: "open" | "closed" }, limit = 100): Promise<ConcernSummary[]> {
  const rows = await db
    .selectFrom("concern")
    .innerJoin("certificate", "certificate.id", "concern.certificate_id")
    .leftJoin("user as handler", "handler.id", "concern.handler_user_id")
    .select(["concern.id", "concern.reference", "certificate.trainer_name", "concern.category", "concern.severity", "concern.status", "concern.confirmed_at", "handler.name as handler_name"])
    .where("concern.status", "=", filter.status)
    .orderBy("concern.id", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, reference: r.reference, trainerName: r.trainer_name, category: r.category, severity: r.severity, status: r.status, confirmedAt: r.confirmed_at, handlerName: r.handler_name }));
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
export async function recordConcernStep(db: DB, actorId: number, id: number, kind: "note" | "suspended" | "reinstated", note: string, now: Date): Promise<Result> {
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
