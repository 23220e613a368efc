import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { Pagination, SearchField } from "~/components/pagination";
import { getDb } from "~/db.server";
import { formatDate } from "~/utils/dates";
import { listDbsPage, parseDbsListQuery } from "~/evidence/dbs-list.server";
import { DBS_FILTER_LABELS, DBS_FILTERS } from "~/evidence/list-options";
import { DBS_DECISION_LABELS } from "~/evidence/validation";

export const meta: MetaFunction = () => [{ title: "DBS checks · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const query = parseDbsListQuery(new URL(request.url).searchParams);
  return { page: await listDbsPage(getDb(), query), q: query.q, show: query.show };
}

export default function DbsChecks() {
  const { page, q, show } = useLoaderData<typeof loader>();
  const pager = { ...page, shown: page.items.length };
  return (
    <section aria-labelledby="dbs-list-title">
      <h1 id="dbs-list-title">DBS checks</h1>
      <p>
        Enhanced DBS records, oldest first. Certificate details are shown only on each record&apos;s page, and every opening of that page is written to the audit
        trail.
      </p>
      <Form method="get" className="list-filters" role="search" aria-label="Find DBS records">
        <div className="field">
          <label htmlFor="dbs-show">Show</label>
          <select id="dbs-show" name="show" defaultValue={show}>
            {DBS_FILTERS.map((f) => (
              <option key={f} value={f}>
                {DBS_FILTER_LABELS[f]}
              </option>
            ))}
          </select>
        </div>
        <SearchField id="dbs-search" label="Search by trainer name or email" value={q} />
        <button type="submit" className="button button--small">
          Filter
        </button>
      </Form>
      <Pagination page={pager} label="Pages of DBS records" noun="DBS records" />
      <div className="table-wrap" role="region" aria-label="DBS records" tabIndex={0}>
        <table>
          <caption className="visually-hidden">DBS records: {DBS_FILTER_LABELS[show].toLowerCase()}, oldest first</caption>
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
            {page.items.length === 0 ? (
              <tr>
                <td colSpan={5}>{show === "awaiting" && !q ? "No DBS records are waiting for a decision." : "No DBS records match."}</td>
              </tr>
            ) : (
              page.items.map((c) => (
                <tr key={c.id}>
                  <td>
                    {c.trainerName} <span className="muted">({c.trainerEmail})</span>
                  </td>
                  <td>{formatDate(c.createdAt)}</td>
                  <td>{c.decision ? `${DBS_DECISION_LABELS[c.decision]} (${formatDate(c.decidedAt)})` : <span className="status status--info">Awaiting decision</span>}</td>
                  <td>{formatDate(c.recheckDueOn)}</td>
                  <td>
                    <Link to={`/admin/dbs/${c.id}`}>
                      Open record<span className="visually-hidden"> for {c.trainerName}</span>
                    </Link>
                    {c.detailsErased ? <span className="muted"> · details erased</span> : null}
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <Pagination page={pager} label="Pages of DBS records, below the table" noun="DBS records" />
    </section>
  );
}
