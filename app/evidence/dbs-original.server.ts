import { timingSafeEqual } from "node:crypto";
import type { DB, Trx } from "~db/connection";
import { recordAudit } from "~/audit/audit.server";
import { queueEmail, type OutgoingEmail } from "~/email/outbox.server";
import { iso } from "~/utils/clock";
import { addDays, formatDate, ukToday } from "~/utils/dates";
import { validate } from "~/utils/forms";
import { invalid, ok, refuse, type Result } from "~/utils/result";
import { SEEN_HOW_LABELS, SLOT_METHOD_LABELS, contactRequestSchema, formatSlotTime, originalSeenSchema, viewingSlotSchema } from "./dbs-original";

/*
 * Showing the original DBS certificate (issue 13 item 5, ADR 0037). Assessors offer times; a
 * trainer books one or asks to be contacted (and sees who claimed it); the assessor who saw the
 * original records the day, how (in person, or by video with the certificate held to the camera)
 * and the number read from it, which is only compared with the recorded one. Assessors never
 * read a certificate number, issue date, barred-list or workforce detail: every query here
 * selects named columns, none of them those. Admins still see the details and decide (ADR 0006).
 */

interface Actor {
  id: number;
  role: string;
}

const isStaff = (actor: Actor) => actor.role === "assessor" || actor.role === "admin";
const STAFF_ONLY = "Only assessors and administrators arrange and record the original DBS certificate being seen.";

/** The first bookable moment, as a slot's "YYYY-MM-DDTHH:MM": tomorrow, UK time. */
const firstBookable = (now: Date) => `${addDays(ukToday(now), 1)}T00:00`;

/** The trainer's newest DBS record, with only what this flow needs. */
async function latestCheck(db: DB | Trx, trainerId: number) {
  return db
    .selectFrom("dbs_check")
    .select(["id", "user_id", "decision", "original_seen_on", "original_seen_by_user_id", "original_seen_how", "details_erased_at", "viewing_slot_id", "viewing_contact_requested_at", "viewing_contact_note", "viewing_contact_user_id", "created_at"])
    .where("user_id", "=", trainerId)
    .orderBy("id", "desc")
    .executeTakeFirst();
}

type CheckRow = NonNullable<Awaited<ReturnType<typeof latestCheck>>>;

/** Refuses unless the check still waits for its original to be seen. */
function stillWaiting(check: CheckRow | undefined): Result<CheckRow> {
  if (!check) return refuse(409, "Record your DBS certificate details first; then arrange to show the original.");
  if (check.original_seen_on !== null) return refuse(409, "The original certificate has already been seen.");
  if (check.decision !== null) return refuse(409, "An administrator has already recorded a decision on this DBS check.");
  if (check.details_erased_at !== null) return refuse(409, "This DBS record's details have been erased. Record your current certificate first.");
  return ok(check);
}

async function userById(db: DB | Trx, id: number) {
  return db.selectFrom("user").select(["id", "name", "email", "role"]).where("id", "=", id).executeTakeFirstOrThrow();
}

async function releaseSlot(trx: Trx, checkId: number) {
  await trx.updateTable("dbs_viewing_slot").set({ booked_dbs_check_id: null, booked_at: null }).where("booked_dbs_check_id", "=", checkId).execute();
}

async function send(db: DB, emails: OutgoingEmail[], now: Date) {
  for (const email of emails) await queueEmail(db, email, now);
}

// ---------------------------------------------------------------------------------------------
// Assessors

/** An assessor (or admin) offers a time to see originals. */
export async function offerViewingSlot(db: DB, staff: Actor, fields: Record<string, string>, now: Date): Promise<Result<{ id: number }>> {
  if (!isStaff(staff)) return refuse(403, STAFF_ONLY);
  const parsed = validate(viewingSlotSchema(ukToday(now)), fields);
  if (!parsed.ok) return parsed;
  const { day, time, method, place } = parsed.value;
  const startsAt = `${day}T${time}`;
  const id = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto("dbs_viewing_slot")
      .values({ assessor_user_id: staff.id, starts_at: startsAt, method, place, booked_dbs_check_id: null, booked_at: null, created_at: iso(now) })
      .returning("id")
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { actorUserId: staff.id, action: "dbs.viewing_slot_offered", subjectType: "dbs_viewing_slot", subjectId: row.id, details: { startsAt, method } }, now);
    return row.id;
  });
  return ok({ id });
}

