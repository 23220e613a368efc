/**
 * A submission that saves one answer of an attempt (the page's autosave): it changes nothing any
 * loader on the page reads (the page keeps the answer itself), so no loader runs again after it and
 * the browser sends one request, not two (issue 14 item 3, ADR 0041). Every other form revalidates
 * as Remix does by default. (A lesson's knowledge check is not a Remix submission: its island
 * posts to the lesson's `check` route itself, ADR 0047.)
 */
export function changesOnlyAnAnswer(formData: FormData | undefined): boolean {
  if (!formData?.has("questionId")) return false;
  return formData.get("intent") === null;
}
