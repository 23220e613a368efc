/**
 * The governance dashboard's fast path (issue 15, ADR 0038): the funnel and the time to
 * certificate count the stored progress rows (`trainer_progress`), kept by triggers and
 * recomputed when stale. On a varied seeded academy, on SQLite and (with DATABASE_URL) PostgreSQL:
 * the dashboard's funnel equals the straightforward query over the facts (`funnelFromFacts`) for
 * the whole academy, every cohort and a date range; every stored row equals its checks computed
 * from the facts; and both still hold after each kind of change to a fact the checks read,
 * made by plain SQL (as any code path would), with no call to the refresh in between. The plan
 * of the refresh reads the facts through their indexes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CompiledQuery, sql } from "kysely";
import type { DB } from "~db/connection";
import { funnelFromFacts, programmeDashboard, type ProgrammeFilter } from "~/reports/programme.server";
import { progressChecks, refreshTrainerProgress } from "~/reports/trainer-progress.server";
import { listModules } from "~/content/catalog.server";
import { growTestAcademy } from "../helpers/scale-db";
import { createTestDb, createUser } from "../helpers/db";
import { fullScans, queryPlan } from "../helpers/query-plan";

const now = new Date("2026-06-01T09:00:00Z");
const all: ProgrammeFilter = { cohort: null, from: null, to: null };
let db: DB;

beforeAll(async () => {
  db = await createTestDb();
  await growTestAcademy(db, now, { from: 1, to: 161 });
}, 300_000);

afterAll(async () => {
  await db.destroy();
});

/** Every filter the dashboard offers over this academy: all, each cohort, and a range of days. */
async function filters(): Promise<ProgrammeFilter[]> {
  const { cohorts } = await programmeDashboard(db, all, now);
  return [all, ...cohorts.map((cohort) => ({ cohort, from: null, to: null })), { cohort: null, from: cohorts.at(-1)! + "-10", to: cohorts[0]! + "-05" }];
}

async function expectFunnelsAgree() {
  for (const filter of await filters()) {
    const fast = (await programmeDashboard(db, filter, now)).funnel;
    expect(fast, JSON.stringify(filter)).toEqual(await funnelFromFacts(db, filter));
  }
}

/** Days to the nearest millionth (the engines' date arithmetic differs in the last digits). */
const days = (n: number) => Math.round(n * 1e6) / 1e6;

/** Every stored row against its checks computed from the facts now. */
async function expectRowsAgree() {
  await refreshTrainerProgress(db);
  const checks = progressChecks(sql.ref<number>("user.id"));
  const flag = (condition: ReturnType<typeof sql<unknown>>) => sql<number>`case when ${condition} then 1 else 0 end`;
  const truth = await db
    .selectFrom("user")
    .select((eb) => [
      "user.id",
      eb.case().when("user.role", "=", "trainer").then(1).else(0).end().as("trainer"),
      "user.created_at",
      flag(checks.entry).as("entry"),
      flag(checks.report).as("report"),
      flag(checks.agreement).as("agreement"),
      checks.firstCertifiedAt.as("first_certified_at"),
      ...listModules().map((m, i) => flag(checks.passedModule(m.slug)).as(`m${i}`)),
    ])
    .orderBy("user.id")
    .execute();
  const stored = await db.selectFrom("trainer_progress").selectAll().orderBy("user_id").execute();
  expect(stored.map((r) => r.user_id)).toEqual(truth.map((t) => t.id));
  const expected = truth.map((t) => {
    const row = t as Record<string, unknown>;
    return {
      user_id: t.id,
      trainer: Number(t.trainer),
      signed_up_at: t.created_at,
      entry: Number(t.entry),
      report: Number(t.report),
      agreement: Number(t.agreement),
      first_certified_at: t.first_certified_at,
      certified_days: t.first_certified_at === null ? null : days((Date.parse(t.first_certified_at) - Date.parse(t.created_at)) / 86_400_000),
      modules: listModules().filter((_, i) => Number(row[`m${i}`]) === 1).map((m) => m.slug).sort(),
      stale: 0,
    };
  });
  const actual = stored.map((r) => ({
    user_id: r.user_id,
    trainer: Number(r.trainer),
    signed_up_at: r.signed_up_at,
    entry: Number(r.entry),
    report: Number(r.report),
    agreement: Number(r.agreement),
    first_certified_at: r.first_certified_at,
    certified_days: r.certified_days === null ? null : days(Number(r.certified_days)),
    modules: r.modules_passed.split(",").filter(Boolean).sort(),
    stale: Number(r.stale),
  }));
  expect(actual).toEqual(expected);
}

