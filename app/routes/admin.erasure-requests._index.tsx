import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { Pagination } from "~/components/pagination";
import { getDb } from "~/db.server";
import { listPendingErasureRequests, parseErasureListPage } from "~/erasure/requests.server";
import { formatMoment } from "~/utils/dates";

export const meta: MetaFunction = () => [{ title: "Erasure requests · Approved Trainer Academy" }];

/** Admins only (issue 17 item 4, ADR 0034): pending erasure requests, oldest first, 50 a page. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return { page: await listPendingErasureRequests(getDb(), parseErasureListPage(new URL(request.url).searchParams)) };
}

export default function ErasureRequests() {
  const { page } = useLoaderData<typeof loader>();
  const pager = { ...page, shown: page.items.length };
  return (
    <section aria-labelledby="erasure-requests-title">
      <h1 id="erasure-requests-title">Erasure requests</h1>
      <p>
        Trainers who asked to close their account and have their data erased, oldest first. Open one to carry it out or refuse it with a reason (for example, a concern
        under investigation). What is erased and what is kept is set out in the <Link to="/privacy">privacy notice</Link>.
      </p>
      <Pagination page={pager} label="Pages of erasure requests" noun="pending requests" />
      <div className="table-wrap" role="region" aria-label="Pending erasure requests" tabIndex={0}>
        <table>
          <caption className="visually-hidden">Pending erasure requests, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">Request</th>
              <th scope="col">Trainer</th>
              <th scope="col">Email address</th>
              <th scope="col">Asked</th>
            </tr>
          </thead>
          <tbody>
            {page.items.length === 0 ? (
              <tr>
                <td colSpan={4}>No pending requests.</td>
              </tr>
            ) : (
              page.items.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`/admin/erasure-requests/${r.id}`}>Review request {r.id}</Link>
                  </td>
                  <td>{r.name}</td>
                  <td>{r.email}</td>
                  <td>{formatMoment(r.requestedAt)}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <Pagination page={pager} label="Pages of erasure requests, below the table" noun="pending requests" />
    </section>
  );
}
