/**
 * A submission that saves one answer of an attempt (the page's autosave) or checks a knowledge
 * check: it changes nothing any loader on the page reads (the page keeps the answer itself), so
 * no loader runs again after it and the browser sends one request, not two (issue 14 item 3,
 * ADR 0041). Every other form revalidates as Remix does by default.
 */
export function changesOnlyAnAnswer(formData: FormData | undefined): boolean {
  if (!formData?.has("questionId")) return false;
  const intent = formData.get("intent");
  return intent === null || intent === "check";
}
