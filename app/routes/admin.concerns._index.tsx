import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { Pagination } from "~/components/pagination";
import { getDb } from "~/db.server";
import { listConcernsPage, parseConcernListQuery } from "~/concerns/list.server";
import { CATEGORIES, CONCERN_CATEGORY_FILTERS, CONCERN_STATES, SEVERITIES } from "~/concerns/validation";
import { formatMoment } from "~/utils/dates";

export const meta: MetaFunction = () => [{ title: "Concerns · Approved Trainer Academy" }];

/** Admins only (ADR 0030): one page of confirmed concerns, newest first, by state and category. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const query = parseConcernListQuery(new URL(request.url).searchParams);
  return { page: await listConcernsPage(getDb(), query), state: query.state, category: query.category };
}

const STATE_LABELS: Record<string, string> = { open: "Open", closed: "Closed", all: "Open and closed" };
const CATEGORY_LABELS: Record<string, string> = { any: "Any category", ...CATEGORIES };
const label = (o: Record<string, string>, key: string | null) => (key ? (o[key] ?? key) : "Not triaged");

export default function Concerns() {
  const { page, state, category } = useLoaderData<typeof loader>();
  const pager = { ...page, shown: page.items.length };
  return (
    <section aria-labelledby="concerns-title">
      <h1 id="concerns-title">Concerns</h1>
      <p>Confirmed concerns about Approved Trainers, newest first. Concerns waiting for the raiser to confirm them by email are not listed.</p>
      <Form method="get" className="list-filters" role="search" aria-label="Filter concerns">
        <div className="field">
          <label htmlFor="concern-state">State</label>
          <select id="concern-state" name="state" defaultValue={state}>
            {CONCERN_STATES.map((s) => (
              <option key={s} value={s}>
                {STATE_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="concern-category">Category</label>
          <select id="concern-category" name="category" defaultValue={category}>
            {CONCERN_CATEGORY_FILTERS.map((c) => (
              <option key={c} value={c}>
                {CATEGORY_LABELS[c]}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button--small">
          Filter
        </button>
      </Form>
      <Pagination page={pager} label="Pages of concerns" noun="concerns" />
      <div className="table-wrap" role="region" aria-label="Concerns" tabIndex={0}>
        <table>
          <caption className="visually-hidden">
            Concerns: {STATE_LABELS[state]?.toLowerCase()}, {CATEGORY_LABELS[category]?.toLowerCase()}, newest first
          </caption>
          <thead>
            <tr>
              <th scope="col">Reference</th>
              <th scope="col">Trainer</th>
              <th scope="col">Category</th>
              <th scope="col">Severity</th>
              <th scope="col">Handler</th>
              <th scope="col">State</th>
              <th scope="col">Confirmed</th>
            </tr>
          </thead>
          <tbody>
            {page.items.length === 0 ? (
              <tr>
                <td colSpan={7}>No concerns match.</td>
              </tr>
            ) : (
              page.items.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/admin/concerns/${c.id}`}>{c.reference}</Link>
                    {c.raisedByStaff ? <span className="muted"> (raised by staff)</span> : null}
                  </td>
                  <td>{c.trainerName}</td>
                  <td>{label(CATEGORIES, c.category)}</td>
                  <td>{label(SEVERITIES, c.severity)}</td>
                  <td>{c.handlerName ?? "Nobody yet"}</td>
                  <td>{c.status === "closed" ? "Closed" : "Open"}</td>
                  <td>{formatMoment(c.confirmedAt)}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <Pagination page={pager} label="Pages of concerns, below the table" noun="concerns" />
    </section>
  );
}
