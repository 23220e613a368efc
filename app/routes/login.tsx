import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { signIn } from "~/auth/accounts.server";
import { deviceCookie, deviceCookieName, pendingSignInCookie, readCookie, sessionCookie } from "~/auth/cookies.server";
import { PENDING_SIGN_IN_LIFETIME_MS } from "~/auth/pending-sign-in.server";
import { requireAnonymous, safeRedirectPath } from "~/auth/guards.server";
import { getLoginThrottle } from "~/auth/login-throttle.server";
import { loginSchema } from "~/auth/validation";
import { serverClock } from "~/utils/clock.server";
import { getDb } from "~/db.server";
import { Field, FormError, Notice } from "~/components/form";
import { formToObject, readForm, validate } from "~/utils/forms";
import { passRetryAfter, refuse, replyRefusal, tooMany } from "~/utils/result";

export const meta: MetaFunction = () => [{ title: "Sign in · Approved Trainer Academy" }];

/** A throttled sign-in says when to try again (Retry-After), on the page and on data requests. */
export const headers = passRetryAfter;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = formToObject(await readForm(request));
  const parsed = validate(loginSchema, form);
  const email = (form.email ?? "").slice(0, 254);
  if (!parsed.ok) return replyRefusal(parsed, { email });

  const result = await signIn(
    getDb(),
    getLoginThrottle(getDb()),
    { ...parsed.value, ip: context.clientIp, deviceCookie: readCookie(request, deviceCookieName()) },
    serverClock(),
  );
  if (!result.ok) return replyRefusal(result.retryAfterMs ? tooMany(result.retryAfterMs, result.formError) : refuse(400, result.formError), { email });
  const headers = new Headers();
  headers.append("Set-Cookie", deviceCookie(result.deviceCookieValue));
  const next = safeRedirectPath(form.redirectTo);
  if (result.pendingSignIn !== null) {
    // The password was right; the session waits for the second step (ADR 0032).
    headers.append("Set-Cookie", pendingSignInCookie(result.pendingSignIn, PENDING_SIGN_IN_LIFETIME_MS / 1000));
    return redirect(`/login/two-factor?redirectTo=${encodeURIComponent(next)}`, { headers });
  }
  headers.append("Set-Cookie", sessionCookie(result.sessionToken));
  return redirect(next, { headers });
}

export default function Login() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const errors = actionData?.fieldErrors ?? {};
  return (
    <section className="narrow" aria-labelledby="login-title">
      <h1 id="login-title">Sign in</h1>
      {params.get("reset") === "1" ? <Notice>Your password has been changed. Sign in with your new password.</Notice> : null}
      <FormError error={actionData?.message} />
      <Form method="post" noValidate className="stack">
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <Field name="email" label="Email address" type="email" autoComplete="email" required defaultValue={actionData?.email} error={errors.email} />
        <Field name="password" label="Password" type="password" autoComplete="current-password" required error={errors.password} />
        <button type="submit" className="button" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </Form>
      <p>
        <Link to="/forgot-password">Forgotten your password?</Link>
      </p>
      <p>
        New trainer? <Link to="/signup">Create an account</Link>.
      </p>
    </section>
  );
}
