import type { ActionFunctionArgs } from "@remix-run/node";
import { knowledgeCheckReply } from "~/assessment/attempts.server";
import { requireRole } from "~/auth/guards.server";
import { findSection } from "~/content/catalog.server";
import { readForm } from "~/utils/forms";

/** Nothing to read here: a check is answered by posting it (405, with the method that is allowed). */
export function loader(): never {
  throw new Response("A knowledge check is answered from its lesson.", { status: 405, headers: { Allow: "POST" } });
}

/**
 * A knowledge check answered with JavaScript (ADR 0047): the lesson island posts the check's form
 * here and gets the reply as JSON, graded on the server like the lesson's own plain post. Signed
 * out, the guard's redirect answers instead, and the island posts the form plainly.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  await requireRole(request, "trainer");
  const form = await readForm(request);
  const { module } = findSection(params.slug, params.section);
  const { reply, status } = knowledgeCheckReply(module.slug, form);
  return Response.json(reply, { status });
}
