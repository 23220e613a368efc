import type { ActionFunctionArgs } from "@remix-run/node";
import { buildPendingDataExports } from "~/data-export/exports.server";
import { getDb } from "~/db.server";
import { serverClock, testClockEnabled } from "~/utils/clock.server";
import { getEnv } from "~/utils/env.server";
import { readForm } from "~/utils/forms";

/**
 * End-to-end tests run the data-export job with this endpoint (ADR 0033), as the hourly jobs would
 * (a serving process's worker usually has built it already: then it builds nothing). It exists
 * only when the server was started with ATA_TEST_CLOCK=1; otherwise it is a 404.
 */
export async function action({ request }: ActionFunctionArgs) {
  if (!testClockEnabled()) throw new Response("Not found", { status: 404 });
  // It takes no fields, but its body goes through the one form reader like every action's (415, 413).
  await readForm(request);
  const env = getEnv();
  const run = await buildPendingDataExports(getDb(), { now: serverClock(), evidenceDir: env.EVIDENCE_DIR, publicBaseUrl: env.PUBLIC_BASE_URL });
  return Response.json(run);
}

export function loader() {
  throw new Response("Not found", { status: 404 });
}