describe("the stored progress rows", () => {
  it("give the same funnel as the facts on a varied seeded academy, and each row equals its checks", async () => {
    const dash = await programmeDashboard(db, all, now);
    // Varied: every step has someone, and every step loses someone on the way.
    const counts = dash.funnel.map((s) => s.count);
    expect(counts.every((n) => n > 0), JSON.stringify(dash.funnel)).toBe(true);
    expect(counts.at(-1)!).toBeLessThan(counts[0]!);
    expect((await filters()).length).toBeGreaterThan(3);
    await expectFunnelsAgree();
    await expectRowsAgree();
  });

  it("stay true after every kind of change to the facts, made by plain SQL", async () => {
    const trainers = (await db.selectFrom("trainer_progress").select("user_id").where("trainer", "=", 1).where("first_certified_at", "is not", null).orderBy("user_id").execute()).map((r) => r.user_id);
    const [a, b, c, d, f, g, h, i] = trainers as [number, number, number, number, number, number, number, number];
    // A module's passes taken back, and a failed attempt marked passed.
    await db.updateTable("assessment_attempt").set({ passed: 0 }).where("user_id", "=", a).where("passed", "=", 1).execute();
    // (Each change is to a different trainer, and each changes a check's answer.)
    const failed = await db
      .selectFrom("assessment_attempt as f")
      .select("f.id")
      .where("f.passed", "=", 0)
      .where("f.user_id", "not in", [a, b, c, d, f, g, h, i])
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom("assessment_attempt as p").select("p.id").whereRef("p.user_id", "=", "f.user_id").whereRef("p.module_slug", "=", "f.module_slug").where("p.passed", "=", 1))))
      .orderBy("f.id")
      .executeTakeFirstOrThrow();
    await db.updateTable("assessment_attempt").set({ passed: 1 }).where("id", "=", failed.id).execute();
    // Entry requirements: a qualification no longer verified, a DBS decision changed, insurance deleted.
    await db.updateTable("qualification").set({ status: "rejected" }).where("user_id", "=", b).execute();
    await db.updateTable("dbs_check").set({ decision: "not_suitable" }).where("user_id", "=", c).execute();
    await db.deleteFrom("insurance_policy").where("user_id", "=", d).execute();
    // The report's outcome, the agreement, the first certificate's date.
    // (A released outcome never changes: a submission awaiting marking is released as a pass.)
    const waiting = await db
      .selectFrom("report_submission as w")
      .select("w.id")
      .where("w.status", "<>", "released")
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom("report_submission as p").select("p.id").whereRef("p.user_id", "=", "w.user_id").where("p.status", "=", "released").where("p.outcome", "=", "pass"))))
      .orderBy("w.id")
      .executeTakeFirstOrThrow();
    await db.updateTable("report_submission").set({ status: "released", outcome: "pass" }).where("id", "=", waiting.id).execute();
    await db.deleteFrom("agreement_acceptance").where("user_id", "=", f).execute();
    await db.updateTable("certificate").set({ issued_at: "2025-01-02T03:04:05.000Z" }).where("user_id", "=", g).execute();
    // The account itself: no longer a trainer; signed up in another month; a new trainer.
    await db.updateTable("user").set({ role: "assessor" }).where("id", "=", h).execute();
    await db.updateTable("user").set({ created_at: "2025-12-15T10:00:00.000Z" }).where("id", "=", i).execute();
    await createUser(db, { name: "Newly Signed Up" });
    const stale = await db.selectFrom("trainer_progress").select("user_id").where("stale", "=", 1).execute();
    expect(stale.length).toBeGreaterThanOrEqual(11);
    await expectFunnelsAgree();
    await expectRowsAgree();
  });

  it("are recomputed from the facts through their indexes", async () => {
    await db.updateTable("trainer_progress").set({ stale: 1 }).execute();
    const queries: CompiledQuery[] = [];
    await refreshTrainerProgress(db.withPlugin({
      transformQuery(args) {
        if (args.node.kind === "UpdateQueryNode") queries.push(db.getExecutor().compileQuery(args.node, args.queryId));
        return args.node;
      },
      transformResult: async (args) => args.result,
    }));
    expect(queries.length).toBeGreaterThan(0);
    const plan = await queryPlan(db, queries[0]!);
    const search = (table: string, index: string) => new RegExp(`^SEARCH (${table}) USING (COVERING )?INDEX ${index}\\b`);
    expect(plan).toEqual(expect.arrayContaining([expect.stringMatching(search("a|assessment_attempt", "assessment_attempt_passed"))]));
    expect(plan).toEqual(expect.arrayContaining([expect.stringMatching(search("r|report_submission", "report_submission_passed"))]));
    expect(plan).toEqual(expect.arrayContaining([expect.stringMatching(search("c|certificate", "certificate_user_issued"))]));
    expect(plan).toEqual(expect.arrayContaining([expect.stringMatching(/^(SEARCH|SCAN) (s|trainer_progress) USING (COVERING )?INDEX trainer_progress_stale\b/)]));
    const growing = ["user", "assessment_attempt", "qualification", "insurance_policy", "dbs_check", "report_submission", "agreement_acceptance", "certificate", "trainer_progress", "s"];
    expect(fullScans(plan, queries[0]!.sql).filter((table) => growing.includes(table)), queries[0]!.sql).toEqual([]);
    await expectRowsAgree();
  });
});
