import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { serverClock } from "~/utils/clock.server";
import { getDb } from "~/db.server";
import { listTrainerPage, parseTrainerListQuery } from "~/learning/trainer-list.server";
import { Pagination, SearchField } from "~/components/pagination";

export const meta: MetaFunction = () => [{ title: "Trainers · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "assessor", "admin");
  const query = parseTrainerListQuery(new URL(request.url).searchParams);
  const page = await listTrainerPage(getDb(), query, serverClock());
  return { page, q: query.q, status: query.status ?? "" };
}

export default function Trainers() {
  const { page, q, status } = useLoaderData<typeof loader>();
  const pager = { ...page, shown: page.items.length };
  return (
    <section aria-labelledby="trainers-title">
      <h1 id="trainers-title">Trainers&rsquo; progress</h1>
      <Form method="get" className="list-filters" role="search" aria-label="Find trainers">
        <SearchField id="trainer-search" label="Search by name or email" value={q} />
        <div className="field">
          <label htmlFor="trainer-status">Account</label>
          <select id="trainer-status" name="status" defaultValue={status}>
            <option value="">Any</option>
            <option value="active">Active</option>
            <option value="disabled">Disabled</option>
          </select>
        </div>
        <button type="submit" className="button button--small">
          Search
        </button>
      </Form>
      {page.total === 0 && !q && !status ? (
        <p>No trainers have registered yet.</p>
      ) : (
        <>
          <Pagination page={pager} label="Pages of trainers" noun="trainers" />
          <div className="table-wrap" role="region" aria-label="Trainers" tabIndex={0}>
            <table>
              <caption className="visually-hidden">Trainers by name</caption>
              <thead>
                <tr>
                  <th scope="col">Trainer</th>
                  <th scope="col">Module assessments passed</th>
                  <th scope="col">Needs an assessor</th>
                </tr>
              </thead>
              <tbody>
                {page.items.length === 0 ? (
                  <tr>
                    <td colSpan={3}>No trainers match.</td>
                  </tr>
                ) : (
                  page.items.map((t) => (
                    <tr key={t.id}>
                      <td>
                        <Link to={`/trainers/${t.id}`}>{t.name}</Link>
                        <br />
                        <span className="muted">{t.email}</span>
                        {t.disabled ? <span className="status status--bad">Disabled</span> : null}
                      </td>
                      <td>
                        {t.modulesPassed} of {page.moduleCount}
                      </td>
                      <td>{t.lockedModules.length > 0 ? <span className="status status--warn">Locked: {t.lockedModules.join(", ")}</span> : "—"}</td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
          <Pagination page={pager} label="Pages of trainers, below the table" noun="trainers" />
        </>
      )}
    </section>
  );
}