/** The staff member's own slots from today on, with who booked each. */
export async function listOwnSlots(db: DB, staffId: number, now: Date) {
  return db
    .selectFrom("dbs_viewing_slot")
    .leftJoin("dbs_check", "dbs_check.id", "dbs_viewing_slot.booked_dbs_check_id")
    .leftJoin("user as trainer", "trainer.id", "dbs_check.user_id")
    .select(["dbs_viewing_slot.id", "dbs_viewing_slot.starts_at", "dbs_viewing_slot.method", "dbs_viewing_slot.place", "trainer.name as booked_by"])
    .where("dbs_viewing_slot.assessor_user_id", "=", staffId)
    .where("dbs_viewing_slot.starts_at", ">=", `${ukToday(now)}T00:00`)
    .orderBy("dbs_viewing_slot.starts_at")
    .limit(100)
    .execute();
}

/**
 * The assessors' task list: every trainer whose newest DBS record waits for its original to be
 * seen, oldest first, with how it is being arranged. No certificate detail is selected.
 */
export async function listOriginalViewingTasks(db: DB, only?: { checkId: number }) {
  let query = db
    .selectFrom("dbs_check")
    .innerJoin("user as trainer", "trainer.id", "dbs_check.user_id")
    .leftJoin("dbs_viewing_slot as slot", "slot.id", "dbs_check.viewing_slot_id")
    .leftJoin("user as slot_assessor", "slot_assessor.id", "slot.assessor_user_id")
    .leftJoin("user as contact", "contact.id", "dbs_check.viewing_contact_user_id")
    .select([
      "dbs_check.id",
      "dbs_check.created_at",
      "dbs_check.viewing_contact_requested_at",
      "dbs_check.viewing_contact_note",
      "dbs_check.viewing_contact_user_id",
      "trainer.id as trainer_id",
      "trainer.name as trainer_name",
      "trainer.email as trainer_email",
      "slot.starts_at as slot_starts_at",
      "slot.method as slot_method",
      "slot.place as slot_place",
      "slot.assessor_user_id as slot_assessor_id",
      "slot_assessor.name as slot_assessor_name",
      "contact.name as contact_name",
    ])
    .where("dbs_check.original_seen_on", "is", null)
    .where("dbs_check.decision", "is", null)
    .where("dbs_check.details_erased_at", "is", null)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom("dbs_check as newer").select("newer.id").whereRef("newer.user_id", "=", "dbs_check.user_id").whereRef("newer.id", ">", "dbs_check.id"))))
    .orderBy("dbs_check.id")
    .limit(200);
  if (only) query = query.where("dbs_check.id", "=", only.checkId);
  return query.execute();
}

/** An assessor says they will contact a trainer who asked to be contacted. */
export async function claimViewingContact(db: DB, staff: Actor, checkId: number, baseUrl: string, now: Date): Promise<Result> {
  if (!isStaff(staff)) return refuse(403, STAFF_ONLY);
  const result = await db.transaction().execute(async (trx): Promise<Result<OutgoingEmail>> => {
    const row = await trx.selectFrom("dbs_check").select(["id", "user_id"]).where("id", "=", checkId).executeTakeFirst();
    if (!row) return refuse(404, "That DBS record does not exist.");
    if (row.user_id === staff.id) return refuse(403, "Another member of staff must see your own certificate.");
    const check = stillWaiting(await latestCheck(trx, row.user_id));
    if (!check.ok) return check;
    if (check.value.id !== checkId) return refuse(409, "The trainer has recorded a newer certificate; reload the list.");
    if (check.value.viewing_contact_requested_at === null) return refuse(409, "The trainer has not asked to be contacted.");
    if (check.value.viewing_contact_user_id !== null && check.value.viewing_contact_user_id !== staff.id) {
      return refuse(409, `${(await userById(trx, check.value.viewing_contact_user_id)).name} is already contacting this trainer.`);
    }
    await trx.updateTable("dbs_check").set({ viewing_contact_user_id: staff.id }).where("id", "=", checkId).execute();
    await recordAudit(trx, { actorUserId: staff.id, action: "dbs.viewing_contact_claimed", subjectType: "dbs_check", subjectId: checkId, details: { trainerUserId: row.user_id } }, now);
    const [trainer, assessor] = [await userById(trx, row.user_id), await userById(trx, staff.id)];
    return ok({
      to: trainer.email,
      subject: "Showing your original DBS certificate: who will contact you",
      text: `Hello ${trainer.name},\n\n${assessor.name} (${assessor.email}) will contact you to arrange to see your original DBS certificate, in person or by video call.\n\nWhere things stand: ${baseUrl}/requirements/dbs-original\n`,
    });
  });
  if (!result.ok) return result;
  await send(db, [result.value], now);
  return ok();
}

