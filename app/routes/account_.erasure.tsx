import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { ErrorSummary, Field, Notice } from "~/components/form";
import { getDb } from "~/db.server";
import { latestErasureRequest, requestErasure, withdrawErasureRequest } from "~/erasure/requests.server";
import { MARKS_RETENTION_YEARS } from "~/erasure/policy";
import { serverClock } from "~/utils/clock.server";
import { formatMoment } from "~/utils/dates";
import { formToObject, readForm } from "~/utils/forms";
import { passRetryAfter, replyRefusal } from "~/utils/result";

export const headers = passRetryAfter;

export const meta: MetaFunction = () => [{ title: "Close your account · Approved Trainer Academy" }];

/** Trainers only (issue 17 item 4, ADR 0034): their own latest erasure request. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const latest = await latestErasureRequest(getDb(), user.id);
  return { latest: latest ? { status: latest.status, requestedAt: latest.requested_at, decidedAt: latest.decided_at, withdrawnAt: latest.withdrawn_at, refusalReason: latest.refusal_reason } : null };
}

/** Ask (confirmed with the password) or withdraw; the person's own request only, from the session. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const form = formToObject(await readForm(request));
  const now = serverClock();
  if (form.intent === "withdraw") {
    const result = await withdrawErasureRequest(getDb(), user.id, now);
    return result.ok ? redirect("/account/erasure?done=withdrawn") : replyRefusal(result);
  }
  if (form.intent !== "request") return data({ message: "Choose what to do.", fieldErrors: {} as Record<string, string> }, { status: 400 });
  const result = await requestErasure(getDb(), user, typeof form.password === "string" ? form.password : "", now);
  return result.ok ? redirect("/account/erasure?done=requested") : replyRefusal(result);
}

export default function AccountErasure() {
  const { latest } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const done = actionData ? null : params.get("done");
  const pending = latest?.status === "pending";
  return (
    <section className="narrow" aria-labelledby="erasure-title">
      <p>
        <Link to="/account">Your account</Link>
      </p>
      <h1 id="erasure-title">Close your account and erase your data</h1>
      {done === "requested" ? <Notice>Your request has been sent. An administrator will review it; you can withdraw it below until then.</Notice> : null}
      {done === "withdrawn" ? <Notice>Your request has been withdrawn. Nothing has been erased.</Notice> : null}
      <ErrorSummary message={actionData?.message} fieldErrors={actionData?.fieldErrors} />
      <h2>What happens</h2>
      <ul>
        <li>Your name, email address, DBS certificate details, uploaded evidence files, report texts, register listing, notifications and sessions are erased, and you are signed out everywhere.</li>
        <li>Your certificate is withdrawn: its verification page then reads “No longer listed”, without your name or any other details.</li>
        <li>
          We keep, without your name: the certificate’s id, dates and status, your assessment marks and outcomes for {MARKS_RETENTION_YEARS} years (for appeals and legal
          claims), and the audit trail of decisions. The <Link to="/privacy">privacy notice</Link> says why and for how long.
        </li>
        <li>An administrator may refuse or delay erasure with a reason, for example while a concern about your practice is being investigated.</li>
      </ul>
      {latest ? (
        <>
          <h2>Your request</h2>
          <p>
            {pending ? `Asked ${formatMoment(latest.requestedAt)}; waiting for an administrator.` : null}
            {latest.status === "withdrawn" && latest.withdrawnAt ? `Your request of ${formatMoment(latest.requestedAt)} was withdrawn ${formatMoment(latest.withdrawnAt)}.` : null}
            {latest.status === "refused" && latest.decidedAt ? `Your request of ${formatMoment(latest.requestedAt)} was refused ${formatMoment(latest.decidedAt)}. The reason given: ${latest.refusalReason ?? ""}` : null}
          </p>
        </>
      ) : null}
      {pending ? (
        <Form method="post">
          <input type="hidden" name="intent" value="withdraw" />
          <button type="submit" className="button button--secondary" disabled={busy}>
            Withdraw my request
          </button>
        </Form>
      ) : (
        <Form method="post" noValidate className="stack">
          <input type="hidden" name="intent" value="request" />
          <Field
            name="password"
            label="Your password"
            type="password"
            autoComplete="current-password"
            hint="To confirm it is you asking."
            required
            error={actionData?.fieldErrors?.password}
          />
          <div>
            <button type="submit" className="button button--danger" disabled={busy}>
              Ask to close my account and erase my data
            </button>
          </div>
        </Form>
      )}
    </section>
  );
}
