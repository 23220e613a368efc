import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { signUpTrainer } from "~/auth/accounts.server";
import { sendEmailConfirmation } from "~/auth/email-confirmation.server";
import { sessionCookie } from "~/auth/cookies.server";
import { requireAnonymous } from "~/auth/guards.server";
import { PASSWORD_MAX, PASSWORD_MIN, signUpSchema } from "~/auth/validation";
import { serverClock } from "~/utils/clock.server";
import { getDb } from "~/db.server";
import { Field, FormError } from "~/components/form";
import { formToObject, readForm, validate } from "~/utils/forms";
import { passRetryAfter, replyRefusal, replyTooManyAttempts } from "~/utils/result";
import { emailTarget, getAccountLimits, tooManyAttemptsMessage } from "~/auth/account-limits.server";
import { getEnv } from "~/utils/env.server";

export const meta: MetaFunction = () => [{ title: "Create an account · Approved Trainer Academy" }];

/** A refused attempt says when to try again (Retry-After). */
export const headers = passRetryAfter;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = formToObject(await readForm(request));
  const values = { name: (form.name ?? "").slice(0, 200), email: (form.email ?? "").slice(0, 254) };
  const limits = getAccountLimits(getDb(), getEnv().ACCOUNT_RATE_LIMIT_PER_HOUR);
  const wait = await limits.attempt("signup", { ip: context.clientIp, target: emailTarget(form.email) }, serverClock());
  if (wait > 0) return replyTooManyAttempts(wait, tooManyAttemptsMessage("signup", wait), { values });
  const parsed = validate(signUpSchema, form);
  if (!parsed.ok) return replyRefusal(parsed, { values });
  const now = serverClock();
  const result = await signUpTrainer(getDb(), parsed.value, now);
  if (!result.ok) return replyRefusal(result, { values });
  await sendEmailConfirmation(getDb(), { id: result.value.userId, name: parsed.value.name, email: parsed.value.email }, getEnv().PUBLIC_BASE_URL, now);
  return redirect("/dashboard?welcome=1", { headers: { "Set-Cookie": sessionCookie(result.value.sessionToken) } });
}

export default function SignUp() {
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors: Record<string, string> = actionData?.fieldErrors ?? {};
  return (
    <section className="narrow" aria-labelledby="signup-title">
      <h1 id="signup-title">Create a trainer account</h1>
      <p>Your account lets you record your entry evidence, study the four modules and track your approval.</p>
      <FormError error={actionData?.message} />
      <Form method="post" noValidate className="stack">
        <Field
          name="name"
          label="Full name"
          hint="As it should appear on your certificate."
          autoComplete="name"
          required
          defaultValue={actionData?.values.name}
          error={errors.name}
        />
        <Field name="email" label="Email address" type="email" autoComplete="email" required defaultValue={actionData?.values.email} error={errors.email} />
        <Field
          name="password"
          label="Password"
          type="password"
          autoComplete="new-password"
          hint={`Between ${PASSWORD_MIN} and ${PASSWORD_MAX} characters. A few unrelated words make a strong password.`}
          required
          error={errors.password}
        />
        <Field name="confirmPassword" label="Confirm password" type="password" autoComplete="new-password" required error={errors.confirmPassword} />
        <button type="submit" className="button" disabled={busy}>
          {busy ? "Creating your account…" : "Create account"}
        </button>
      </Form>
      <p>
        Already registered? <Link to="/login">Sign in</Link>.
      </p>
    </section>
  );
}
