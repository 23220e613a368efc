import type { DB } from "~db/connection";
import { getEntryRequirementFacts } from "~/evidence/facts.server";
import { listModules, versionLabel } from "~/content/catalog.server";
import { getCurrentAgreement } from "~/agreement/agreement.server";
import { getReportTaskOutcome } from "~/marking/outcome.server";
import type { TrainerFacts } from "./eligibility";

/** Everything the eligibility rules need about one trainer, read from the database. */
export async function loadTrainerFacts(db: DB, userId: number): Promise<TrainerFacts> {
  const [entry, passes, report, acceptance] = await Promise.all([
    getEntryRequirementFacts(db, userId),
    db
      .selectFrom("assessment_attempt")
      .innerJoin("module_version", "module_version.id", "assessment_attempt.module_version_id")
      .select(["assessment_attempt.module_slug", "assessment_attempt.submitted_at", "module_version.content_hash"])
      .where("assessment_attempt.user_id", "=", userId)
      .where("assessment_attempt.passed", "=", 1)
      // Latest pass first: the annual refresher replaces an older pass.
      .orderBy("assessment_attempt.submitted_at", "desc")
      .execute(),
    getReportTaskOutcome(db, userId),
    db.selectFrom("agreement_acceptance").select(["agreement_version", "accepted_at"]).where("user_id", "=", userId).orderBy("id", "desc").executeTakeFirst(),
  ]);
  const reportVersion = report.moduleVersionId
    ? ((await db.selectFrom("module_version").select("content_hash").where("id", "=", report.moduleVersionId).executeTakeFirst())?.content_hash ?? null)
    : null;
  const agreement = getCurrentAgreement();
  return {
    entry,
    modules: listModules().map((m) => {
      const pass = passes.find((p) => p.module_slug === m.slug);
      return { slug: m.slug, title: m.title, passed: pass ? { at: pass.submitted_at!, version: pass.content_hash, label: versionLabel(pass.content_hash) } : null };
    }),
    reportTask: { passed: report.passed, releasedAt: report.releasedAt, version: reportVersion },
    agreement: {
      currentVersion: agreement?.version ?? null,
      acceptedVersion: acceptance?.agreement_version ?? null,
      acceptedAt: acceptance?.accepted_at ?? null,
    },
  };
}
