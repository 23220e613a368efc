import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { engineOf } from "~db/dialect";
import { issueCertificateIfEligible } from "~/certificates/issue.server";
import { registerModuleVersions } from "~/content/catalog.server";
import { getCurrentAgreement } from "~/agreement/agreement.server";
import { startAttempt } from "~/assessment/attempts.server";
import { claimForMarking } from "~/marking/marking.server";
import { submitReport } from "~/marking/submissions.server";
import { signUpTrainer } from "~/auth/accounts.server";
import { currentModuleVersionId, listModules } from "~/content/catalog.server";
import { iso } from "~/utils/clock";
import { seedCertifiedTrainer } from "../../scripts/lib/seed-certified";
import { createTestDb, createUser } from "../helpers/db";

/**
 * Races with many connections (ADR 0013). On PostgreSQL every call below runs in its own
 * transaction on its own connection of a 20-connection pool, so they really overlap; each
 * invariant must then be held by the database (a unique index, a conditional update), not by
 * the order of calls. SQLite serialises a process's queries on one connection, so there these
 * races cannot happen in one process; the multi-process SQLite race tests cover that engine.
 */
const RACERS = 20;
const now = new Date("2026-06-01T09:00:00Z");
let db: DB;
let staffId: number;
let n = 0;

const onPostgres = !!process.env.DATABASE_URL;

beforeAll(async () => {
  db = await createTestDb({ connections: RACERS });
  await registerModuleVersions(db, now);
  staffId = (await createUser(db, { role: "assessor" })).id;
});
afterAll(() => db.destroy());

/** `RACERS` calls started together; on PostgreSQL each takes its own connection. */
const race = <T>(call: (i: number) => Promise<T>) => Promise.all(Array.from({ length: RACERS }, (_, i) => call(i)));

describe.skipIf(!onPostgres)("with 20 connections to PostgreSQL", () => {
  it("runs on PostgreSQL with a pool of separate connections", () => {
    expect(engineOf(db)).toBe("postgres");
  });

  it("20 simultaneous triggers issue exactly one certificate", async () => {
    n += 1;
    const trainer = await seedCertifiedTrainer(
      db,
      { name: `Racer ${n}`, email: `race${n}@example.test`, password: "seeded password 1", staffUserId: staffId, acceptAgreement: false },
      "http://academy.test",
      now,
    );
    // The last requirement arrives; twenty requests notice at once.
    await db.insertInto("agreement_acceptance").values({ user_id: trainer.userId, agreement_version: getCurrentAgreement()!.version, typed_name: "x", accepted_at: iso(now) }).execute();
    const results = await race(() => issueCertificateIfEligible(db, trainer.userId, now));
    expect(results.filter((r) => r.issued)).toHaveLength(1);
    expect(results.filter((r) => !r.issued).map((r) => !r.issued && r.reason)).toEqual(Array(RACERS - 1).fill("already certified on these facts"));
    const certificates = await db.selectFrom("certificate").select("id").where("user_id", "=", trainer.userId).execute();
    expect(certificates).toHaveLength(1);
    const audited = await db.selectFrom("audit_event").select("id").where("action", "=", "certificate.issued").where("subject_id", "=", certificates[0]!.id).execute();
    expect(audited).toHaveLength(1);
  });

  it("20 simultaneous starts open one attempt per module, and every caller gets it", async () => {
    const trainer = await createUser(db);
    const slug = listModules()[0]!.slug;
    const results = await race(() => startAttempt(db, trainer.id, slug, now));
    expect(results.every((r) => r.ok)).toBe(true);
    const ids = new Set(results.map((r) => r.ok && r.value.attemptId));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.ok && !r.value.resumed)).toHaveLength(1);
    const open = await db.selectFrom("assessment_attempt").select("id").where("user_id", "=", trainer.id).where("module_slug", "=", slug).where("submitted_at", "is", null).execute();
    expect(open).toHaveLength(1);
  });

  it("20 assessors claiming one submission at once: one holds it, nineteen are told who", async () => {
    const trainer = await createUser(db, { name: "Claimed Trainer" });
    const versionId = await currentModuleVersionId(db, "report-writing", now);
    await db
      .insertInto("assessment_attempt")
      .values({ id: `claim-pass-${trainer.id}`, user_id: trainer.id, module_slug: "report-writing", module_version_id: versionId, pass_mark: 80, started_at: iso(now), submitted_at: iso(now), score: 12, total: 12, percent: 100, passed: 1 })
      .execute();
    const submitted = await submitReport(db, trainer.id, Array.from({ length: 80 }, (_, i) => `word${i}`).join(" "), now);
    if (!submitted.ok) throw new Error(submitted.message ?? "refused");
    const assessors = await Promise.all(Array.from({ length: RACERS }, (_, i) => createUser(db, { role: "assessor", name: `Claimer ${i}` })));
    const results = await race((i) => claimForMarking(db, submitted.value.submissionId, { id: assessors[i]!.id, role: "assessor" }, now));
    const winners = results.flatMap((r, i) => (r.ok ? [i] : []));
    expect(winners).toHaveLength(1);
    const row = await db.selectFrom("report_submission").select(["status", "marker_id"]).where("id", "=", submitted.value.submissionId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "in_marking", marker_id: assessors[winners[0]!]!.id });
    for (const r of results.filter((r) => !r.ok)) expect(r).toMatchObject({ ok: false, status: 409, message: `Claimer ${winners[0]} is already marking this submission.` });
    const audited = await db.selectFrom("audit_event").select("id").where("action", "=", "report.marking_started").where("subject_id", "=", String(submitted.value.submissionId)).execute();
    expect(audited).toHaveLength(1);
  });

  it("20 simultaneous sign-ups with one email address create one account; the others are told it exists", async () => {
    const email = `same-${Date.now()}@example.test`;
    const results = await race((i) => signUpTrainer(db, { name: `Twin ${i}`, email, password: "a long enough password" }, now));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results.filter((r) => !r.ok)) expect(r).toMatchObject({ ok: false, status: 400, fieldErrors: { email: expect.stringMatching(/already exists/) } });
    expect(await db.selectFrom("user").select("id").where("email", "=", email).execute()).toHaveLength(1);
  });

  it("20 simultaneous submissions of the report keep one open submission", async () => {
    const trainer = await createUser(db);
    const versionId = await currentModuleVersionId(db, "report-writing", now);
    await db
      .insertInto("assessment_attempt")
      .values({ id: `submit-pass-${trainer.id}`, user_id: trainer.id, module_slug: "report-writing", module_version_id: versionId, pass_mark: 80, started_at: iso(now), submitted_at: iso(now), score: 12, total: 12, percent: 100, passed: 1 })
      .execute();
    const results = await race(() => submitReport(db, trainer.id, Array.from({ length: 80 }, (_, i) => `word${i}`).join(" "), now));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results.filter((r) => !r.ok)) expect(r).toMatchObject({ ok: false, status: 409 });
    expect(await db.selectFrom("report_submission").select("id").where("user_id", "=", trainer.id).execute()).toHaveLength(1);
  });
});
