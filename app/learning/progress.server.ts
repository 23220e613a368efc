import { sql } from "kysely";
import type { DB } from "~db/connection";
import { compiledOnceWith } from "~db/compiled-once";
import { iso } from "~/utils/clock";
import { getRetakeDecisions, describeRetakeDecision } from "~/assessment/attempts.server";
import { currentModuleVersionId, getModule, listModules, versionLabel } from "~/content/catalog.server";
import { percentShown } from "~/assessment/rules";

export type ModuleState = "not-started" | "in-progress" | "passed";

export interface ModuleProgress {
  slug: string;
  title: string;
  order: number;
  summary: string;
  estimatedMinutes: number;
  sectionsTotal: number;
  sectionsDone: number;
  completedSectionIds: string[];
  /** Whole percent of sections marked complete. */
  percent: number;
  state: ModuleState;
  passedAt: string | null;
  passedVersion: string | null;
  /** The passing score to one decimal place, "91.7" (`percentShown`). */
  passedPercent: string | null;
  resumeSectionId: string;
  openAttemptId: string | null;
  attemptsTaken: number;
  retakeMessage: string | null;
  canStartAttempt: boolean;
  /** Passed, and the annual refresher is now open. */
  refresherDue: boolean;
}

/** Marks a section complete (idempotent) and remembers it as the place to resume. */
export async function completeSection(db: DB, userId: number, slug: string, sectionId: string, now: Date): Promise<boolean> {
  const module = getModule(slug);
  if (!module || !module.sections.some((s) => s.id === sectionId)) return false;
  const versionId = await currentModuleVersionId(db, slug, now);
  await db
    .insertInto("section_progress")
    .values({ user_id: userId, module_slug: slug, section_id: sectionId, module_version_id: versionId, completed_at: iso(now) })
    .onConflict((oc) => oc.columns(["user_id", "module_slug", "section_id"]).doNothing())
    .execute();
  return true;
}

/**
 * A lesson page's one progress read (issue 14 item 2): the sections of `slug` the trainer has
 * completed and the section they last opened, in a single statement, built and compiled once
 * (ADR 0053).
 */
const compiledLessonProgress = compiledOnceWith(
  (db: DB, v: { userId: number; slug: string }) =>
    db
      .selectFrom("section_progress")
      .select(["section_id", sql<number>`1`.as("done")])
      .where("user_id", "=", v.userId)
      .where("module_slug", "=", v.slug)
      .unionAll(db.selectFrom("module_resume").select(["section_id", sql<number>`0`.as("done")]).where("user_id", "=", v.userId).where("module_slug", "=", v.slug)),
  () => "lesson-progress",
);

export async function readLessonProgress(db: DB, userId: number, slug: string): Promise<{ completed: Set<string>; lastVisited: string | null }> {
  const { rows } = await db.executeQuery(compiledLessonProgress(db, null, { userId, slug }));
  const completed = new Set<string>();
  let lastVisited: string | null = null;
  for (const row of rows) {
    if (Number(row.done) === 1) completed.add(row.section_id);
    else lastVisited = row.section_id;
  }
  return { completed, lastVisited };
}

export async function recordSectionVisit(db: DB, userId: number, slug: string, sectionId: string, now: Date): Promise<void> {
  await db
    .insertInto("module_resume")
    .values({ user_id: userId, module_slug: slug, section_id: sectionId, visited_at: iso(now) })
    .onConflict((oc) => oc.columns(["user_id", "module_slug"]).doUpdateSet({ section_id: sectionId, visited_at: iso(now) }))
    .execute();
}

/** Every module's progress for one trainer, in programme order. */
export async function getModuleProgress(db: DB, userId: number, now: Date): Promise<ModuleProgress[]> {
  const [done, resume, attempts] = await Promise.all([
    db.selectFrom("section_progress").select(["module_slug", "section_id"]).where("user_id", "=", userId).execute(),
    db.selectFrom("module_resume").select(["module_slug", "section_id"]).where("user_id", "=", userId).execute(),
    db
      .selectFrom("assessment_attempt")
      .innerJoin("module_version", "module_version.id", "assessment_attempt.module_version_id")
      .select(["assessment_attempt.id", "assessment_attempt.module_slug", "assessment_attempt.submitted_at", "assessment_attempt.passed", "assessment_attempt.score", "assessment_attempt.total", "module_version.content_hash"])
      .where("assessment_attempt.user_id", "=", userId)
      .orderBy("assessment_attempt.started_at")
      .execute(),
  ]);
  const decisions = await getRetakeDecisions(db, userId, listModules().map((m) => m.slug), now);
  const result: ModuleProgress[] = [];
  for (const module of listModules()) {
    const sectionIds = new Set(module.sections.map((s) => s.id));
    const completed = done.filter((d) => d.module_slug === module.slug && sectionIds.has(d.section_id)).map((d) => d.section_id);
    const mine = attempts.filter((a) => a.module_slug === module.slug);
    const pass = [...mine].reverse().find((a) => a.passed === 1);
    const open = mine.find((a) => a.submitted_at === null);
    const firstIncomplete = module.sections.find((s) => !completed.includes(s.id))?.id;
    const lastVisited = resume.find((r) => r.module_slug === module.slug)?.section_id;
    const decision = decisions.get(module.slug)!;
    result.push({
      slug: module.slug,
      title: module.title,
      order: module.order,
      summary: module.summary,
      estimatedMinutes: module.estimatedMinutes,
      sectionsTotal: module.sections.length,
      sectionsDone: completed.length,
      completedSectionIds: completed,
      percent: Math.round((completed.length * 100) / Math.max(1, module.sections.length)),
      state: pass ? "passed" : completed.length > 0 || mine.length > 0 || lastVisited ? "in-progress" : "not-started",
      passedAt: pass?.submitted_at ?? null,
      passedVersion: pass ? versionLabel(pass.content_hash) : null,
      passedPercent: pass ? percentShown(pass.score ?? 0, pass.total) : null,
      resumeSectionId: (lastVisited && sectionIds.has(lastVisited) ? lastVisited : undefined) ?? firstIncomplete ?? module.sections[0]!.id,
      openAttemptId: open?.id ?? null,
      attemptsTaken: mine.filter((a) => a.submitted_at !== null).length,
      retakeMessage: describeRetakeDecision(decision),
      canStartAttempt: decision.canStart,
      refresherDue: decision.canStart && decision.refresher,
    });
  }
  return result;
}

export async function listAttemptsForTrainer(db: DB, userId: number) {
  return db
    .selectFrom("assessment_attempt")
    .innerJoin("module_version", "module_version.id", "assessment_attempt.module_version_id")
    .select([
      "assessment_attempt.id",
      "assessment_attempt.module_slug",
      "assessment_attempt.started_at",
      "assessment_attempt.submitted_at",
      "assessment_attempt.percent",
      "assessment_attempt.score",
      "assessment_attempt.total",
      "assessment_attempt.passed",
      "module_version.content_hash",
      "module_version.title",
    ])
    .where("assessment_attempt.user_id", "=", userId)
    .orderBy("assessment_attempt.started_at", "desc")
    .execute();
}
