import type { ActionFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/auth/guards.server";
import { serverClock } from "~/utils/clock.server";
import { getDb } from "~/db.server";
import { readReportForm } from "~/marking/request.server";
import { saveDraft } from "~/marking/submissions.server";

/** Autosave endpoint for the report editor (POST only; the editor calls it with fetch). */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const form = await readReportForm(request);
  const result = await saveDraft(getDb(), user.id, form.get("body") ?? "", serverClock());
  if (!result.ok) return Response.json({ ok: false, error: result.message }, { status: result.status });
  return Response.json({ ok: true, savedAt: result.value.savedAt, wordCount: result.value.wordCount });
}

export function loader() {
  throw new Response("Not found", { status: 404 });
}
