/**
 * Does the wording give the key away? (content/README.md, "Option balance".) Two checks over a
 * module's single-answer questions (knowledge checks and bank):
 *  - error: more than 35% of them have the keyed option as the strictly longest option;
 *  - warning: the keyed position in authoring order is far from uniform (chi-square at p < 0.01,
 *    or one position holding more than 45% of the keys).
 */
import type { AnswerKey } from "../../../app/content/types";

export const MAX_LONGEST_KEY_SHARE = 0.35;
export const MAX_POSITION_SHARE = 0.45;
/** Chi-square critical values at p = 0.01 for 1 to 5 degrees of freedom. */
const CHI_SQUARE_P01 = [6.635, 9.21, 11.345, 13.277, 15.086];

const percent = (n: number) => `${Math.round(n * 100)}%`;

/** The keyed option is longer, in characters, than every other option. */
export function keyIsStrictlyLongest(q: AnswerKey): boolean {
  const key = q.options.find((o) => o.correct);
  if (!key) return false;
  return q.options.every((o) => o === key || o.text.length < key.text.length);
}

export function longestKeyError(label: string, where: string, questions: AnswerKey[]): string | null {
  const singles = questions.filter((q) => q.type === "single");
  if (singles.length === 0) return null;
  const longest = singles.filter(keyIsStrictlyLongest);
  const share = longest.length / singles.length;
  if (share <= MAX_LONGEST_KEY_SHARE) return null;
  return `${where}: ${label}: the keyed option is the strictly longest option in ${longest.length} of ${singles.length} single-answer questions (${percent(share)}; at most ${percent(MAX_LONGEST_KEY_SHARE)} allowed). Balance option lengths in: ${longest.map((q) => q.id).join(", ")}`;
}

/** Keyed positions (0-based, authoring order) against a uniform spread; a warning or null. */
export function keyPositionWarning(label: string, where: string, questions: AnswerKey[]): string | null {
  const singles = questions.filter((q) => q.type === "single" && q.options.some((o) => o.correct));
  if (singles.length === 0) return null;
  const width = Math.max(...singles.map((q) => q.options.length));
  const observed = Array.from({ length: width }, () => 0);
  const expected = Array.from({ length: width }, () => 0);
  for (const q of singles) {
    observed[q.options.findIndex((o) => o.correct)]! += 1;
    for (let p = 0; p < q.options.length; p += 1) expected[p]! += 1 / q.options.length;
  }
  const chiSquare = observed.reduce((sum, o, p) => sum + (expected[p]! > 0 ? (o - expected[p]!) ** 2 / expected[p]! : 0), 0);
  const critical = CHI_SQUARE_P01[Math.min(width - 1, CHI_SQUARE_P01.length) - 1] ?? Infinity;
  const crowded = observed.findIndex((o) => o / singles.length > MAX_POSITION_SHARE);
  if (chiSquare <= critical && crowded === -1) return null;
  const spread = observed.map((o, p) => `${p + 1}: ${o}`).join(", ");
  const why = crowded > -1 ? `position ${crowded + 1} holds ${percent(observed[crowded]! / singles.length)} of the keys` : `chi-square ${chiSquare.toFixed(1)} > ${critical} (p < 0.01)`;
  return `${where}: ${label}: the keyed option's position in authoring order is far from uniform (${why}; keys per position ${spread}). Options are shuffled for trainers, but vary where you write the key.`;
}