function sameNumber(typed: string, recorded: string | null): boolean {
  if (recorded === null || typed.length !== recorded.length) return false;
  return timingSafeEqual(Buffer.from(typed), Buffer.from(recorded));
}

/**
 * The assessor who saw the original records the day, how, and the number printed on it. The
 * number is compared with the recorded one (constant time) and then forgotten: it is not stored,
 * audited, logged or echoed back.
 */
export async function recordOriginalSeen(db: DB, staff: Actor, checkId: number, fields: Record<string, string>, baseUrl: string, now: Date): Promise<Result> {
  if (!isStaff(staff)) return refuse(403, STAFF_ONLY);
  const parsed = validate(originalSeenSchema(ukToday(now)), fields);
  if (!parsed.ok) return parsed;
  const { seenOn, how, certificateNumber } = parsed.value;
  const result = await db.transaction().execute(async (trx): Promise<Result<OutgoingEmail>> => {
    const row = await trx.selectFrom("dbs_check").select(["id", "user_id", "certificate_number", "issue_date"]).where("id", "=", checkId).executeTakeFirst();
    if (!row) return refuse(404, "That DBS record does not exist.");
    if (row.user_id === staff.id) return refuse(403, "Another member of staff must see your own certificate.");
    const check = stillWaiting(await latestCheck(trx, row.user_id));
    if (!check.ok) return check;
    if (check.value.id !== checkId) return refuse(409, "The trainer has recorded a newer certificate; reload the list.");
    if (row.issue_date !== null && seenOn < row.issue_date) return invalid({ seenOn: "That is before the certificate was issued: check the date." });
    if (!sameNumber(certificateNumber, row.certificate_number)) {
      return invalid({ certificateNumber: "This is not the number the trainer recorded. Check it on the original; if the trainer recorded it wrongly, ask them to record their certificate again." });
    }
    await trx.updateTable("dbs_check").set({ original_seen_on: seenOn, original_seen_by_user_id: staff.id, original_seen_how: how }).where("id", "=", checkId).execute();
    await recordAudit(trx, { actorUserId: staff.id, action: "dbs.original_seen", subjectType: "dbs_check", subjectId: checkId, details: { trainerUserId: row.user_id, seenOn, how } }, now);
    const [trainer, assessor] = [await userById(trx, row.user_id), await userById(trx, staff.id)];
    return ok({
      to: trainer.email,
      subject: "Your original DBS certificate has been seen",
      text: `Hello ${trainer.name},\n\n${assessor.name} saw your original DBS certificate on ${formatDate(seenOn)} (${SEEN_HOW_LABELS[how].toLowerCase()}). An administrator will now record the decision on your DBS check; you will get an email when they have.\n\n${baseUrl}/requirements\n`,
    });
  });
  if (!result.ok) return result;
  await send(db, [result.value], now);
  return ok();
}

// ---------------------------------------------------------------------------------------------
// Trainers

/** Times a trainer may book: not yet booked, from tomorrow on, soonest first. */
export async function listOpenSlots(db: DB, trainerId: number, now: Date) {
  return db
    .selectFrom("dbs_viewing_slot")
    .innerJoin("user as assessor", "assessor.id", "dbs_viewing_slot.assessor_user_id")
    .select(["dbs_viewing_slot.id", "dbs_viewing_slot.starts_at", "dbs_viewing_slot.method", "dbs_viewing_slot.place", "assessor.name as assessor_name"])
    .where("dbs_viewing_slot.booked_dbs_check_id", "is", null)
    .where("dbs_viewing_slot.starts_at", ">=", firstBookable(now))
    .where("dbs_viewing_slot.assessor_user_id", "!=", trainerId)
    .where("assessor.disabled_at", "is", null)
    .orderBy("dbs_viewing_slot.starts_at")
    .limit(50)
    .execute();
}

/** What the trainer sees about showing their original: no certificate detail. */
export async function getOriginalViewing(db: DB, trainerId: number) {
  const check = await latestCheck(db, trainerId);
  if (!check) return null;
  const slot =
    check.viewing_slot_id === null
      ? null
      : await db
          .selectFrom("dbs_viewing_slot")
          .innerJoin("user as assessor", "assessor.id", "dbs_viewing_slot.assessor_user_id")
          .select(["dbs_viewing_slot.id", "dbs_viewing_slot.starts_at", "dbs_viewing_slot.method", "dbs_viewing_slot.place", "assessor.name as assessor_name", "assessor.email as assessor_email"])
          .where("dbs_viewing_slot.id", "=", check.viewing_slot_id)
          .executeTakeFirst();
  const contact = check.viewing_contact_user_id === null ? null : await userById(db, check.viewing_contact_user_id);
  const seenBy = check.original_seen_by_user_id === null ? null : (await userById(db, check.original_seen_by_user_id)).name;
  return {
    checkId: check.id,
    recordedAt: check.created_at,
    decided: check.decision !== null,
    erased: check.details_erased_at !== null,
    seen: check.original_seen_on === null ? null : { on: check.original_seen_on, by: seenBy, how: check.original_seen_how },
    slot: slot ?? null,
    contactRequestedAt: check.viewing_contact_requested_at,
    contactNote: check.viewing_contact_note,
    contact: contact ? { name: contact.name, email: contact.email } : null,
  };
}

