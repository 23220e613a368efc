import type { DB } from "~db/connection";

/**
 * The trainer's report-writing result, for certificates: passed, with when it was released and
 * the module version the passing submission answered, when their latest released outcome is a
 * pass. Anything else (nothing released yet, latest referred) counts as not passed.
 */
export async function getReportTaskOutcome(db: DB, userId: number): Promise<{ passed: boolean; releasedAt: string | null; moduleVersionId: number | null }> {
  const latest = await db
    .selectFrom("report_submission")
    .select(["outcome", "released_at", "module_version_id"])
    .where("user_id", "=", userId)
    .where("status", "=", "released")
    .orderBy("released_at", "desc")
    .orderBy("version", "desc")
    .executeTakeFirst();
  if (!latest || latest.outcome !== "pass") return { passed: false, releasedAt: null, moduleVersionId: null };
  return { passed: true, releasedAt: latest.released_at, moduleVersionId: latest.module_version_id };
}
