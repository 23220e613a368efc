import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { submitDbsCheck, viewDbsCheck } from "~/evidence/dbs.server";
import {
  bookViewingSlot,
  claimViewingContact,
  getOriginalViewing,
  listOpenSlots,
  listOriginalViewingTasks,
  offerViewingSlot,
  recordOriginalSeen,
  requestViewingContact,
} from "~/evidence/dbs-original.server";
import { formatSlotTime } from "~/evidence/dbs-original";
import { createTestDb, createUser } from "../helpers/db";

/**
 * Issue 13 item 5 (ADR 0037): a trainer shows the original DBS certificate to an assessor, in
 * person or by video. Assessors arrange and record it without ever reading the DBS details;
 * only admins see them and decide. Runs on SQLite, and on PostgreSQL with DATABASE_URL.
 */

let db: DB;
const now = new Date("2026-06-01T10:00:00Z");
const DBS_NUMBER = "001234567890";
const goodDbs = { certificateNumber: DBS_NUMBER, issueDate: "2026-02-01", adultsBarredList: "on", workforce: "adult", updateService: "yes", statusCheckConsent: "on", willShowOriginal: "on" };
const BASE = "http://a.test";

beforeAll(async () => {
  db = await createTestDb();
});
afterAll(async () => {
  await db.destroy();
});

async function people() {
  const trainer = await createUser(db, { name: "Tara Trainer" });
  const other = await createUser(db, { name: "Olly Other" });
  const assessor = await createUser(db, { role: "assessor", name: "Sam Seer" });
  const second = await createUser(db, { role: "assessor", name: "Ria Second" });
  const admin = await createUser(db, { role: "admin", name: "Ada Admin" });
  const asActor = (u: { id: number }, role: string) => ({ id: u.id, role });
  return { trainer: asActor(trainer, "trainer"), other: asActor(other, "trainer"), assessor: asActor(assessor, "assessor"), second: asActor(second, "assessor"), admin: asActor(admin, "admin") };
}

async function recordDbs(userId: number) {
  const result = await submitDbsCheck(db, userId, goodDbs, now);
  if (!result.ok) throw new Error("setup failed");
  return result.value.id;
}

const audits = async (action: string) => db.selectFrom("audit_event").select(["actor_user_id", "subject_id", "details"]).where("action", "=", action).execute();
const slot = { day: "2026-06-03", time: "10:30", method: "in_person", place: "RMR office, Room 2" };

describe("offering times", () => {
  it("only staff offer times; a time must be from tomorrow, within 90 days, with a real time and a place; bad input changes nothing", async () => {
    const { trainer, assessor } = await people();
    expect(await offerViewingSlot(db, trainer, slot, now)).toMatchObject({ ok: false, status: 403 });
    const bad = await offerViewingSlot(db, assessor, { day: "2026-06-01", time: "25:00", method: "phone", place: "" }, now);
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(Object.keys(bad.fieldErrors).sort()).toEqual(["day", "method", "place", "time"]);
    expect(bad.fieldErrors.day).toContain("from tomorrow");
    expect((await offerViewingSlot(db, assessor, { ...slot, day: "2026-09-01" }, now)).ok).toBe(false);
    const before = (await audits("dbs.viewing_slot_offered")).length;
    const good = await offerViewingSlot(db, assessor, slot, now);
    expect(good.ok).toBe(true);
    expect((await audits("dbs.viewing_slot_offered")).length).toBe(before + 1);
    expect(formatSlotTime("2026-06-03T10:30")).toBe("3 June 2026 at 10:30");
  });
});

