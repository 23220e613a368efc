import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requireRole } from "~/auth/guards.server";
import { getDb } from "~/db.server";
import { exportResponse } from "~/reports/export-http.server";
import { parseExportQuery } from "~/reports/exports.server";
import { serverClock } from "~/utils/clock.server";
import { getEnv } from "~/utils/env.server";

/** A CSV download (admins only). Invalid choices go back to the form, which explains them. */
export async function loader({ request }: LoaderFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const params = new URL(request.url).searchParams;
  const now = serverClock();
  const parsed = parseExportQuery(params, now);
  if (!parsed.ok) {
    const back = new URLSearchParams({ kind: params.get("kind") ?? "", from: params.get("from") ?? "", to: params.get("to") ?? "", check: "1" });
    return redirect(`/reports/exports?${back}#export-form`);
  }
  return exportResponse(getDb(), admin.id, parsed.value, now, getEnv().PUBLIC_BASE_URL);
}
