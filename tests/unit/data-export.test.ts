/**
 * "Download my data" (issue 17 item 3, ADR 0033): the ZIP of a seeded trainer, opened here with
 * the same library that wrote it, matches the database row for row and file for file, and holds
 * nothing the trainer may not see (the answer key, unreleased marking, password hashes); DBS
 * details appear as entered unless erased; the link works for the requester alone, for 7 days,
 * and the hourly job deletes the file after; an admin's subject access request is audited with
 * its reason; and two workers on separate connections never both build one export. Either engine.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { registerModuleVersions, currentModuleVersionId } from "~/content/catalog.server";
import { latestCredentialJson } from "~/certificates/credentials/issue-credential.server";
import {
  buildPendingDataExports,
  claimDataExport,
  deleteExpiredDataExports,
  downloadDataExport,
  EXPORT_LIFETIME_MS,
  listDataExports,
  openDataExport,
  requestDataExportForTrainer,
  requestOwnDataExport,
} from "~/data-export/exports.server";
import type { Manifest } from "~/data-export/zip.server";
import { readEvidenceBytes } from "~/evidence/files.server";
import { assignSupervisor, recordSession } from "~/supervision/supervision.server";
import type { SessionInput } from "~/supervision/validation";
import { getEnv } from "~/utils/env.server";
import { DAY, HOUR, addMs, iso } from "~/utils/clock";
import { OWN_EXPORTS_PER_DAY } from "~/data-export/rules";
import { seedCertifiedTrainer } from "../../scripts/lib/seed-certified";
import { createTestDb, createUser } from "../helpers/db";
import { createSharedDatabase, openSharedDatabase, removeSharedDatabase } from "../helpers/shared-db";

const BASE = "https://academy.test";
const now = new Date("2026-06-01T09:00:00Z");
const evidenceDir = getEnv().EVIDENCE_DIR;
const DBS_NUMBER = "001234567890";
const ANSWER_KEY_TEXT = "EXPLANATION-ONLY-IN-THE-KEY";
const UNRELEASED = "UNRELEASED-FEEDBACK-NOT-FOR-THE-TRAINER";

let db: DB;
let admin: { id: number; role: "admin" };
let trainer: { id: number; role: "trainer"; email: string };
let other: { id: number; role: "trainer" };

/** The newest link to a data export emailed to `to`. */
async function exportLinkSentTo(to: string): Promise<string> {
  const mail = await db.selectFrom("email_outbox").select("body_text").where("to_address", "=", to).orderBy("id", "desc").executeTakeFirstOrThrow();
  return /\/account\/data-export\/([a-z2-7]+\.[a-z2-7]+)/.exec(mail.body_text)![1]!;
}

/** Builds pending exports and opens the ZIP of `token` for its requester. */
async function openZip(requester: { id: number; role: string }, token: string) {
  const opened = await openDataExport(db, requester, token, now);
  if (opened.kind !== "ready") throw new Error(`export not ready: ${opened.kind}`);
  const download = await downloadDataExport(db, requester, opened, evidenceDir, now);
  const bytes = new Uint8Array(await new Response(download!.body).arrayBuffer());
  expect(bytes.byteLength).toBe(download!.sizeBytes);
  const files = unzipSync(bytes);
  const text = (path: string) => new TextDecoder().decode(files[path]!);
  const json = <T>(path: string) => JSON.parse(text(path)) as T;
  return { files, text, json, manifest: json<Manifest>("manifest.json") };
}

