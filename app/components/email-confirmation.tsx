import { Form } from "@remix-run/react";

/**
 * Shown to a trainer whose email address is not confirmed yet, where evidence is submitted: what
 * to do, and a button that sends a new link (ADR 0019).
 */
export function EmailConfirmationNotice({ email }: { email: string }) {
  return (
    <div className="alert alert--info" role="status" aria-labelledby="confirm-email-title">
      <h2 id="confirm-email-title">Confirm your email address</h2>
      <p>
        Before you can submit evidence, open the link we emailed to <strong>{email}</strong> when you created your account. It works for 7 days.
      </p>
      <Form method="post" action="/confirm-email" className="inline-form">
        <button type="submit" className="button button--small button--secondary">
          Send a new confirmation link
        </button>
      </Form>
    </div>
  );
}