/** The trainer books an offered time for their newest DBS record (replacing any earlier booking or request). */
export async function bookViewingSlot(db: DB, trainer: Actor, slotId: number, baseUrl: string, now: Date): Promise<Result> {
  if (trainer.role !== "trainer") return refuse(403, "Only trainers book a time to show their certificate.");
  const result = await db.transaction().execute(async (trx): Promise<Result<OutgoingEmail[]>> => {
    const check = stillWaiting(await latestCheck(trx, trainer.id));
    if (!check.ok) return check;
    const slot = await trx.selectFrom("dbs_viewing_slot").selectAll().where("id", "=", slotId).executeTakeFirst();
    if (!slot || slot.assessor_user_id === trainer.id) return refuse(404, "That time is no longer offered. Choose another.");
    if (slot.starts_at < firstBookable(now)) return refuse(409, "That time is too soon to book. Choose a later one.");
    if (slot.booked_dbs_check_id === check.value.id) return ok([]);
    await releaseSlot(trx, check.value.id);
    const taken = await trx
      .updateTable("dbs_viewing_slot")
      .set({ booked_dbs_check_id: check.value.id, booked_at: iso(now) })
      .where("id", "=", slotId)
      .where("booked_dbs_check_id", "is", null)
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) !== 1) return refuse(409, "Someone else has just booked that time. Choose another.");
    await trx
      .updateTable("dbs_check")
      .set({ viewing_slot_id: slotId, viewing_contact_requested_at: null, viewing_contact_note: null, viewing_contact_user_id: null })
      .where("id", "=", check.value.id)
      .execute();
    await recordAudit(trx, { actorUserId: trainer.id, action: "dbs.viewing_booked", subjectType: "dbs_check", subjectId: check.value.id, details: { slotId, startsAt: slot.starts_at, assessorUserId: slot.assessor_user_id } }, now);
    const [me, assessor] = [await userById(trx, trainer.id), await userById(trx, slot.assessor_user_id)];
    const when = `${formatSlotTime(slot.starts_at)} (UK time), ${SLOT_METHOD_LABELS[slot.method].toLowerCase()}: ${slot.place}`;
    return ok([
      {
        to: me.email,
        subject: "Your time to show your original DBS certificate",
        text: `Hello ${me.name},\n\nYou have booked ${when}, with ${assessor.name}.\n\nBring the original paper certificate${slot.method === "video" ? " and hold it to the camera when asked" : ""}. Do not send a copy.\n\nChange or check your booking: ${baseUrl}/requirements/dbs-original\n`,
      },
      {
        to: assessor.email,
        subject: "A trainer has booked a time to show their original DBS certificate",
        text: `Hello ${assessor.name},\n\n${me.name} has booked ${when}.\n\nAfter you have seen the original, record it: ${baseUrl}/assessor/dbs-originals\n`,
      },
    ]);
  });
  if (!result.ok) return result;
  await send(db, result.value, now);
  return ok();
}

/** The trainer asks to be contacted instead (replacing any booking), with an optional note. */
export async function requestViewingContact(db: DB, trainer: Actor, fields: Record<string, string>, now: Date): Promise<Result> {
  if (trainer.role !== "trainer") return refuse(403, "Only trainers ask to be contacted about their certificate.");
  const parsed = validate(contactRequestSchema, fields);
  if (!parsed.ok) return parsed;
  return db.transaction().execute(async (trx): Promise<Result> => {
    const check = stillWaiting(await latestCheck(trx, trainer.id));
    if (!check.ok) return check;
    await releaseSlot(trx, check.value.id);
    await trx
      .updateTable("dbs_check")
      .set({ viewing_slot_id: null, viewing_contact_requested_at: iso(now), viewing_contact_note: parsed.value.note || null, viewing_contact_user_id: null })
      .where("id", "=", check.value.id)
      .execute();
    await recordAudit(trx, { actorUserId: trainer.id, action: "dbs.viewing_contact_requested", subjectType: "dbs_check", subjectId: check.value.id, details: {} }, now);
    return ok();
  });
}
