/**
 * The governance dashboard's queries read indexes, not rows (issue 15: "Dashboard render under
 * 100 ms p50 with 10,000 trainers and 200,000 attempts", measured by `npm run bench`), on SQLite
 * and, when DATABASE_URL selects it, PostgreSQL. Every statement `programmeDashboard` runs is
 * captured and its plan read: the funnel and the time to certificate read the stored progress
 * rows (trainer_progress) with no seek per trainer into the facts (the refresh's own plan, which
 * reads the facts through the partial indexes of passes and certificate_user_issued, is checked
 * in reports-trainer-progress.test.ts), and certificates by status and the expiry windows are
 * ranges of the stored statuses.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CompiledQuery, KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from "kysely";
import type { DB } from "~db/connection";
import { programmeDashboard } from "~/reports/programme.server";
import { growTestAcademy } from "../helpers/scale-db";
import { createTestDb } from "../helpers/db";
import { fullScans, queryPlan } from "../helpers/query-plan";

const now = new Date("2026-06-01T09:00:00Z");
let db: DB;

/** Runs `work` on a handle of `db` that keeps every read it runs, compiled (not the stored-status refresh's locks and writes). */
async function captured(work: (db: DB) => Promise<unknown>): Promise<CompiledQuery[]> {
  const nodes = new Map<unknown, RootOperationNode>();
  const queries: CompiledQuery[] = [];
  const plugin: KyselyPlugin = {
    transformQuery(args: PluginTransformQueryArgs) {
      nodes.set(args.queryId, args.node);
      return args.node;
    },
    async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      const node = nodes.get(args.queryId);
      const query = node ? db.getExecutor().compileQuery(node, args.queryId) : null;
      if (query && /^\s*select\b/i.test(query.sql)) queries.push(query);
      return args.result;
    },
  };
  await work(db.withPlugin(plugin));
  return queries;
}

beforeAll(async () => {
  db = await createTestDb();
  await growTestAcademy(db, now, { from: 1, to: 41 });
}, 120_000);

afterAll(async () => {
  await db.destroy();
});

describe("programmeDashboard", () => {
  it("reads the passes, the first certificates and the stored statuses through their indexes", async () => {
    const queries = await captured((handle) => programmeDashboard(handle, { cohort: null, from: null, to: null }, now));
    const plans = await Promise.all(queries.map(async (query) => ({ sql: query.sql, plan: await queryPlan(db, query) })));
    const all = plans.flatMap((p) => p.plan);
    // The funnel and the time to certificate: one pass over the stored progress rows, with no
    // seek per trainer into the facts (each trainer's ten checks are answered in the stored row).
    const funnel = plans.find((p) => p.sql.includes('as "signed_up"'))!;
    const facts = /^(SEARCH|SCAN) (a|assessment_attempt|r|report_submission|q|qualification|i|insurance_policy|d|dbs_check|aa|agreement_acceptance|c|certificate|user)\b/;
    expect(funnel.plan.filter((line) => facts.test(line)), funnel.sql).toEqual([]);
    expect(funnel.plan.some((line) => /^(SEARCH|SCAN) trainer_progress\b/.test(line))).toBe(true);
    // The median and 90th percentile: the count and the value at each rank, in order from the
    // partial index of the days (ADR 0045), with no sort (SQLite names its sorter; PostgreSQL's
    // sorts are not mapped, so the index read is what both engines show).
    const days = plans.find((p) => p.sql.includes('as "median"'))!;
    expect(days.plan.filter((line) => facts.test(line)), days.sql).toEqual([]);
    const reads = days.plan.filter((line) => /^(SEARCH|SCAN) trainer_progress\b/.test(line));
    expect(reads.length, days.plan.join("\n")).toBeGreaterThanOrEqual(3);
    expect(reads.filter((line) => !/^SEARCH trainer_progress USING (COVERING )?INDEX trainer_progress_certified_days\b/.test(line)), days.plan.join("\n")).toEqual([]);
    expect(days.plan.filter((line) => /TEMP B-TREE/.test(line)), days.sql).toEqual([]);
    // DBS re-checks overdue: a range of the suitable decisions whose re-check date has come.
    const rechecks = plans.find((p) => p.sql.includes('"d"."recheck_due_on" <='))!;
    expect(rechecks.plan, rechecks.sql).toEqual(expect.arrayContaining([expect.stringMatching(/^SEARCH (d|dbs_check) USING (COVERING )?INDEX dbs_check_decision_recheck\b/)]));
    expect(all).toEqual(expect.arrayContaining([expect.stringMatching(/^(SEARCH|SCAN) certificate_status USING (COVERING )?INDEX certificate_status_status/)]));
    // No table that grows with the trainers is read whole (settings tables of a few rows may be;
    // trainer_progress, one narrow row per account, is what the funnel counts over).
    const growing = ["user", "assessment_attempt", "attempt_question", "qualification", "insurance_policy", "dbs_check", "report_submission", "agreement_acceptance", "certificate", "certificate_status", "concern", "audit_event"];
    for (const { sql, plan } of plans) expect(fullScans(plan, sql).filter((table) => growing.includes(table)), sql).toEqual([]);
  });
});
