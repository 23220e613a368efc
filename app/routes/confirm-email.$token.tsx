import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { confirmationTokenIsUsable, confirmEmail } from "~/auth/email-confirmation.server";
import { getAccountLimits, tokenTarget, tooManyAttemptsMessage } from "~/auth/account-limits.server";
import { FormError } from "~/components/form";
import { getDb } from "~/db.server";
import { serverClock } from "~/utils/clock.server";
import { getEnv } from "~/utils/env.server";
import { readForm } from "~/utils/forms";
import { passRetryAfter, replyRefusal, replyTooManyAttempts } from "~/utils/result";

export const meta: MetaFunction = () => [{ title: "Confirm your email address · Approved Trainer Academy" }, { name: "referrer", content: "no-referrer" }];

export const headers = passRetryAfter;

/**
 * Opening the link shows a button; only the POST confirms, so a mail scanner that fetches links
 * does not use it up.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  return { valid: await confirmationTokenIsUsable(getDb(), params.token ?? "", serverClock()) };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  await readForm(request); // only the site's own form, within the size limit
  const limits = getAccountLimits(getDb(), getEnv().ACCOUNT_RATE_LIMIT_PER_HOUR);
  const wait = await limits.attempt("email-confirmation", { ip: context.clientIp, target: tokenTarget(params.token) }, serverClock());
  if (wait > 0) return replyTooManyAttempts(wait, tooManyAttemptsMessage("email-confirmation", wait), { confirmed: false });
  const result = await confirmEmail(getDb(), params.token ?? "", serverClock());
  if (!result.ok) return replyRefusal(result, { confirmed: false });
  return { confirmed: true, message: null, fieldErrors: {} as Record<string, string> };
}

export default function ConfirmEmail() {
  const { valid } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (actionData?.confirmed) {
    return (
      <section className="narrow" aria-labelledby="confirm-title">
        <h1 id="confirm-title">Email address confirmed</h1>
        <p>Thank you. You can now submit evidence of your qualifications, insurance and DBS check.</p>
        <p>
          <Link to="/requirements">Go to your entry requirements</Link>
        </p>
      </section>
    );
  }
  if (!valid) {
    return (
      <section className="narrow" aria-labelledby="confirm-title">
        <h1 id="confirm-title">This confirmation link is not valid</h1>
        <p>Confirmation links work once, for 7 days, and a newer link replaces an older one.</p>
        <p>
          <Link to="/confirm-email">Send a new link</Link> (sign in first if you are asked to).
        </p>
      </section>
    );
  }
  return (
    <section className="narrow" aria-labelledby="confirm-title">
      <h1 id="confirm-title">Confirm your email address</h1>
      <FormError error={actionData?.message} />
      <Form method="post">
        <button type="submit" className="button">
          Confirm my email address
        </button>
      </Form>
    </section>
  );
}
