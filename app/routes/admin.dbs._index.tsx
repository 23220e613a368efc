import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { getDb } from "~/db.server";
import { formatDate } from "~/utils/dates";
import { listDbsChecks } from "~/evidence/dbs.server";
import { DBS_DECISION_LABELS } from "~/evidence/validation";

export const meta: MetaFunction = () => [{ title: "DBS checks · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return { checks: await listDbsChecks(getDb()) };
}

export default function DbsChecks() {
  const { checks } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="dbs-list-title">
      <h1 id="dbs-list-title">DBS checks</h1>
      <p>
        Enhanced DBS records, those awaiting a decision first. Certificate details are shown only on each record&apos;s page, and every opening of that page is
        written to the audit trail.
      </p>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">DBS records</caption>
          <thead>
            <tr>
              <th scope="col">Trainer</th>
              <th scope="col">Recorded</th>
              <th scope="col">Decision</th>
              <th scope="col">Re-check due</th>
              <th scope="col">Record</th>
            </tr>
          </thead>
          <tbody>
            {checks.length === 0 ? (
              <tr>
                <td colSpan={5}>No DBS records yet.</td>
              </tr>
            ) : (
              checks.map((c) => (
                <tr key={c.id}>
                  <td>
                    {c.trainer_name} <span className="muted">({c.trainer_email})</span>
                  </td>
                  <td>{formatDate(c.created_at)}</td>
                  <td>{c.decision ? `${DBS_DECISION_LABELS[c.decision]} (${formatDate(c.decided_at)})` : <span className="status status--info">Awaiting decision</span>}</td>
                  <td>{formatDate(c.recheck_due_on)}</td>
                  <td>
                    <Link to={`/admin/dbs/${c.id}`}>
                      Open record<span className="visually-hidden"> for {c.trainer_name}</span>
                    </Link>
                    {c.details_erased_at ? <span className="muted"> · details erased</span> : null}
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
