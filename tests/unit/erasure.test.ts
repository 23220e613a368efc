import fs from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase, type DB } from "~db/connection";
import { carryOutErasure } from "~/approval/approval.server";
import { createSession, validateSessionToken } from "~/auth/session.server";
import { changeUserRole, findUserByEmail, setUserDisabled } from "~/auth/accounts.server";
import { closedJson } from "~/certificates/verify-http.server";
import { cache, getVerificationView, isClosedView } from "~/certificates/public.server";
import { currentModuleVersionId } from "~/content/catalog.server";
import { getReportTask } from "~/content/catalog.server";
import { latestErasureRequest, refuseErasureRequest, requestErasure, withdrawErasureRequest } from "~/erasure/requests.server";
import { ERASED_NAME, NO_LONGER_LISTED } from "~/erasure/policy";
import { notify } from "~/notifications/notify.server";
import { getEnv } from "~/utils/env.server";
import { randomCandidateNumber } from "~/utils/random.server";
import { seedCertifiedTrainer } from "../../scripts/lib/seed-certified";
import { createTestDb, createUser } from "../helpers/db";
import { bytesOnDisk, migratedSqliteFile, removeSqliteFiles } from "../helpers/sqlite-file";

/**
 * Issue 17 item 4 (ADR 0034): an erasure carried out by an admin leaves no personal field of the
 * person readable in the database file (a real SQLite file in WAL mode, read as raw bytes, as in
 * dbs-erasure-bytes.test.ts), deletes their evidence files, ends their sessions and makes their
 * certificate's verification page read "No longer listed". Refusing changes nothing; a second
 * "carry out" finds nothing; a trainer cannot carry one out.
 */
const NAME = "Philippa Quarrendon-Vasquez";
const EMAIL = "philippa.quarrendon@erasure.example.test";
const DBS_NUMBER = "739184260519";
const ANSWER = "Mrs Quarrendon-Vasquez's client walked unaided for forty metres on the third visit";
const BYSTANDER = "Bartholomew Keeling-Oyelaran";
const PASSWORD = "seeded erasure password";
const BASE = "http://academy.test";
const now = new Date("2026-06-01T09:00:00Z");
const later = new Date("2026-06-02T09:00:00Z");
afterEach(removeSqliteFiles);


/** A certified trainer with everything an erasure touches: DBS number, a report, a listing, a session, notifications. */
async function seedTrainer(db: DB, name: string, email: string, staffId: number, answer: string) {
  const trainer = await seedCertifiedTrainer(db, { name, email, password: PASSWORD, staffUserId: staffId }, BASE, now);
  await db.updateTable("dbs_check").set({ certificate_number: name === NAME ? DBS_NUMBER : "111122223333", issue_date: "2026-01-10" }).where("user_id", "=", trainer.userId).execute();
  await db
    .insertInto("report_submission")
    .values({
      user_id: trainer.userId, version: 2, module_slug: "report-writing", module_version_id: await currentModuleVersionId(db, "report-writing", now), task_json: JSON.stringify(getReportTask("report-writing")?.title ?? ""),
      body: answer, word_count: answer.split(" ").length, candidate_number: randomCandidateNumber(), submitted_at: now.toISOString(), status: "released", marker_id: staffId, marking_started_at: now.toISOString(),
      marked_at: now.toISOString(), moderation_required: 0, moderator_id: null, moderation_started_at: null, released_mark_id: null, outcome: "pass", released_at: now.toISOString(),
    })
    .execute();
  await db.insertInto("report_draft").values({ user_id: trainer.userId, body: answer, word_count: 3, saved_at: now.toISOString() }).execute();
  await db.insertInto("register_listing").values({ id: `listing${trainer.userId}`, user_id: trainer.userId, area: "Powys", postcode_district: "LD1", profile: `${name} trains in Powys`, consented_at: now.toISOString(), withdrawn_at: null, updated_at: now.toISOString() }).execute();
  await db.transaction().execute((trx) => notify(trx, { userId: staffId, kind: "evidence_to_verify", title: `${name} sent evidence`, body: `${name} (${email}) sent a qualification.`, link: null }, now));
  const token = await createSession(db, trainer.userId, now);
  return { ...trainer, token };
}

async function evidencePaths(db: DB, userId: number) {
  const files = await db.selectFrom("evidence_file").select("storage_name").where("owner_user_id", "=", userId).execute();
  return files.map((f) => path.join(getEnv().EVIDENCE_DIR, path.basename(f.storage_name)));
}

