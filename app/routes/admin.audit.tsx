import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { listAuditActions, listAuditPage, parseAuditListQuery } from "~/audit/audit-list.server";
import { Pagination } from "~/components/pagination";
import { formatDateTime } from "~/marking/ui";
import { requireRole } from "~/auth/guards.server";
import { getDb } from "~/db.server";

export const meta: MetaFunction = () => [{ title: "Audit trail · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const db = getDb();
  const actions = await listAuditActions(db);
  const query = parseAuditListQuery(new URL(request.url).searchParams, actions);
  return { actions, action: query.action, subject: query.subject, page: await listAuditPage(db, query) };
}

export default function AuditTrail() {
  const { actions, action, subject, page } = useLoaderData<typeof loader>();
  const events = page.items;
  const pager = { ...page, shown: events.length };
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit trail</h1>
      <p>Every decision recorded by the academy, newest first. Entries can never be changed or removed.</p>
      <Form method="get" className="list-filters" role="search" aria-label="Filter the audit trail">
        <div className="field">
          <label htmlFor="audit-action">Action</label>
          <select id="audit-action" name="action" defaultValue={action}>
            <option value="">All actions</option>
            {actions.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-subject">Subject ID</label>
          <input id="audit-subject" name="subject" type="search" defaultValue={subject} maxLength={100} aria-describedby="audit-subject-hint" />
          <p className="field__hint" id="audit-subject-hint">
            A certificate ID, user number or record number, exactly.
          </p>
        </div>
        <button type="submit" className="button button--small">
          Filter
        </button>
      </Form>
      <Pagination page={pager} label="Pages of the audit trail" noun="events" />
      <div className="table-wrap" role="region" aria-label="Audit events" tabIndex={0}>
        <table>
          <caption className="visually-hidden">Audit events</caption>
          <thead>
            <tr>
              <th scope="col">When (UK time)</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Subject</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {events.length === 0 ? (
              <tr>
                <td colSpan={5}>No events match.</td>
              </tr>
            ) : (
              events.map((event) => (
                <tr key={event.id}>
                  <td>{formatDateTime(event.occurred_at)}</td>
                  <td>{event.actor_name ? `${event.actor_name} (${event.actor_email})` : "System"}</td>
                  <td>
                    <code>{event.action}</code>
                  </td>
                  <td>
                    {event.subject_type} {event.subject_id ?? ""}
                  </td>
                  <td>
                    <code>{event.details}</code>
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <Pagination page={pager} label="Pages of the audit trail, below the table" noun="events" />
    </section>
  );
}
