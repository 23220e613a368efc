import type { ActionFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { checkKnowledgeAnswer } from "~/assessment/attempts.server";
import { requireRole } from "~/auth/guards.server";
import { readForm } from "~/utils/forms";

/** Grades a formative knowledge check on the server; the key never reaches the lesson page. */
export async function action({ request, params }: ActionFunctionArgs) {
  await requireRole(request, "trainer");
  const form = await readForm(request);
  const questionId = String(form.get("questionId") ?? "");
  const selected = form.getAll("option").map(String);
  const result = checkKnowledgeAnswer(params.slug ?? "", questionId, selected);
  if (!result.ok) return data({ error: result.message }, { status: result.status });
  return result.value;
}

export async function loader() {
  throw new Response("Not found", { status: 404 });
}