describe("erasure carried out", () => {
  it("leaves no personal field of the person readable in the SQLite file, deletes their files, ends their sessions and unlists their certificate", async () => {
    const { db, file } = await migratedSqliteFile();
    const admin = await createUser(db, { role: "admin" });
    const assessor = await createUser(db, { role: "assessor" });
    const trainer = await seedTrainer(db, NAME, EMAIL, assessor.id, ANSWER);
    const bystander = await seedTrainer(db, BYSTANDER, "bartholomew@erasure.example.test", assessor.id, "The bystander's own report text, kept");
    // A "download my data" ZIP about them (ADR 0033), ready in the evidence store.
    const zipName = `export-${trainer.userId}-erasure-test.zip`;
    fs.writeFileSync(path.join(getEnv().EVIDENCE_DIR, zipName), `PK ${NAME} ${EMAIL}`);
    await db
      .insertInto("data_export")
      .values({ id: `export${trainer.userId}`, secret_hash: "x", subject_user_id: trainer.userId, requested_by_user_id: trainer.userId, reason: null, requested_at: now.toISOString(), claimed_at: null, claimed_by: null, ready_at: now.toISOString(), expires_at: later.toISOString(), storage_name: zipName, size_bytes: 10, sha256: "x", failed_at: null, last_error: null, deleted_at: null, downloaded_at: null })
      .execute();
    const files = [...(await evidencePaths(db, trainer.userId)), path.join(getEnv().EVIDENCE_DIR, zipName)];
    expect(files.length).toBeGreaterThan(1);
    for (const f of files) expect(fs.existsSync(f)).toBe(true);
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db);
    await db.updateTable("user").set({ updated_at: now.toISOString() }).where("id", "=", trainer.userId).execute();
    for (const needle of [NAME, EMAIL, DBS_NUMBER, ANSWER]) expect(bytesOnDisk(file).includes(needle), needle).toBe(true);

    expect(await requestErasure(db, { id: trainer.userId, role: "trainer" }, "not the password", now)).toMatchObject({ ok: false, status: 400, fieldErrors: { password: expect.any(String) } });
    const asked = await requestErasure(db, { id: trainer.userId, role: "trainer" }, PASSWORD, now);
    if (!asked.ok) throw new Error(asked.message ?? "refused");
    // Server-side role check: the trainer cannot carry out their own request.
    expect(await carryOutErasure(db, { id: trainer.userId, role: "trainer" }, asked.value.requestId, BASE, later)).toMatchObject({ ok: false, status: 403 });
    expect((await latestErasureRequest(db, trainer.userId))?.status).toBe("pending");

    expect(await carryOutErasure(db, { id: admin.id, role: "admin" }, asked.value.requestId, BASE, later)).toEqual({ ok: true, value: { userId: trainer.userId } });
    // A second click (or a second admin) finds nothing to do.
    expect(await carryOutErasure(db, { id: admin.id, role: "admin" }, asked.value.requestId, BASE, later)).toMatchObject({ ok: false, status: 404 });

    // Read while the server would still be running, and again once it has stopped.
    for (const needle of [NAME, EMAIL, DBS_NUMBER, ANSWER]) expect(bytesOnDisk(file).includes(needle), needle).toBe(false);
    for (const f of files) expect(fs.existsSync(f), f).toBe(false);
    expect(await validateSessionToken(db, trainer.token, later)).toBeNull();
    expect(await findUserByEmail(db, EMAIL)).toBeUndefined();
    expect(await db.selectFrom("data_export").select("id").where("subject_user_id", "=", trainer.userId).execute()).toEqual([]);

    cache().clear();
    const view = await getVerificationView(db, trainer.certificateId, later);
    expect(view && isClosedView(view)).toBe(true);
    if (!view || !isClosedView(view)) throw new Error("not closed");
    expect(view.statusLabel).toBe(NO_LONGER_LISTED);
    expect(JSON.stringify(closedJson(view, later))).not.toMatch(/Philippa|Erased|quarrendon/i);
    const cert = await db.selectFrom("certificate").select(["revoked_at", "trainer_name", "pdf", "issued_at", "expires_on"]).where("id", "=", trainer.certificateId).executeTakeFirstOrThrow();
    expect(cert).toMatchObject({ revoked_at: later.toISOString(), trainer_name: ERASED_NAME, pdf: null, issued_at: now.toISOString() });
    const credentials = await db.selectFrom("issued_credential").select(["revoked_at", "json"]).where("certificate_id", "=", trainer.certificateId).execute();
    expect(credentials.length).toBeGreaterThan(0);
    for (const c of credentials) expect(c).toMatchObject({ revoked_at: expect.any(String), json: null });
    const audit = await db.selectFrom("audit_event").select(["actor_user_id", "details"]).where("action", "=", "erasure.carried_out").executeTakeFirstOrThrow();
    expect(audit.actor_user_id).toBe(admin.id);
    // The marks stay for the appeal period: the submission, its outcome and its dates, without its text.
    const reports = await db.selectFrom("report_submission").select(["outcome", "body", "body_erased_at"]).where("user_id", "=", trainer.userId).execute();
    for (const r of reports) expect(r).toMatchObject({ outcome: "pass", body: "", body_erased_at: later.toISOString() });

    await db.destroy();
    const after = bytesOnDisk(file);
    for (const needle of [NAME, EMAIL, DBS_NUMBER, ANSWER]) expect(after.includes(needle), needle).toBe(false);
    // The other trainer is untouched (the search itself works).
    expect(after.includes(BYSTANDER)).toBe(true);
    expect(after.includes("The bystander's own report text, kept")).toBe(true);
    for (const f of await (async () => { const { db: again } = openDatabase(file); try { return await evidencePaths(again, bystander.userId); } finally { await again.destroy(); } })()) expect(fs.existsSync(f)).toBe(true);
  });
});

