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

/** Does this selection meet every section count exactly and every tag minimum? Null, or what is wrong. */
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
  // Work on small integers: section s in 0..S-1, tag t in 0..T-1.
  const sectionNames = Object.keys(blueprint.sections).filter((s) => blueprint.sections[s]! > 0);
  const tagNames = Object.keys(blueprint.tags).filter((t) => blueprint.tags[t]! > 0);
  const S = sectionNames.length;
  const T = tagNames.length;
  const items = order.filter((q) => sectionNames.includes(sectionOf(q) ?? ""));
  const n = items.length;
  const sectionAt = items.map((q) => sectionNames.indexOf(sectionOf(q)!));
  const tagsAt = items.map((q) => tagNames.flatMap((t, i) => (carries(q, t) ? [i] : [])));
  const need = sectionNames.map((s) => blueprint.sections[s]!);
  const deficit = tagNames.map((t) => blueprint.tags[t]!);
  let stillNeeded = need.reduce((a, b) => a + b, 0);

  // left[i*S + s]: items of section s at index i or later; tagged[(i*S + s)*T + t]: those carrying tag t.
  const left = new Int32Array((n + 1) * S);
  const tagged = new Int32Array((n + 1) * S * Math.max(T, 1));
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let s = 0; s < S; s += 1) {
      left[i * S + s] = left[(i + 1) * S + s]!;
      for (let t = 0; t < T; t += 1) tagged[(i * S + s) * T + t] = tagged[((i + 1) * S + s) * T + t]!;
    }
    left[i * S + sectionAt[i]!]! += 1;
    for (const t of tagsAt[i]!) tagged[(i * S + sectionAt[i]!) * T + t]! += 1;
  }

  /** Can every tag still reach its minimum from index i on, given the room left in each section? */
  const tagsReachable = (i: number): boolean => {
    for (let t = 0; t < T; t += 1) {
      if (deficit[t]! <= 0) continue;
      let reachable = 0;
      for (let s = 0; s < S; s += 1) reachable += Math.min(need[s]!, tagged[(i * S + s) * T + t]!);
      if (reachable < deficit[t]!) return false;
    }
    return true;
  };

  // Whether the rest of the search can succeed depends only on (position, counts still needed,
  // tags still missing), so a state that failed once fails again: remembering it keeps the search
  // small when two tag minimums compete for the same last places (which the per-tag check in
  // tagsReachable cannot see). The first selection found, and so the paper, is unchanged.
  const failed = new Set<string>();
  const stateOf = (i: number) => `${i}|${need.join(",")}|${deficit.map((d) => Math.max(d, 0)).join(",")}`;

  const chosen: Q[] = [];
  let budget = SEARCH_BUDGET;
  const search = (i: number): boolean => {
    if (--budget < 0) return false;
    if (stillNeeded === 0) return deficit.every((d) => d <= 0);
    if (i >= n) return false;
    const state = stateOf(i);
    if (failed.has(state)) return false;
    if (!tagsReachable(i)) {
      failed.add(state);
      return false;
    }
    const s = sectionAt[i]!;
    if (need[s]! > 0) {
      need[s]! -= 1;
      stillNeeded -= 1;
      for (const t of tagsAt[i]!) deficit[t]! -= 1;
      chosen.push(items[i]!);
      if (search(i + 1)) return true;
      chosen.pop();
      for (const t of tagsAt[i]!) deficit[t]! += 1;
      stillNeeded += 1;
      need[s]! += 1;
    }
    // Leave the question out only if its section can still be filled from what follows.
    if (left[(i + 1) * S + s]! >= need[s]! && search(i + 1)) return true;
    failed.add(state);
    return false;
  };

  return search(0) ? chosen : null;
}
