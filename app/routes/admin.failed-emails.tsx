import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { ErrorSummary, Notice } from "~/components/form";
import { Pagination } from "~/components/pagination";
import { getDb } from "~/db.server";
import { dismissFailedEmail, listFailedEmails, parseFailedEmailsPage, retryFailedEmail } from "~/notifications/failed-emails.server";
import { serverClock } from "~/utils/clock.server";
import { formatMoment } from "~/utils/dates";
import { formToObject, readForm } from "~/utils/forms";
import { replyRefusal } from "~/utils/result";

export const meta: MetaFunction = () => [{ title: "Failed emails · Approved Trainer Academy" }];

/** Admins only (ADR 0028): emails the outbox worker gave up on, newest failure first. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return { page: await listFailedEmails(getDb(), parseFailedEmailsPage(new URL(request.url).searchParams)) };
}

/** Retry or dismiss one failed email; both audited. */
export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const form = formToObject(await readForm(request));
  const id = typeof form.emailId === "string" && /^\d{1,12}$/.test(form.emailId) ? Number(form.emailId) : 0;
  const now = serverClock();
  if (form.intent !== "retry" && form.intent !== "dismiss") return replyRefusal({ ok: false, status: 400, message: "Choose retry or dismiss.", fieldErrors: {} }, { done: null });
  const result = form.intent === "retry" ? await retryFailedEmail(getDb(), admin.id, id, now) : await dismissFailedEmail(getDb(), admin.id, id, now);
  if (!result.ok) return replyRefusal(result, { done: null });
  return data({ done: form.intent === "retry" ? `Email ${id} is queued again: the worker sends it in a moment.` : `Email ${id} dismissed.`, message: null, fieldErrors: {} as Record<string, string> });
}

export default function FailedEmails() {
  const { page } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pager = { ...page, shown: page.items.length };
  return (
    <section aria-labelledby="failed-emails-title">
      <h1 id="failed-emails-title">Failed emails</h1>
      <p>
        Emails the outbox gave up on after 8 tries, or that the mail server refused for good, newest failure first. Retry one once the cause is fixed (a wrong address
        corrected, the mail server back), or dismiss it: it stays on record, unsent. The text is not shown here, as it may hold one-time sign-in links.
      </p>
      {actionData?.done ? <Notice>{actionData.done}</Notice> : null}
      <ErrorSummary message={actionData?.message} fieldErrors={actionData?.fieldErrors} />
      <Pagination page={pager} label="Pages of failed emails" noun="failed emails" />
      <div className="table-wrap" role="region" aria-label="Failed emails" tabIndex={0}>
        <table>
          <caption className="visually-hidden">Failed emails, newest failure first</caption>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">To</th>
              <th scope="col">Subject</th>
              <th scope="col">Failed</th>
              <th scope="col">Last error</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {page.items.length === 0 ? (
              <tr>
                <td colSpan={6}>No failed emails.</td>
              </tr>
            ) : (
              page.items.map((e) => (
                <tr key={e.id}>
                  <td>{e.id}</td>
                  <td>{e.to}</td>
                  <td>{e.subject}</td>
                  <td>
                    {formatMoment(e.failedAt)}
                    <span className="muted"> (queued {formatMoment(e.createdAt)}, {e.attempts === 1 ? "1 try" : `${e.attempts} tries`})</span>
                  </td>
                  <td>{e.lastError ?? "None recorded"}</td>
                  <td>
                    <div className="inline-form">
                      <Form method="post">
                        <input type="hidden" name="emailId" value={e.id} />
                        <button type="submit" name="intent" value="retry" className="button button--small">
                          Retry<span className="visually-hidden"> email {e.id}</span>
                        </button>
                      </Form>
                      <Form method="post">
                        <input type="hidden" name="emailId" value={e.id} />
                        <button type="submit" name="intent" value="dismiss" className="button button--small button--secondary">
                          Dismiss<span className="visually-hidden"> email {e.id}</span>
                        </button>
                      </Form>
                    </div>
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <Pagination page={pager} label="Pages of failed emails, below the table" noun="failed emails" />
    </section>
  );
}
