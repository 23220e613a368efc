import fs from "node:fs";
import path from "node:path";
import type { DB } from "~db/connection";
import { iso } from "~/utils/clock";
import { getEnv } from "~/utils/env.server";
import type { AnswerBank, AnswerKey, CompiledModule, PublicCatalog, ReportTaskDefinition } from "./types";

/**
 * The compiled content, read once from content/.generated (written by `npm run content:build`).
 * The server never compiles MDX. The answer bank is server-only: nothing in it may be returned
 * from a loader except through the grading functions, after grading.
 */
declare global {
  var __academyContent: { catalog: PublicCatalog; bank: AnswerBank; dir: string } | undefined;
  var __academyModuleVersions: Map<string, number> | undefined;
}

export function contentBuildDir(): string {
  return path.resolve(getEnv().CONTENT_BUILD_DIR);
}

function load() {
  const dir = contentBuildDir();
  if (globalThis.__academyContent?.dir === dir) return globalThis.__academyContent;
  const read = <T>(name: string): T => {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run content:build\` (part of \`npm run build\`).`);
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  };
  globalThis.__academyContent = { catalog: read<PublicCatalog>("modules.json"), bank: read<AnswerBank>("answer-bank.server.json"), dir };
  return globalThis.__academyContent;
}

export function listModules(): CompiledModule[] {
  return load().catalog.modules;
}

export function getModule(slug: string): CompiledModule | undefined {
  return load().catalog.modules.find((m) => m.slug === slug);
}

/** A lesson's module and section (and its place in the module), or a 404 for the page or route asking. */
export function findSection(slug: string | undefined, sectionId: string | undefined) {
  const module = getModule(slug ?? "");
  const index = module?.sections.findIndex((s) => s.id === sectionId) ?? -1;
  if (!module || index < 0) throw new Response("There is no such section.", { status: 404 });
  return { module, index, section: module.sections[index]! };
}

export function getAnswerKey(questionId: string): AnswerKey | undefined {
  return load().bank.questions[questionId];
}

/** The written task (with its rubric) of a module, from the server-only build output. */
export function getReportTask(slug: string): ReportTaskDefinition | undefined {
  return load().bank.reportTasks?.[slug];
}

/** The assessor-only marking key of a module's written task (Markdown-lite), from the server-only build output. */
export function getMarkingKey(slug: string): string | undefined {
  return load().bank.markingKeys?.[slug];
}

/** The summative bank of a module, in authored order. */
export function getQuestionBank(slug: string): AnswerKey[] {
  return (load().bank.banks[slug] ?? []).map((id) => load().bank.questions[id]!);
}

/**
 * Records the version of every module being served (slug + content hash), keeping the first
 * time it was published. Idempotent: run at every server start. Returns slug → version id.
 */
export async function registerModuleVersions(db: DB, now: Date): Promise<Map<string, number>> {
  const versions = new Map<string, number>();
  for (const module of listModules()) {
    await db
      .insertInto("module_version")
      .values({ slug: module.slug, content_hash: module.contentHash, title: module.title, version_notes: module.versionNotes, published_at: iso(now) })
      .onConflict((oc) => oc.columns(["slug", "content_hash"]).doNothing())
      .execute();
    const row = await db.selectFrom("module_version").select("id").where("slug", "=", module.slug).where("content_hash", "=", module.contentHash).executeTakeFirstOrThrow();
    versions.set(module.slug, row.id);
  }
  globalThis.__academyModuleVersions = versions;
  return versions;
}

/** The database id of the version of `slug` this server serves. */
export async function currentModuleVersionId(db: DB, slug: string, now: Date): Promise<number> {
  const cached = globalThis.__academyModuleVersions?.get(slug);
  if (cached !== undefined) return cached;
  const versions = await registerModuleVersions(db, now);
  const id = versions.get(slug);
  if (id === undefined) throw new Error(`Unknown module "${slug}"`);
  return id;
}

/**
 * The human label of a module version ("2026.2"), from the recorded history of every module
 * (content/modules/<slug>/versions.json). A hash no record knows (content built elsewhere) shows
 * its first 8 characters rather than nothing.
 */
export function versionLabel(contentHash: string): string {
  for (const module of listModules()) {
    const label = module.versionHistory?.[contentHash];
    if (label) return label;
  }
  return contentHash.slice(0, 8);
}
