/**
 * The assessment blueprint (content/README.md, "The blueprint"): which questions an attempt may
 * draw. Pure functions, shared by the content build (is the blueprint satisfiable?) and by
 * `drawPaper` (draw one paper). No I/O.
 */

export interface BlueprintRules {
  /** Exactly this many questions from each section's pool (sections not named: none). */
  sections: Readonly<Record<string, number>>;
  /** At least this many drawn questions carry each tag. */
  tags: Readonly<Record<string, number>>;
}

/** A bank question as the draw sees it (questions without a section are never drawn under a blueprint). */
export interface Drawable {
  section?: string | null;
  tags?: readonly string[];
}

const sectionOf = (q: Drawable) => q.section ?? null;
const carries = (q: Drawable, tag: string) => q.tags?.includes(tag) ?? false;

/** Does this selection meet every section count exactly and every tag minimum? */
export function satisfiesBlueprint(selection: readonly Drawable[], blueprint: BlueprintRules): string | null {
  const perSection = new Map<string, number>();
  for (const q of selection) {
    const section = sectionOf(q);
    if (section === null || !(section in blueprint.sections)) return `a question outside the blueprint's sections was drawn`;
    perSection.set(section, (perSection.get(section) ?? 0) + 1);
  }
  for (const [section, count] of Object.entries(blueprint.sections)) {
    if ((perSection.get(section) ?? 0) !== count) return `section "${section}" has ${perSection.get(section) ?? 0} questions, not ${count}`;
  }
  for (const [tag, minimum] of Object.entries(blueprint.tags)) {
    const carrying = selection.filter((q) => carries(q, tag)).length;
    if (carrying < minimum) return `tag "${tag}" appears ${carrying} times, fewer than ${minimum}`;
  }
  return null;
}

/** How many nodes the search may visit before giving up (a well-formed bank needs a few dozen). */
const SEARCH_BUDGET = 500_000;

/**
 * Chooses questions meeting the blueprint, preferring those that come first in `order` (pass the
 * bank in a seeded shuffled order to draw a random paper). The search is complete: it returns a
 * selection whenever one exists (within a generous budget), else null. Every valid selection can
 * be drawn: it is the result whenever the shuffle puts its questions first.
 */
export function selectByBlueprint<Q extends Drawable>(order: readonly Q[], blueprint: BlueprintRules): Q[] | null {
  const items = order.filter((q) => (blueprint.sections[sectionOf(q) ?? ""] ?? 0) > 0);
  const need = new Map(Object.entries(blueprint.sections).filter(([, n]) => n > 0));
  const deficit = new Map(Object.entries(blueprint.tags).filter(([, n]) => n > 0));
  // left[i]: how many items from index i on belong to each section.
  const left: Map<string, number>[] = Array.from({ length: items.length + 1 }, () => new Map());
  for (let i = items.length - 1; i >= 0; i -= 1) {
    left[i] = new Map(left[i + 1]);
    const s = sectionOf(items[i]!)!;
    left[i]!.set(s, (left[i]!.get(s) ?? 0) + 1);
  }
  const chosen: Q[] = [];
  let budget = SEARCH_BUDGET;

  const tagsReachable = (from: number): boolean => {
    for (const [tag, missing] of deficit) {
      if (missing <= 0) continue;
      const room = new Map(need);
      let reachable = 0;
      for (let i = from; i < items.length && reachable < missing; i += 1) {
        const q = items[i]!;
        const r = room.get(sectionOf(q)!) ?? 0;
        if (r > 0 && carries(q, tag)) {
          reachable += 1;
          room.set(sectionOf(q)!, r - 1);
        }
      }
      if (reachable < missing) return false;
    }
    return true;
  };

  const search = (i: number): boolean => {
    if (--budget < 0) return false;
    if ([...need.values()].every((n) => n === 0)) return [...deficit.values()].every((n) => n <= 0);
    if (i >= items.length || !tagsReachable(i)) return false;
    const q = items[i]!;
    const section = sectionOf(q)!;
    if ((need.get(section) ?? 0) > 0) {
      need.set(section, need.get(section)! - 1);
      for (const tag of q.tags ?? []) if (deficit.has(tag)) deficit.set(tag, deficit.get(tag)! - 1);
      chosen.push(q);
      if (search(i + 1)) return true;
      chosen.pop();
      for (const tag of q.tags ?? []) if (deficit.has(tag)) deficit.set(tag, deficit.get(tag)! + 1);
      need.set(section, need.get(section)! + 1);
    }
    // Leave q out only if its section can still be filled from what follows.
    if ((left[i + 1]!.get(section) ?? 0) >= (need.get(section) ?? 0)) return search(i + 1);
    return false;
  };

  return search(0) ? chosen : null;
}
