import { type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { serverClock, setClockOffset, testClockEnabled } from "~/utils/clock.server";

/**
 * End-to-end tests move the server's clock with this endpoint (cooldowns, expiry, retention).
 * It exists only when the server was started with ATA_TEST_CLOCK=1; otherwise it is a 404.
 */
export async function loader() {
  if (!testClockEnabled()) throw new Response("Not found", { status: 404 });
  return Response.json({ now: serverClock().toISOString() });
}

export async function action({ request }: ActionFunctionArgs) {
  if (!testClockEnabled()) throw new Response("Not found", { status: 404 });
  const parsed = z.object({ offsetMs: z.coerce.number().int() }).safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return Response.json({ error: "offsetMs must be an integer" }, { status: 400 });
  setClockOffset(parsed.data.offsetMs);
  return Response.json({ now: serverClock().toISOString() });
}
