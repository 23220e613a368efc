import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { clearSessionCookie } from "~/auth/cookies.server";
import { getSession } from "~/auth/guards.server";
import { invalidateSession } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { readForm } from "~/utils/forms";

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  // The button sends no fields; reading the body still refuses one that is not a form.
  await readForm(request);
  const session = await getSession(request);
  if (session) await invalidateSession(getDb(), session.sessionId);
  return redirect("/", { headers: { "Set-Cookie": clearSessionCookie() } });
}