describe("a trainer books a time, an assessor records the original as seen, an admin decides", () => {
  it("never shows an assessor the DBS details, refuses a wrong number and changes nothing, and tells the trainer each step", async () => {
    const { trainer, other, assessor, second, admin } = await people();
    const checkId = await recordDbs(trainer.id);
    const offered = await offerViewingSlot(db, assessor, { ...slot, method: "video", place: "A video link sent by email" }, now);
    if (!offered.ok) throw new Error("setup failed");
    const slotId = offered.value.id;

    // The trainer sees the offered time; nothing is arranged yet.
    expect((await listOpenSlots(db, trainer.id, now)).map((s) => s.id)).toContain(slotId);
    expect(await getOriginalViewing(db, trainer.id)).toMatchObject({ checkId, seen: null, slot: null, contactRequestedAt: null });
    // Staff cannot book for someone; a trainer without a DBS record cannot book.
    expect(await bookViewingSlot(db, assessor, slotId, BASE, now)).toMatchObject({ ok: false, status: 403 });
    expect(await bookViewingSlot(db, other, slotId, BASE, now)).toMatchObject({ ok: false, status: 409 });

    expect((await bookViewingSlot(db, trainer, slotId, BASE, now)).ok).toBe(true);
    const viewing = await getOriginalViewing(db, trainer.id);
    expect(viewing?.slot).toMatchObject({ id: slotId, starts_at: "2026-06-03T10:30", method: "video", assessor_name: "Sam Seer" });
    expect((await listOpenSlots(db, other.id, now)).map((s) => s.id)).not.toContain(slotId);
    // Someone else's booking of the same time is refused.
    await recordDbs(other.id);
    expect(await bookViewingSlot(db, other, slotId, BASE, now)).toMatchObject({ ok: false, status: 409, message: expect.stringContaining("Someone else has just booked") });

    // The assessor's task list names the trainer and the booking, and carries no DBS detail.
    const tasks = await listOriginalViewingTasks(db);
    const task = tasks.find((t) => t.id === checkId)!;
    expect(task).toMatchObject({ trainer_name: "Tara Trainer", slot_starts_at: "2026-06-03T10:30", slot_assessor_name: "Sam Seer" });
    const shown = JSON.stringify(tasks);
    expect(shown).not.toContain(DBS_NUMBER);
    expect(shown).not.toContain("2026-02-01");
    expect(Object.keys(task).filter((k) => /certificate|issue|barred|workforce|update_service|consent/.test(k))).toEqual([]);
    // Assessors still cannot open the admin DBS record.
    expect(await viewDbsCheck(db, assessor, checkId, now)).toBeNull();

    // A trainer cannot record their own original; a wrong number is refused next to its field and nothing changes.
    expect(await recordOriginalSeen(db, trainer, checkId, { seenOn: "2026-06-01", how: "video", certificateNumber: DBS_NUMBER }, BASE, now)).toMatchObject({ ok: false, status: 403 });
    const wrong = await recordOriginalSeen(db, assessor, checkId, { seenOn: "2026-06-01", how: "video", certificateNumber: "001234567891" }, BASE, now);
    expect(wrong).toMatchObject({ ok: false, status: 400, fieldErrors: { certificateNumber: expect.stringContaining("not the number the trainer recorded") } });
    const missing = await recordOriginalSeen(db, assessor, checkId, { seenOn: "2026-06-02", how: "fax", certificateNumber: "12" }, BASE, now);
    expect(missing.ok ? [] : Object.keys(missing.fieldErrors).sort()).toEqual(["certificateNumber", "how", "seenOn"]);
    const beforeIssue = await recordOriginalSeen(db, assessor, checkId, { seenOn: "2026-01-15", how: "video", certificateNumber: DBS_NUMBER }, BASE, now);
    expect(beforeIssue).toMatchObject({ ok: false, fieldErrors: { seenOn: expect.stringContaining("before the certificate was issued") } });
    const untouched = await db.selectFrom("dbs_check").select(["original_seen_on", "original_seen_by_user_id", "original_seen_how"]).where("id", "=", checkId).executeTakeFirstOrThrow();
    expect(untouched).toEqual({ original_seen_on: null, original_seen_by_user_id: null, original_seen_how: null });
    expect(await audits("dbs.original_seen")).toHaveLength(0);

    // The right number (typed with spaces, as printed) records it.
    expect((await recordOriginalSeen(db, second, checkId, { seenOn: "2026-06-01", how: "video", certificateNumber: "0012 3456 7890" }, BASE, now)).ok).toBe(true);
    const seen = await db.selectFrom("dbs_check").select(["original_seen_on", "original_seen_by_user_id", "original_seen_how", "decision"]).where("id", "=", checkId).executeTakeFirstOrThrow();
    expect(seen).toEqual({ original_seen_on: "2026-06-01", original_seen_by_user_id: second.id, original_seen_how: "video", decision: null });
    expect(await getOriginalViewing(db, trainer.id)).toMatchObject({ seen: { on: "2026-06-01", by: "Ria Second", how: "video" } });
    expect((await listOriginalViewingTasks(db)).map((t) => t.id)).not.toContain(checkId);
    expect(await recordOriginalSeen(db, assessor, checkId, { seenOn: "2026-06-01", how: "video", certificateNumber: DBS_NUMBER }, BASE, now)).toMatchObject({ ok: false, status: 409 });

    // The admin's record shows who saw it and how; the decision is still theirs alone.
    const adminView = await viewDbsCheck(db, admin, checkId, now);
    expect(adminView).toMatchObject({ originalSeenBy: "Ria Second", check: { original_seen_how: "video", certificate_number: DBS_NUMBER } });

    // Audited, and the number never leaves the dbs_check row: not in the audit trail, not in any email.
    const seenAudit = await audits("dbs.original_seen");
    expect(seenAudit).toHaveLength(1);
    expect(seenAudit[0]).toMatchObject({ actor_user_id: second.id, subject_id: String(checkId) });
    expect(JSON.parse(seenAudit[0]!.details)).toEqual({ trainerUserId: trainer.id, seenOn: "2026-06-01", how: "video" });
    expect((await audits("dbs.viewing_booked")).some((a) => a.subject_id === String(checkId))).toBe(true);
    const everything = JSON.stringify(await db.selectFrom("audit_event").selectAll().execute()) + JSON.stringify(await db.selectFrom("email_outbox").selectAll().execute());
    expect(everything).not.toContain(DBS_NUMBER);
    const emails = await db.selectFrom("email_outbox").select(["subject"]).execute();
    expect(emails.map((e) => e.subject)).toEqual(
      expect.arrayContaining(["Your time to show your original DBS certificate", "A trainer has booked a time to show their original DBS certificate", "Your original DBS certificate has been seen"]),
    );
  });
});