beforeAll(async () => {
  db = await createTestDb();
  await registerModuleVersions(db, now);
  admin = { id: (await createUser(db, { role: "admin", name: "Ada Admin" })).id, role: "admin" };
  const supervisor = { id: (await createUser(db, { role: "assessor", name: "Sam Supervisor" })).id, role: "assessor" as const };
  await seedCertifiedTrainer(db, { name: "Zoë Ångström", email: "zoe@example.test", password: "seeded password 1", staffUserId: supervisor.id }, BASE, now);
  trainer = { id: (await db.selectFrom("user").select("id").where("email", "=", "zoe@example.test").executeTakeFirstOrThrow()).id, role: "trainer", email: "zoe@example.test" };
  other = { id: (await createUser(db, { role: "trainer" })).id, role: "trainer" };
  await db.updateTable("dbs_check").set({ certificate_number: DBS_NUMBER }).where("user_id", "=", trainer.id).execute();
  expect((await assignSupervisor(db, admin, trainer.id, supervisor.id, BASE, now)).ok).toBe(true);
  const session: SessionInput = { heldOn: "2026-06-01", mode: "video", topics: ["cases"], summary: "Talked through a case review and boundaries.", actions: [{ description: "Read the policy", dueOn: "2026-07-01" }], nextDueOn: "2026-09-01" };
  expect((await recordSession(db, supervisor, trainer.id, session, BASE, now)).ok).toBe(true);
  // An attempt with its questions as stored: the snapshot holds the answer key, which must not leave.
  const versionId = await currentModuleVersionId(db, "safeguarding", now);
  await db.insertInto("assessment_attempt").values({ id: "attempt-with-answers", user_id: trainer.id, module_slug: "safeguarding", module_version_id: versionId, pass_mark: 80, started_at: iso(now), submitted_at: iso(now), score: 0, total: 1, percent: 0, passed: 0 }).execute();
  const key = { id: "q1", moduleSlug: "safeguarding", kind: "summative", type: "single", prompt: ["Who do you tell first?"], options: [{ id: "a", text: "The case manager", correct: true }, { id: "b", text: "Nobody", correct: false }], explanation: [ANSWER_KEY_TEXT], caseStudy: null, section: null, tags: [], source: "x:1" };
  await db.insertInto("attempt_question").values({ attempt_id: "attempt-with-answers", position: 1, question_id: "q1", question_json: JSON.stringify(key), option_order: JSON.stringify(["b", "a"]), answer: JSON.stringify(["b"]), answered_at: iso(now), correct: 0 }).execute();
  // A resubmission being marked: its mark is not released, so nothing of it may reach the trainer.
  const reportVersion = await currentModuleVersionId(db, "report-writing", now);
  const pending = await db
    .insertInto("report_submission")
    .values({ user_id: trainer.id, version: 2, module_slug: "report-writing", module_version_id: reportVersion, task_json: JSON.stringify({ title: "Task" }), marking_key: "KEY", body: "My second report.", word_count: 3, candidate_number: "C-12345678", submitted_at: iso(now), status: "marked", marker_id: supervisor.id, marking_started_at: iso(now), marked_at: iso(now), moderation_required: 1, moderator_id: null, moderation_started_at: null, released_mark_id: null, outcome: null, released_at: null })
    .returning("id")
    .executeTakeFirstOrThrow();
  await db.insertInto("report_mark").values({ submission_id: pending.id, assessor_id: supervisor.id, role: "marker", outcome: "refer", feedback: UNRELEASED, agrees_with_mark_id: null, reason: null, created_at: iso(now) }).execute();
});