describe("erasure requests", () => {
  it("refusing changes nothing but the request, and the trainer is told the reason; withdrawing a pending request works once", async () => {
    const db = await createTestDb();
    const admin = await createUser(db, { role: "admin" });
    const assessor = await createUser(db, { role: "assessor" });
    const trainer = await seedTrainer(db, "Refused Person", "refused.person@erasure.example.test", assessor.id, "Text that stays after a refusal");
    const before = await db.selectFrom("user").selectAll().where("id", "=", trainer.userId).executeTakeFirstOrThrow();
    const asked = await requestErasure(db, { id: trainer.userId, role: "trainer" }, PASSWORD, now);
    if (!asked.ok) throw new Error("refused");
    expect(await requestErasure(db, { id: trainer.userId, role: "trainer" }, PASSWORD, now)).toMatchObject({ ok: false, status: 409 });
    expect(await refuseErasureRequest(db, { id: trainer.userId, role: "trainer" }, asked.value.requestId, "no", later)).toMatchObject({ ok: false, status: 403 });
    expect(await refuseErasureRequest(db, { id: admin.id, role: "admin" }, asked.value.requestId, "  ", later)).toMatchObject({ ok: false, status: 400 });
    expect(await refuseErasureRequest(db, { id: admin.id, role: "admin" }, asked.value.requestId, "A concern about your practice is under investigation.", later)).toEqual({ ok: true, value: null });
    expect(await carryOutErasure(db, { id: admin.id, role: "admin" }, asked.value.requestId, BASE, later)).toMatchObject({ ok: false, status: 404 });
    expect(await db.selectFrom("user").selectAll().where("id", "=", trainer.userId).executeTakeFirstOrThrow()).toEqual(before);
    expect(await validateSessionToken(db, trainer.token, now)).not.toBeNull();
    cache().clear();
    const view = await getVerificationView(db, trainer.certificateId, now);
    expect(view && !isClosedView(view) && view.name).toBe("Refused Person");
    expect(await db.selectFrom("report_submission").select("body").where("user_id", "=", trainer.userId).where("version", "=", 2).executeTakeFirstOrThrow()).toEqual({ body: "Text that stays after a refusal" });
    const told = await db.selectFrom("notification").select("body").where("user_id", "=", trainer.userId).where("kind", "=", "erasure_decision").executeTakeFirstOrThrow();
    expect(told.body).toContain("under investigation");

    const again = await requestErasure(db, { id: trainer.userId, role: "trainer" }, PASSWORD, later);
    expect(again.ok).toBe(true);
    expect(await withdrawErasureRequest(db, trainer.userId, later)).toEqual({ ok: true, value: null });
    expect(await withdrawErasureRequest(db, trainer.userId, later)).toMatchObject({ ok: false, status: 409 });
    expect((await latestErasureRequest(db, trainer.userId))?.status).toBe("withdrawn");
    // On either engine, carrying one out commits and then purges the old row versions (PostgreSQL: VACUUM FULL).
    const third = await requestErasure(db, { id: trainer.userId, role: "trainer" }, PASSWORD, later);
    if (!third.ok) throw new Error("refused");
    expect(await carryOutErasure(db, { id: admin.id, role: "admin" }, third.value.requestId, BASE, later)).toEqual({ ok: true, value: { userId: trainer.userId } });
    expect(await db.selectFrom("user").select(["name", "erased_at"]).where("id", "=", trainer.userId).executeTakeFirstOrThrow()).toEqual({ name: ERASED_NAME, erased_at: later.toISOString() });
    // The closed account stays closed: an admin cannot re-enable it or give it a role.
    expect(await setUserDisabled(db, admin.id, trainer.userId, false, later)).toMatchObject({ ok: false, status: 409 });
    expect(await changeUserRole(db, admin.id, trainer.userId, "assessor", later)).toMatchObject({ ok: false, status: 409 });
    await db.destroy();
  });

  it("a submitted report's text still cannot be changed except by the erasure itself", async () => {
    const db = await createTestDb();
    const assessor = await createUser(db, { role: "assessor" });
    const trainer = await seedTrainer(db, "Frozen Text", "frozen.text@erasure.example.test", assessor.id, "Frozen text");
    await expect(db.updateTable("report_submission").set({ body: "changed" }).where("user_id", "=", trainer.userId).execute()).rejects.toThrow(/never changes/);
    await db.updateTable("report_submission").set({ body: "", word_count: 0, body_erased_at: now.toISOString() }).where("user_id", "=", trainer.userId).execute();
    await expect(db.updateTable("report_submission").set({ body: "back again" }).where("user_id", "=", trainer.userId).execute()).rejects.toThrow(/never changes/);
    await db.destroy();
  });
});