describe("a trainer asks to be contacted", () => {
  it("shows who will contact them once an assessor takes it on; one assessor at a time; staff cannot see their own certificate", async () => {
    const { trainer, assessor, second } = await people();
    const checkId = await recordDbs(trainer.id);
    expect(await claimViewingContact(db, assessor, checkId, BASE, now)).toMatchObject({ ok: false, status: 409 });
    const tooLong = await requestViewingContact(db, trainer, { note: "x".repeat(501) }, now);
    expect(tooLong).toMatchObject({ ok: false, fieldErrors: { note: expect.stringContaining("at most 500") } });
    expect((await requestViewingContact(db, trainer, { note: "Weekday mornings, video please" }, now)).ok).toBe(true);
    expect(await getOriginalViewing(db, trainer.id)).toMatchObject({ contactRequestedAt: now.toISOString(), contactNote: "Weekday mornings, video please", contact: null });
    expect((await listOriginalViewingTasks(db, { checkId }))[0]).toMatchObject({ viewing_contact_note: "Weekday mornings, video please", viewing_contact_user_id: null });

    expect(await claimViewingContact(db, trainer, checkId, BASE, now)).toMatchObject({ ok: false, status: 403 });
    expect((await claimViewingContact(db, assessor, checkId, BASE, now)).ok).toBe(true);
    expect(await getOriginalViewing(db, trainer.id)).toMatchObject({ contact: { name: "Sam Seer" } });
    expect(await claimViewingContact(db, second, checkId, BASE, now)).toMatchObject({ ok: false, status: 409, message: "Sam Seer is already contacting this trainer." });
    expect((await audits("dbs.viewing_contact_claimed")).filter((a) => a.subject_id === String(checkId))).toHaveLength(1);
    const told = await db.selectFrom("email_outbox").select(["subject", "body_text"]).where("subject", "=", "Showing your original DBS certificate: who will contact you").execute();
    expect(told.at(-1)?.body_text).toContain("Sam Seer");

    // A member of staff's own DBS record must be seen by someone else.
    const staffCheck = await recordDbs(assessor.id);
    expect(await recordOriginalSeen(db, assessor, staffCheck, { seenOn: "2026-06-01", how: "in_person", certificateNumber: DBS_NUMBER }, BASE, now)).toMatchObject({ ok: false, status: 403 });
  });

  it("recording a new certificate gives back a time booked for the old one", async () => {
    const { trainer, assessor } = await people();
    await recordDbs(trainer.id);
    const offered = await offerViewingSlot(db, assessor, { ...slot, time: "14:00" }, now);
    if (!offered.ok) throw new Error("setup failed");
    expect((await bookViewingSlot(db, trainer, offered.value.id, BASE, now)).ok).toBe(true);
    await recordDbs(trainer.id);
    const row = await db.selectFrom("dbs_viewing_slot").select("booked_dbs_check_id").where("id", "=", offered.value.id).executeTakeFirstOrThrow();
    expect(row.booked_dbs_check_id).toBeNull();
    expect(await getOriginalViewing(db, trainer.id)).toMatchObject({ slot: null });
  });
});
