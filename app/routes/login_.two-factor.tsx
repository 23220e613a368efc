import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { pendingSignInCookie, pendingSignInCookieName, readCookie, sessionCookie } from "~/auth/cookies.server";
import { requireAnonymous, safeRedirectPath } from "~/auth/guards.server";
import { readPendingSignIn } from "~/auth/pending-sign-in.server";
import { createSession } from "~/auth/session.server";
import { secondFactorCounter, verifySecondFactor } from "~/auth/two-factor.server";
import { serverClock } from "~/utils/clock.server";
import { getDb } from "~/db.server";
import { Field, FormError } from "~/components/form";
import { formToObject, readForm } from "~/utils/forms";
import { passRetryAfter, replyRefusal } from "~/utils/result";

export const meta: MetaFunction = () => [{ title: "Enter your sign-in code · Approved Trainer Academy" }];

export const headers = passRetryAfter;

/** Without a live note from the password step there is nothing to finish: back to sign-in. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  if ((await readPendingSignIn(getDb(), readCookie(request, pendingSignInCookieName()), serverClock())) === null) throw redirect("/login");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const form = formToObject(await readForm(request));
  const db = getDb();
  const now = serverClock();
  const userId = await readPendingSignIn(db, readCookie(request, pendingSignInCookieName()), now);
  if (userId === null) {
    return data({ message: "Your sign-in has timed out (the code must follow the password within 10 minutes). Sign in again.", fieldErrors: {} as Record<string, string>, expired: true }, { status: 400 });
  }
  const result = await verifySecondFactor(db, secondFactorCounter(db), userId, (form.code ?? "").slice(0, 64), now);
  // Too many wrong codes: a 429 with Retry-After (the refusal carries the wait).
  if (!result.ok) return replyRefusal(result, { expired: false });
  const headers = new Headers();
  headers.append("Set-Cookie", sessionCookie(await createSession(db, userId, now)));
  headers.append("Set-Cookie", pendingSignInCookie(null, 0));
  const next = safeRedirectPath(form.redirectTo);
  return redirect(result.value.usedRecoveryCode ? `/account/two-factor?recovery=used&redirectTo=${encodeURIComponent(next)}` : next, { headers });
}

export default function SecondStep() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="narrow" aria-labelledby="second-step-title">
      <h1 id="second-step-title">Enter your sign-in code</h1>
      <p>Open the authenticator app on your phone and enter the 6-digit code it shows for the Approved Trainer Academy.</p>
      <FormError error={actionData?.message} />
      {actionData?.expired ? (
        <p>
          <Link to="/login">Sign in again</Link>
        </p>
      ) : null}
      <Form method="post" noValidate className="stack">
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <Field
          name="code"
          label="Sign-in code"
          hint="6 digits from your app. Lost your phone? Enter one of your recovery codes instead."
          autoComplete="one-time-code"
          spellCheck={false}
          required
          error={actionData?.fieldErrors.code}
        />
        <button type="submit" className="button" disabled={busy}>
          {busy ? "Checking…" : "Continue"}
        </button>
      </Form>
      <p>
        No phone and no recovery codes? Ask an administrator to reset your two-factor sign-in.
      </p>
    </section>
  );
}
