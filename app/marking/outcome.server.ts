import type { DB } from "~db/connection";

// PLACEHOLDER until the report-task branch is merged (it provides the real implementation).
export async function getReportTaskOutcome(_db: DB, _userId: number): Promise<{ passed: boolean; releasedAt: string | null; moduleVersionId: number | null }> {
  return { passed: false, releasedAt: null, moduleVersionId: null };
}
