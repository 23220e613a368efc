import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { getAccountLimits, tokenTarget, tooManyAttemptsMessage } from "~/auth/account-limits.server";
import { sessionCookie } from "~/auth/cookies.server";
import { acceptInvitation, findOpenInvitation } from "~/auth/invitations.server";
import { PASSWORD_MAX, PASSWORD_MIN, acceptInvitationSchema } from "~/auth/validation";
import { Field, FormError } from "~/components/form";
import { getDb } from "~/db.server";
import { ROLE_LABELS } from "~/navigation";
import { serverClock } from "~/utils/clock.server";
import { getEnv } from "~/utils/env.server";
import { formToObject, readForm, validate } from "~/utils/forms";
import { passRetryAfter, replyRefusal, replyTooManyAttempts } from "~/utils/result";

export const meta: MetaFunction = () => [{ title: "Accept your invitation · Approved Trainer Academy" }, { name: "referrer", content: "no-referrer" }];

export const headers = passRetryAfter;

export async function loader({ params }: LoaderFunctionArgs) {
  const invitation = await findOpenInvitation(getDb(), params.token ?? "", serverClock());
  return { invitation: invitation ? { email: invitation.email, role: invitation.role, inviterName: invitation.inviterName } : null };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = formToObject(await readForm(request));
  const values = { name: (form.name ?? "").slice(0, 200) };
  const limits = getAccountLimits(getDb(), getEnv().ACCOUNT_RATE_LIMIT_PER_HOUR);
  const wait = await limits.attempt("invitation", { ip: context.clientIp, target: tokenTarget(params.token) }, serverClock());
  if (wait > 0) return replyTooManyAttempts(wait, tooManyAttemptsMessage("invitation", wait), { values });
  const parsed = validate(acceptInvitationSchema, form);
  if (!parsed.ok) return replyRefusal(parsed, { values });
  const result = await acceptInvitation(getDb(), params.token ?? "", parsed.value, serverClock());
  if (!result.ok) return replyRefusal(result, { values });
  return redirect("/dashboard", { headers: { "Set-Cookie": sessionCookie(result.value.sessionToken) } });
}

export default function AcceptInvitation() {
  const { invitation } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: Record<string, string> = actionData?.fieldErrors ?? {};
  if (!invitation) {
    return (
      <section className="narrow" aria-labelledby="invitation-title">
        <h1 id="invitation-title">This invitation is not valid</h1>
        <p>Invitations work once, for 7 days, and a newer invitation to the same address replaces an older one. Ask an administrator to invite you again.</p>
      </section>
    );
  }
  return (
    <section className="narrow" aria-labelledby="invitation-title">
      <h1 id="invitation-title">Accept your invitation</h1>
      <p>
        {invitation.inviterName} has invited <strong>{invitation.email}</strong> to join as {ROLE_LABELS[invitation.role].toLowerCase()}. Choose the name
        others will see and a password.
      </p>
      <FormError error={actionData?.message} />
      <Form method="post" noValidate className="stack">
        <Field name="name" label="Full name" autoComplete="name" required defaultValue={actionData?.values.name} error={errors.name} />
        <Field name="password" label="Password" type="password" autoComplete="new-password" hint={`Between ${PASSWORD_MIN} and ${PASSWORD_MAX} characters.`} required error={errors.password} />
        <Field name="confirmPassword" label="Confirm password" type="password" autoComplete="new-password" required error={errors.confirmPassword} />
        <button type="submit" className="button">
          Create my account
        </button>
      </Form>
    </section>
  );
}