describe("a trainer's data export", () => {
  let token: string;

  it("is built in the background and emailed as a link; the ZIP matches the database", async () => {
    const requested = await requestOwnDataExport(db, trainer, now);
    expect(requested.ok).toBe(true);
    // A second request while one is being prepared is refused, and nothing is added.
    const again = await requestOwnDataExport(db, trainer, now);
    expect(again.ok ? null : again.status).toBe(409);
    expect((await listDataExports(db, trainer.id, trainer.id, now)).map((e) => e.state)).toEqual(["preparing"]);

    expect(await buildPendingDataExports(db, { now, evidenceDir, publicBaseUrl: BASE })).toEqual({ built: 1, failed: 0 });
    token = await exportLinkSentTo(trainer.email);
    const { files, text, json, manifest } = await openZip(trainer, token);

    expect(manifest.subject).toEqual({ id: trainer.id, name: "Zoë Ångström", email: "zoe@example.test" });
    expect(manifest.generatedAt).toBe(now.toISOString());
    // Every part listed is in the ZIP with the size and SHA-256 the manifest gives, and nothing else is.
    expect(Object.keys(files).sort()).toEqual([...manifest.parts.map((p) => p.path), "manifest.json"].sort());
    for (const part of manifest.parts) {
      expect(files[part.path]!.byteLength, part.path).toBe(part.sizeBytes);
      expect(createHash("sha256").update(files[part.path]!).digest("hex"), part.path).toBe(part.sha256);
      expect(part.description.length).toBeGreaterThan(10);
    }

    // Entry requirements: every row, and every evidence file byte for byte.
    const qualifications = await db.selectFrom("qualification").selectAll().where("user_id", "=", trainer.id).orderBy("id").execute();
    const exportedQualifications = json<{ id: number; title: string; certificateNumber: string; evidenceFile: string }[]>("entry-requirements/qualifications.json");
    expect(exportedQualifications.map((q) => [q.id, q.title, q.certificateNumber])).toEqual(qualifications.map((q) => [q.id, q.title, q.certificate_number]));
    const insurance = await db.selectFrom("insurance_policy").selectAll().where("user_id", "=", trainer.id).execute();
    expect(json<{ policyNumber: string }[]>("entry-requirements/insurance.json").map((p) => p.policyNumber)).toEqual(insurance.map((p) => p.policy_number));
    const evidence = await db.selectFrom("evidence_file").selectAll().where("owner_user_id", "=", trainer.id).execute();
    expect(evidence.length).toBeGreaterThan(0);
    const listed = json<{ id: string; sha256: string; path: string }[]>("entry-requirements/evidence-files.json");
    expect(listed.map((f) => f.id).sort()).toEqual(evidence.map((f) => f.id).sort());
    for (const file of evidence) {
      const entry = listed.find((f) => f.id === file.id)!;
      expect(createHash("sha256").update(files[entry.path]!).digest("hex")).toBe(file.sha256);
      expect(Buffer.from(files[entry.path]!).equals((await readEvidenceBytes(db, evidenceDir, file.storage_name))!)).toBe(true);
    }
    expect(exportedQualifications[0]!.evidenceFile).toMatch(/^entry-requirements\/evidence\//);

    // DBS details as the trainer entered them.
    expect(json<{ certificateNumber: string | null }[]>("entry-requirements/dbs.json")[0]!.certificateNumber).toBe(DBS_NUMBER);

    // Attempts and the trainer's own answers, never the key.
    const attempts = json<{ id: string; questions: { yourAnswer: string[]; options: { id: string; text: string }[] }[] }[]>("modules/attempts.json");
    expect(attempts.map((a) => a.id).sort()).toEqual((await db.selectFrom("assessment_attempt").select("id").where("user_id", "=", trainer.id).execute()).map((a) => a.id).sort());
    const answered = attempts.find((a) => a.id === "attempt-with-answers")!;
    expect(answered.questions[0]!.yourAnswer).toEqual(["b"]);
    expect(answered.questions[0]!.options).toEqual([{ id: "b", text: "Nobody" }, { id: "a", text: "The case manager" }]);

    // Reports: both versions as sent; the unreleased mark's feedback nowhere.
    const reports = json<{ submissions: { version: number; body: string; status: string; releasedFeedback: unknown }[] }>("report-task/submissions.json");
    expect(reports.submissions.map((s) => [s.version, s.status])).toEqual([[1, "passed"], [2, "in-marking"]]);
    expect(reports.submissions[1]!.releasedFeedback).toBeNull();

    // Agreement, certificates with their PDF and signed credential.
    const acceptances = await db.selectFrom("agreement_acceptance").select(["agreement_version", "typed_name", "accepted_at"]).where("user_id", "=", trainer.id).execute();
    expect(json("agreement/acceptances.json")).toEqual(acceptances);
    const certificates = await db.selectFrom("certificate").select(["id", "pdf"]).where("user_id", "=", trainer.id).execute();
    expect(json<{ id: string }[]>("certificates/certificates.json").map((c) => c.id)).toEqual(certificates.map((c) => c.id));
    for (const c of certificates) {
      expect(Buffer.from(files[`certificates/${c.id}.pdf`]!).equals(Buffer.from(c.pdf!))).toBe(true);
      expect(text(`certificates/${c.id}.credential.json`)).toBe(await latestCredentialJson(db, c.id));
    }

    // Supervision and the audit trail about them (including this very request).
    const supervision = json<{ sessions: { summary: string; actions: unknown[] }[] }>("supervision/supervision.json");
    expect(supervision.sessions.map((s) => [s.summary, s.actions.length])).toEqual([["Talked through a case review and boundaries.", 1]]);
    expect(json<{ action: string }[]>("audit.json").map((e) => e.action)).toEqual(expect.arrayContaining(["agreement.accepted", "supervision.session_recorded", "data_export.requested"]));

    // Nothing the trainer may not see, anywhere in the archive.
    const everything = Object.values(files).map((f) => Buffer.from(f).toString("latin1")).join("\n");
    for (const secret of [ANSWER_KEY_TEXT, UNRELEASED, "KEY\"", "password_hash", "$argon2"]) expect(everything.includes(secret), secret).toBe(false);
    expect(await listDataExports(db, trainer.id, trainer.id, now)).toMatchObject([{ state: "ready" }]);
  });

  it("opens for its requester only: another signed-in person is refused and learns nothing", async () => {
    expect(await openDataExport(db, other, token, now)).toEqual({ kind: "forbidden" });
    expect(await openDataExport(db, admin, token, now)).toEqual({ kind: "forbidden" });
    // A wrong secret or a malformed link finds nothing at all.
    expect(await openDataExport(db, trainer, `${token.split(".")[0]}.${"a".repeat(32)}`, now)).toEqual({ kind: "not-found" });
    expect(await openDataExport(db, trainer, "nonsense", now)).toEqual({ kind: "not-found" });
    expect((await openDataExport(db, trainer, token, now)).kind).toBe("ready");
  });

  it("expires after 7 days, and the hourly job then deletes the file", async () => {
    const row = await db.selectFrom("data_export").selectAll().where("id", "=", token.split(".")[0]!).executeTakeFirstOrThrow();
    expect(row.expires_at).toBe(iso(addMs(now, EXPORT_LIFETIME_MS)));
    const justBefore = addMs(now, EXPORT_LIFETIME_MS - 1000);
    expect((await openDataExport(db, trainer, token, justBefore)).kind).toBe("ready");
    expect(await deleteExpiredDataExports(db, evidenceDir, justBefore)).toBe(0);
    const after = addMs(now, EXPORT_LIFETIME_MS);
    expect(await openDataExport(db, trainer, token, after)).toEqual({ kind: "expired", expiredAt: row.expires_at });
    expect(await deleteExpiredDataExports(db, evidenceDir, after)).toBe(1);
    expect(await readEvidenceBytes(db, evidenceDir, row.storage_name!)).toBeNull();
    expect((await openDataExport(db, trainer, token, now)).kind).toBe("expired");
    expect(await deleteExpiredDataExports(db, evidenceDir, after)).toBe(0);
  });

  it("leaves erased DBS details out", async () => {
    await db.updateTable("dbs_check").set({ certificate_number: null, issue_date: null, details_erased_at: iso(now) }).where("user_id", "=", trainer.id).execute();
    expect((await requestOwnDataExport(db, trainer, now)).ok).toBe(true);
    await buildPendingDataExports(db, { now, evidenceDir, publicBaseUrl: BASE });
    const { json, text } = await openZip(trainer, await exportLinkSentTo(trainer.email));
    expect(json<{ certificateNumber: string | null; detailsErasedAt: string }[]>("entry-requirements/dbs.json")[0]).toMatchObject({ certificateNumber: null, detailsErasedAt: iso(now) });
    expect(text("entry-requirements/dbs.json").includes(DBS_NUMBER)).toBe(false);
  });
});

describe("a trainer's own exports in a day", () => {
  it(`at most ${OWN_EXPORTS_PER_DAY} in any 24 hours (a failed one not counted): then a 429 that says from when, and nothing added`, async () => {
    const capped = { id: (await createUser(db, { role: "trainer" })).id, role: "trainer" as const };
    const t0 = new Date("2026-06-10T09:00:00Z");
    const failed = await requestOwnDataExport(db, capped, addMs(t0, -HOUR));
    // As the worker leaves an export whose builds all failed.
    await db.updateTable("data_export").set({ failed_at: iso(t0), last_error: "disk full" }).where("id", "=", failed.ok ? failed.value.id : "").execute();
    for (let i = 0; i < OWN_EXPORTS_PER_DAY; i++) {
      const at = addMs(t0, i * HOUR);
      expect((await requestOwnDataExport(db, capped, at)).ok).toBe(true);
      expect(await buildPendingDataExports(db, { now: at, evidenceDir, publicBaseUrl: BASE })).toEqual({ built: 1, failed: 0 });
    }
    const later = addMs(t0, 5 * HOUR);
    const refused = await requestOwnDataExport(db, capped, later);
    expect(refused).toMatchObject({ ok: false, status: 429, retryAfterMs: DAY - 5 * HOUR });
    // 09:00 UTC the next day is 10:00 in London (summer time).
    expect(refused.ok ? "" : refused.message).toContain("You can ask again from 11 June 2026, 10:00");
    expect(await listDataExports(db, capped.id, capped.id, later)).toHaveLength(OWN_EXPORTS_PER_DAY + 1);
    // Once the first is 24 hours old, one more may be asked for.
    expect((await requestOwnDataExport(db, capped, addMs(t0, DAY))).ok).toBe(true);
  });
});

describe("a subject access request made by an admin", () => {
  it("needs a reason, is audited (who, for whom, when, why), and its link is the admin's alone", async () => {
    const missing = await requestDataExportForTrainer(db, admin, trainer.id, " ", now);
    expect(missing.ok ? null : [missing.status, Object.keys(missing.fieldErrors)]).toEqual([400, ["reason"]]);
    const notStaff = await requestDataExportForTrainer(db, { id: other.id, role: "trainer" }, trainer.id, "Subject access request", now);
    expect(notStaff.ok ? null : notStaff.status).toBe(403);
    const notATrainer = await requestDataExportForTrainer(db, admin, admin.id, "Subject access request", now);
    expect(notATrainer.ok ? null : notATrainer.status).toBe(404);
    expect(await db.selectFrom("data_export").select("id").where("requested_by_user_id", "=", admin.id).execute()).toEqual([]);

    const made = await requestDataExportForTrainer(db, admin, trainer.id, "Subject access request received by email on 1 June", now);
    expect(made.ok).toBe(true);
    const audit = await db.selectFrom("audit_event").selectAll().where("action", "=", "data_export.requested").where("actor_user_id", "=", admin.id).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ subject_type: "user", subject_id: String(trainer.id), occurred_at: iso(now) });
    expect(JSON.parse(audit.details)).toMatchObject({ by: "staff", reason: "Subject access request received by email on 1 June" });

    await buildPendingDataExports(db, { now, evidenceDir, publicBaseUrl: BASE });
    const adminEmail = (await db.selectFrom("user").select("email").where("id", "=", admin.id).executeTakeFirstOrThrow()).email;
    const token = await exportLinkSentTo(adminEmail);
    expect(await openDataExport(db, trainer, token, now)).toEqual({ kind: "forbidden" });
    const { manifest } = await openZip(admin, token);
    expect(manifest.subject.id).toBe(trainer.id);
    expect(manifest.requestedBy).toMatchObject({ name: "Ada Admin", role: "admin", reason: "Subject access request received by email on 1 June" });
    const downloaded = await db.selectFrom("audit_event").selectAll().where("action", "=", "data_export.downloaded").where("actor_user_id", "=", admin.id).execute();
    expect(downloaded).toHaveLength(1);
  });
});

