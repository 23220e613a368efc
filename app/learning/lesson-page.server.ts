import { shuffle } from "~/assessment/rules";
import { findSection } from "~/content/catalog.server";
import { partName } from "~/content/prerendered.server";
import type { PublicQuestion } from "~/content/types";
import type { DB } from "~db/connection";
import { readLessonProgress, recordSectionVisit } from "./progress.server";

/**
 * What a lesson page shows a trainer: the section (its pre-rendered parts and its knowledge
 * checks), the module's section list with what they have completed, and the neighbours. The one
 * source for the lesson route's loader and for lesson documents rendered before Remix (ADR 0054).
 * Throws the 404 `Response` for an unknown module or section, as the route does.
 *
 * `document`: the page is rendered on the server into a document, which carries the section's HTML
 * once; its data names each part instead (ADR 0046). Otherwise (a client-side navigation's data)
 * the parts carry their HTML.
 */
export async function lessonPageData(db: DB, userId: number, slug: string | undefined, sectionId: string | undefined, options: { document: boolean; now: Date }) {
  const { module, index, section } = findSection(slug, sectionId);
  const { completed, lastVisited } = await readLessonProgress(db, userId, module.slug);
  // Remember where the trainer is, without a write on every page view.
  if (lastVisited !== section.id) await recordSectionVisit(db, userId, module.slug, section.id, options.now);
  // The section's pre-rendered HTML as it is, and each knowledge check in it, its options in a
  // fresh order on every view, so the authoring order (and the key's place in it) stays unseen.
  const parts: ({ html: string } | { part: string } | { check: PublicQuestion })[] = [];
  for (const [i, part] of section.parts.entries()) {
    if ("html" in part) parts.push(options.document ? { part: partName(module.slug, section.id, i) } : part);
    else {
      const question = module.knowledgeChecks[part.check];
      if (question) parts.push({ check: { ...question, options: shuffle(question.options, Math.random) } });
    }
  }
  const neighbour = (i: number) => (module.sections[i] ? { id: module.sections[i]!.id, title: module.sections[i]!.title } : null);
  return {
    module: { slug: module.slug, title: module.title },
    section: { id: section.id, title: section.title, parts, number: index + 1, complete: completed.has(section.id) },
    toc: module.sections.map((s) => ({ id: s.id, title: s.title, complete: completed.has(s.id) })),
    previous: neighbour(index - 1),
    next: neighbour(index + 1),
  };
}

export type LessonPageData = Awaited<ReturnType<typeof lessonPageData>>;
