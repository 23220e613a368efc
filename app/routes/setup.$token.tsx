import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { adminExists, createFirstAdmin } from "~/auth/accounts.server";
import { findUsableToken } from "~/auth/one-time-tokens.server";
import { sessionCookie } from "~/auth/cookies.server";
import { PASSWORD_MAX, PASSWORD_MIN, signUpSchema } from "~/auth/validation";
import { serverClock } from "~/utils/clock.server";
import { getDb } from "~/db.server";
import { Field, FormError } from "~/components/form";
import { formToObject, readForm, validate } from "~/utils/forms";
import { passRetryAfter, replyRefusal, replyTooManyAttempts } from "~/utils/result";
import { getAccountLimits, tokenTarget, tooManyAttemptsMessage } from "~/auth/account-limits.server";
import { getEnv } from "~/utils/env.server";

export const meta: MetaFunction = () => [{ title: "Set up the first administrator · Approved Trainer Academy" }, { name: "referrer", content: "no-referrer" }];

/** A refused attempt says when to try again (Retry-After). */
export const headers = passRetryAfter;

export async function loader({ params }: LoaderFunctionArgs) {
  const db = getDb();
  const usable = (await findUsableToken(db, params.token ?? "", "first_admin", serverClock())) !== null && !(await adminExists(db));
  return { valid: usable };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = formToObject(await readForm(request));
  const values = { name: (form.name ?? "").slice(0, 200), email: (form.email ?? "").slice(0, 254) };
  const limits = getAccountLimits(getDb(), getEnv().ACCOUNT_RATE_LIMIT_PER_HOUR);
  const wait = await limits.attempt("first-admin", { ip: context.clientIp, target: tokenTarget(params.token) }, serverClock());
  if (wait > 0) return replyTooManyAttempts(wait, tooManyAttemptsMessage("first-admin", wait), { values });
  const parsed = validate(signUpSchema, form);
  if (!parsed.ok) return replyRefusal(parsed, { values });
  const result = await createFirstAdmin(getDb(), params.token ?? "", parsed.value, serverClock());
  if (!result.ok) return replyRefusal(result, { values });
  return redirect("/admin/users", { headers: { "Set-Cookie": sessionCookie(result.value.sessionToken) } });
}

export default function SetUp() {
  const { valid } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: Record<string, string> = actionData?.fieldErrors ?? {};
  if (!valid) {
    return (
      <section className="narrow" aria-labelledby="setup-title">
        <h1 id="setup-title">This set-up link is not valid</h1>
        <p>
          The link to create the first administrator works once, for 24 hours, and only while no administrator exists. Restart the server
          to print a new link if you still need one.
        </p>
      </section>
    );
  }
  return (
    <section className="narrow" aria-labelledby="setup-title">
      <h1 id="setup-title">Create the first administrator</h1>
      <p>This account will manage users, roles and policy. You can add more administrators afterwards.</p>
      <FormError error={actionData?.message} />
      <Form method="post" noValidate className="stack">
        <Field name="name" label="Full name" autoComplete="name" required defaultValue={actionData?.values.name} error={errors.name} />
        <Field name="email" label="Email address" type="email" autoComplete="email" required defaultValue={actionData?.values.email} error={errors.email} />
        <Field name="password" label="Password" type="password" autoComplete="new-password" hint={`Between ${PASSWORD_MIN} and ${PASSWORD_MAX} characters.`} required error={errors.password} />
        <Field name="confirmPassword" label="Confirm password" type="password" autoComplete="new-password" required error={errors.confirmPassword} />
        <button type="submit" className="button">
          Create administrator
        </button>
      </Form>
    </section>
  );
}
