import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { resetPassword } from "~/auth/accounts.server";
import { findUsableToken } from "~/auth/one-time-tokens.server";
import { PASSWORD_MAX, PASSWORD_MIN, resetPasswordSchema } from "~/auth/validation";
import { serverClock } from "~/utils/clock.server";
import { getDb } from "~/db.server";
import { Field, FormError } from "~/components/form";
import { formToObject, readForm, validate } from "~/utils/forms";
import { passRetryAfter, refuse, replyRefusal, replyTooManyAttempts } from "~/utils/result";
import { getAccountLimits, tokenTarget, tooManyAttemptsMessage } from "~/auth/account-limits.server";
import { getEnv } from "~/utils/env.server";

export const meta: MetaFunction = () => [{ title: "Choose a new password · Approved Trainer Academy" }, { name: "referrer", content: "no-referrer" }];

/** A refused attempt says when to try again (Retry-After). */
export const headers = passRetryAfter;

export async function loader({ params }: LoaderFunctionArgs) {
  const usable = await findUsableToken(getDb(), params.token ?? "", "password_reset", serverClock());
  return { valid: usable !== null };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = formToObject(await readForm(request));
  const limits = getAccountLimits(getDb(), getEnv().ACCOUNT_RATE_LIMIT_PER_HOUR);
  const wait = await limits.attempt("password-reset", { ip: context.clientIp, target: tokenTarget(params.token) }, serverClock());
  if (wait > 0) return replyTooManyAttempts(wait, tooManyAttemptsMessage("password-reset", wait));
  const parsed = validate(resetPasswordSchema, form);
  if (!parsed.ok) return replyRefusal(parsed);
  const done = await resetPassword(getDb(), params.token ?? "", parsed.value.password, serverClock());
  if (!done) return replyRefusal(refuse(400, "This link is no longer valid. Ask for a new one."));
  return redirect("/login?reset=1");
}

export default function ResetPassword() {
  const { valid } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.fieldErrors ?? {};
  if (!valid) {
    return (
      <section className="narrow" aria-labelledby="reset-title">
        <h1 id="reset-title">This link has expired or been used</h1>
        <p>Password reset links work once and only for one hour.</p>
        <p>
          <Link to="/forgot-password">Ask for a new link</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="narrow" aria-labelledby="reset-title">
      <h1 id="reset-title">Choose a new password</h1>
      <FormError error={actionData?.message} />
      <Form method="post" noValidate className="stack">
        <Field name="password" label="New password" type="password" autoComplete="new-password" hint={`Between ${PASSWORD_MIN} and ${PASSWORD_MAX} characters.`} required error={errors.password} />
        <Field name="confirmPassword" label="Confirm new password" type="password" autoComplete="new-password" required error={errors.confirmPassword} />
        <button type="submit" className="button">
          Save new password
        </button>
      </Form>
    </section>
  );
}