describe("workers on separate connections", () => {
  let target: string;
  let shared: DB;
  beforeAll(async () => {
    ({ target, db: shared } = await createSharedDatabase("data-export-race"));
  });
  afterAll(async () => {
    await shared.destroy();
    removeSharedDatabase(target);
  });

  it("the claim is a conditional update: of two connections claiming one export, exactly one gets it", async () => {
    const trainerId = (await createUser(shared, { role: "trainer" })).id;
    const made = await requestOwnDataExport(shared, { id: trainerId, role: "trainer" }, now);
    if (!made.ok) throw new Error("not requested");
    const second = openSharedDatabase(target);
    try {
      const claims = await Promise.all([claimDataExport(shared, made.value.id, "worker-a", now), claimDataExport(second, made.value.id, "worker-b", now)]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      // A claim older than the lease (a worker that died) can be taken over, once.
      const later = addMs(now, 16 * 60_000);
      const takeovers = await Promise.all([claimDataExport(shared, made.value.id, "worker-c", later), claimDataExport(second, made.value.id, "worker-d", later)]);
      expect(takeovers.filter(Boolean)).toHaveLength(1);
    } finally {
      await second.destroy();
    }
  });

  it("four processes building at once build each export exactly once and email each link once", async () => {
    const requests: { id: string; email: string }[] = [];
    for (let i = 0; i < 6; i += 1) {
      const user = await createUser(shared, { role: "trainer", email: `racer${i}@example.test` });
      const made = await requestOwnDataExport(shared, { id: user.id, role: "trainer" }, now);
      if (!made.ok) throw new Error("not requested");
      requests.push({ id: made.value.id, email: user.email });
    }
    const children = Array.from({ length: 4 }, () => spawn("node_modules/.bin/tsx", ["tests/unit/support/data-export-child.ts", target, now.toISOString(), evidenceDir], { stdio: ["pipe", "pipe", "inherit"] }));
    const outputs = children.map((child) => {
      let out = "";
      const ready = new Promise<void>((resolve) => child.stdout.on("data", (chunk: Buffer) => ((out += chunk.toString()), out.includes("ready") && resolve())));
      const done = new Promise<string>((resolve, reject) => child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`worker exited with ${code}`)))));
      return { child, ready, done };
    });
    await Promise.all(outputs.map((o) => o.ready));
    for (const { child } of outputs) child.stdin.end("go\n");
    const runs = (await Promise.all(outputs.map((o) => o.done))).map((text) => JSON.parse(text.trim().split("\n").at(-1)!) as { built: number; failed: number });
    expect(runs.reduce((sum, r) => sum + r.built, 0)).toBe(requests.length);
    expect(runs.reduce((sum, r) => sum + r.failed, 0)).toBe(0);
    for (const request of requests) {
      const emails = await shared.selectFrom("email_outbox").select("id").where("to_address", "=", request.email).execute();
      expect(emails, request.email).toHaveLength(1);
      const ready = await shared.selectFrom("audit_event").select("id").where("action", "=", "data_export.ready").where("details", "like", `%"exportId":"${request.id}"%`).execute();
      expect(ready).toHaveLength(1);
    }
    // One stored ZIP per export: a worker that lost the race left no file behind.
    const rows = await shared.selectFrom("data_export").select(["storage_name", "attempts"]).where("id", "in", requests.map((r) => r.id)).execute();
    expect(new Set(rows.map((r) => r.storage_name)).size).toBe(requests.length);
    // Each export was claimed, and so built, once: no second worker started on it.
    expect(rows.map((r) => r.attempts)).toEqual(requests.map(() => 1));
  }, 180_000);
});
