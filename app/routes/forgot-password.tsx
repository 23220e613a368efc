import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { requestPasswordReset } from "~/auth/accounts.server";
import { requireAnonymous } from "~/auth/guards.server";
import { forgotPasswordSchema } from "~/auth/validation";
import { serverClock } from "~/utils/clock.server";
import { getDb } from "~/db.server";
import { getEnv } from "~/utils/env.server";
import { Field, Notice } from "~/components/form";
import { formToObject, validate } from "~/utils/forms";
import { replyRefusal } from "~/utils/result";

export const meta: MetaFunction = () => [{ title: "Reset your password · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const parsed = validate(forgotPasswordSchema, formToObject(await request.formData()));
  if (!parsed.ok) return replyRefusal(parsed, { sent: false });
  await requestPasswordReset(getDb(), parsed.value.email, getEnv().PUBLIC_BASE_URL, serverClock());
  return { message: null, fieldErrors: {} as Record<string, string>, sent: true };
}

export default function ForgotPassword() {
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="narrow" aria-labelledby="forgot-title">
      <h1 id="forgot-title">Reset your password</h1>
      {actionData?.sent ? (
        <Notice>
          If an account exists for that address, we have sent it a link to choose a new password. The link works once and expires after
          one hour.
        </Notice>
      ) : (
        <>
          <p>Enter the email address of your account and we will send you a one-time link.</p>
          <Form method="post" noValidate className="stack">
            <Field name="email" label="Email address" type="email" autoComplete="email" required error={actionData?.fieldErrors.email} />
            <button type="submit" className="button" disabled={busy}>
              Send the link
            </button>
          </Form>
        </>
      )}
      <p>
        <Link to="/login">Back to sign in</Link>
      </p>
    </section>
  );
}
