import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { isEmailConfirmed, resendEmailConfirmation } from "~/auth/email-confirmation.server";
import { requireUser } from "~/auth/guards.server";
import { FormError, Notice } from "~/components/form";
import { getDb } from "~/db.server";
import { serverClock } from "~/utils/clock.server";
import { getEnv } from "~/utils/env.server";
import { readForm } from "~/utils/forms";
import { passRetryAfter, replyRefusal } from "~/utils/result";

export const headers = passRetryAfter;

export const meta: MetaFunction = () => [{ title: "Confirm your email address · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { email: user.email, confirmed: await isEmailConfirmed(getDb(), user.id) };
}

/** Sends a new confirmation link to the signed-in user's address. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  await readForm(request); // only the site's own form, within the size limit
  const result = await resendEmailConfirmation(getDb(), user.id, getEnv().PUBLIC_BASE_URL, serverClock());
  if (!result.ok) return replyRefusal(result, { sent: false });
  return { sent: result.value.sent, message: null };
}

export default function ConfirmEmailStatus() {
  const { email, confirmed } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <section className="narrow" aria-labelledby="confirm-title">
      <h1 id="confirm-title">Confirm your email address</h1>
      <FormError error={actionData?.message} />
      {actionData?.sent ? <Notice>We have sent a new link to {email}. It works for 7 days; earlier links no longer work.</Notice> : null}
      {confirmed ? (
        <p>
          Your email address, {email}, is confirmed. <Link to="/requirements">Go to your entry requirements</Link>.
        </p>
      ) : (
        <>
          <p>
            Open the link we emailed to <strong>{email}</strong>. If it has not arrived after a few minutes, check your spam folder or send a new one.
          </p>
          <Form method="post">
            <button type="submit" className="button">
              Send a new confirmation link
            </button>
          </Form>
        </>
      )}
    </section>
  );
}
