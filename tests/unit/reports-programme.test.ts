/**
 * The programme dashboard (issue 15): funnel counts, time to certificate (median and 90th
 * percentile, nearest rank), certificates by live status and the expiry windows, checked against
 * counts computed independently from the seeded rows, and a small case with known numbers on both
 * engines.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { listCertificatePage, parseCertificateListQuery } from "~/certificates/list.server";
import { listModules } from "~/content/catalog.server";
import { parseProgrammeFilter, programmeDashboard } from "~/reports/programme.server";
import { growAcademy } from "../../scripts/lib/seed-scale";
import { openScaleDb } from "../helpers/scale-db";
import { createTestDb, createUser } from "../helpers/db";

const now = new Date("2026-06-01T09:00:00Z");
const all = { cohort: null, from: null, to: null };

describe("on a seeded academy", () => {
  let db: DB;
  beforeAll(async () => {
    const opened = await openScaleDb(now);
    db = opened.db;
    await growAcademy(db, { from: 0, to: 600 }, opened.ctx);
  }, 300_000);

  it("counts each funnel step from the facts", async () => {
    const dash = await programmeDashboard(db, all, now);
    const trainers = await db.selectFrom("user").select(["id", "created_at"]).where("role", "=", "trainer").execute();
    const ids = (rows: { user_id: number }[]) => new Set(rows.map((r) => r.user_id));
    const step = (key: string) => dash.funnel.find((s) => s.key === key)!.count;
    expect(step("signed_up")).toBe(trainers.length);
    for (const m of listModules()) {
      const passed = ids(await db.selectFrom("assessment_attempt").select("user_id").where("module_slug", "=", m.slug).where("passed", "=", 1).execute());
      expect(step(`module:${m.slug}`), m.slug).toBe(passed.size);
    }
    const quals = ids(await db.selectFrom("qualification").select("user_id").where("status", "=", "verified").execute());
    const ins = ids(await db.selectFrom("insurance_policy").select("user_id").where("status", "=", "verified").execute());
    const dbs = ids(await db.selectFrom("dbs_check").select("user_id").where("decision", "=", "suitable").execute());
    expect(step("entry")).toBe(trainers.filter((t) => quals.has(t.id) && ins.has(t.id) && dbs.has(t.id)).length);
    const certified = ids(await db.selectFrom("certificate").select("user_id").execute());
    expect(step("certified")).toBe(certified.size);
    expect(step("certified")).toBeGreaterThan(0);
    expect(step("certified")).toBeLessThan(step("signed_up"));
  });

  it("gives the median and 90th percentile days from sign-up to first certificate", async () => {
    const dash = await programmeDashboard(db, all, now);
    const rows = await db
      .selectFrom("certificate")
      .innerJoin("user", "user.id", "certificate.user_id")
      .select(["certificate.user_id", "certificate.issued_at", "user.created_at"])
      .execute();
    const first = new Map<number, number>();
    for (const r of rows) {
      const days = (Date.parse(r.issued_at) - Date.parse(r.created_at)) / 86_400_000;
      first.set(r.user_id, Math.min(first.get(r.user_id) ?? Infinity, days));
    }
    const sorted = [...first.values()].sort((a, b) => a - b);
    const nearest = (p: number) => Math.round(sorted[Math.ceil(p * sorted.length) - 1]! * 10) / 10;
    expect(dash.timeToCertificate).toEqual({ certified: sorted.length, medianDays: nearest(0.5), p90Days: nearest(0.9) });
  });

  it("agrees with the certificates list on every status and expiry window", async () => {
    const dash = await programmeDashboard(db, all, now);
    for (const { status, count } of dash.certificatesByStatus) {
      expect(count, status).toBe((await listCertificatePage(db, parseCertificateListQuery(new URLSearchParams(`status=${status}`)), now)).total);
    }
    expect(dash.expiring.find((e) => e.days === 30)!.count).toBe((await listCertificatePage(db, parseCertificateListQuery(new URLSearchParams("expiring=30")), now)).total);
    expect(dash.expiring.map((e) => e.count)).toEqual([...dash.expiring.map((e) => e.count)].sort((a, b) => a - b));
  });

  it("filters the population by sign-up month", async () => {
    const dash = await programmeDashboard(db, all, now);
    expect(dash.cohorts.length).toBeGreaterThan(0);
    let total = 0;
    for (const cohort of dash.cohorts) total += (await programmeDashboard(db, { cohort, from: null, to: null }, now)).funnel[0]!.count;
    expect(total).toBe(dash.funnel[0]!.count);
  });
});

/** A certificate for `userId` issued at `issuedAt` (the columns the dashboard reads; the rest are placeholders). */
async function certify(db: DB, userId: number, id: string, name: string, issuedAt: string) {
  await db
    .insertInto("certificate")
    .values({
      id,
      user_id: userId,
      trainer_name: name,
      issued_at: issuedAt,
      expires_on: "2027-01-01",
      expiry_basis: "validity period",
      validity_ends_on: "2027-01-01",
      agreement_version: "v",
      modules_json: "[]",
      report_json: "{}",
      scope_json: "{}",
      issuer: "test",
      eligibility_key: `k-${id}`,
      superseded_by: null,
      superseded_at: null,
      suspended_at: null,
      suspension_reason: null,
      suspended_by: null,
      revoked_at: null,
      revocation_reason: null,
      revoked_by: null,
      pdf: null,
    })
    .execute();
}

