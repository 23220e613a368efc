import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { listAuditActions, listAuditEvents } from "~/audit/audit.server";
import { requireRole } from "~/auth/guards.server";
import { getDb } from "~/db.server";

export const meta: MetaFunction = () => [{ title: "Audit trail · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const url = new URL(request.url);
  const db = getDb();
  const actions = await listAuditActions(db);
  const requested = url.searchParams.get("action") ?? "";
  const action = actions.includes(requested) ? requested : "";
  const events = await listAuditEvents(db, { action: action || undefined });
  return { actions, action, events };
}

export default function AuditTrail() {
  const { actions, action, events } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit trail</h1>
      <p>Every decision recorded by the academy, newest first. Entries can never be changed or removed.</p>
      <Form method="get" className="inline-form filters">
        <label htmlFor="audit-action">Action</label>
        <select id="audit-action" name="action" defaultValue={action}>
          <option value="">All actions</option>
          {actions.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
        <button type="submit" className="button button--small">
          Filter
        </button>
      </Form>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Audit events</caption>
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
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
                  <td>{event.occurred_at.replace("T", " ").slice(0, 19)}</td>
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
    </section>
  );
}
