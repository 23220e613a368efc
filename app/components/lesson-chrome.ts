/** Where the lesson shows its section list beside the text (app.css, the same breakpoint). */
const WIDE_LESSON = "(min-width: 56.01rem)";

/**
 * The lesson's section list is folded on narrow screens (the text starts on the first screen) and
 * open on wider ones, once a script runs: the lesson route's effect inside the Remix app, and the
 * lesson island on a lesson document (ADR 0047).
 */
export function openSectionListOnWideScreens(details: HTMLDetailsElement) {
  if (window.matchMedia(WIDE_LESSON).matches) details.open = true;
}