describe("a small case, on either engine", () => {
  it("computes nearest-rank percentiles and the sign-up range in UK days", async () => {
    const db = await createTestDb();
    // Five trainers certified 10, 20, 30, 40 and 50 days after signing up; one never.
    const signUp = (day: string) => new Date(`${day}T23:30:00.000Z`);
    for (const [i, days] of [10, 20, 30, 40, 50, null].entries()) {
      const user = await createUser(db, { name: `T${i}` });
      // 23:30 UTC in March (GMT) is still the same UK day.
      const created = signUp(`2026-03-0${i + 1}`);
      await db.updateTable("user").set({ created_at: created.toISOString() }).where("id", "=", user.id).execute();
      if (days === null) continue;
      const issued = new Date(created.getTime() + days * 86_400_000).toISOString();
      await certify(db, user.id, `cert${i}`, `T${i}`, issued);
    }
    // Supervision, due on these days, with the default 14 days' grace: today is 1 June (UK), so
    // overdue from a due date of 17 May or earlier; 18 May is the last day of grace.
    const supervisor = await createUser(db, { name: "Sam Supervisor", role: "assessor" });
    const supervised = await db.selectFrom("user").select("id").where("role", "=", "trainer").orderBy("id").execute();
    for (const [i, due] of ["2026-05-01", "2026-05-17", "2026-05-18", "2026-07-01"].entries()) {
      await db.insertInto("supervision").values({ trainer_user_id: supervised[i]!.id, supervisor_user_id: supervisor.id, assigned_at: now.toISOString(), assigned_by_user_id: null, next_due_on: due }).execute();
    }
    const dash = await programmeDashboard(db, all, now);
    expect(dash.supervisionOverdue).toBe(2);
    // Nearest rank: median = 3rd of 5 = 30; 90th percentile = ceil(4.5) = 5th = 50.
    expect(dash.timeToCertificate).toEqual({ certified: 5, medianDays: 30, p90Days: 50 });
    expect(dash.funnel[0]!.count).toBe(6);
    expect(dash.cohorts).toEqual(["2026-03"]);
    // 1 to 3 March (UK days, GMT): the first three trainers.
    const ranged = await programmeDashboard(db, { cohort: null, from: "2026-03-01", to: "2026-03-03" }, now);
    expect(ranged.funnel[0]!.count).toBe(3);
    expect(ranged.timeToCertificate).toEqual({ certified: 3, medianDays: 20, p90Days: 30 });
    await db.destroy();
  });
});

describe("parseProgrammeFilter", () => {
  const parse = (qs: string) => parseProgrammeFilter(new URLSearchParams(qs), now);
  it("reads a cohort or a range, and explains what it cannot use", () => {
    expect(parse("")).toEqual({ ok: true, value: all });
    expect(parse("cohort=2026-03")).toEqual({ ok: true, value: { cohort: "2026-03", from: null, to: null } });
    expect(parse("from=2026-01-01&to=2026-02-01")).toEqual({ ok: true, value: { cohort: null, from: "2026-01-01", to: "2026-02-01" } });
    const bad = (qs: string, field: string) => {
      const r = parse(qs);
      expect(r.ok, qs).toBe(false);
      return r.ok ? "" : r.fieldErrors[field];
    };
    expect(bad("cohort=2026-13", "cohort")).toBe("Choose a sign-up month from the list.");
    expect(bad("cohort=2026-03&from=2026-01-01", "cohort")).toBe("Choose either a cohort month or a date range, not both.");
    expect(bad("from=2026-02-30", "from")).toBe("Enter a real date, for example 2026-11-30.");
    expect(bad("from=2026-05-02&to=2026-05-01", "to")).toBe("The end date must be the same as or after the start date.");
  });
});

describe("the median and 90th percentile, read at their ranks", () => {
  it("equal the nearest ranks of the days for every count from 1 to 12, with ties and fractions, for the academy and a date range (either engine)", async () => {
    const db = await createTestDb();
    // Days from sign-up to the first certificate, in the order the trainers sign up (1 to 12
    // January, noon UTC); ties and fractions, none on a half (rounded to tenths either way).
    const days = [12.3, 3, 40, 3, 7.6, 90, 0.4, 21, 21, 60.04, 14, 5];
    const nearest = (values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      const n = sorted.length;
      const at = (rank: number) => Math.round(sorted[rank - 1]! * 10) / 10;
      return { certified: n, medianDays: at(Math.ceil(n / 2)), p90Days: at(Math.ceil((9 * n) / 10)) };
    };
    for (const [i, d] of days.entries()) {
      const user = await createUser(db, { name: `P${i}` });
      const created = new Date(Date.UTC(2026, 0, i + 1, 12));
      await db.updateTable("user").set({ created_at: created.toISOString() }).where("id", "=", user.id).execute();
      // One trainer more who never certifies: not counted in the days.
      if (i === 5) await createUser(db, { name: "Never certified" });
      await certify(db, user.id, `rank${i}`, `P${i}`, new Date(created.getTime() + d * 86_400_000).toISOString());
      const dash = await programmeDashboard(db, all, now);
      expect(dash.timeToCertificate, `${i + 1} certified`).toEqual(nearest(days.slice(0, i + 1)));
    }
    // Signed up 3 to 9 January (UK days, GMT): the third to the ninth trainer.
    const ranged = await programmeDashboard(db, { cohort: null, from: "2026-01-03", to: "2026-01-09" }, now);
    expect(ranged.timeToCertificate).toEqual(nearest(days.slice(2, 9)));
    // A range nobody certified in.
    expect((await programmeDashboard(db, { cohort: null, from: "2025-01-01", to: "2025-01-31" }, now)).timeToCertificate).toEqual({ certified: 0, medianDays: null, p90Days: null });
    await db.destroy();
  });
});
