import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Notice } from "~/components/form";
import { Pagination, SearchField } from "~/components/pagination";
import { requireRole } from "~/auth/guards.server";
import { serverClock } from "~/utils/clock.server";
import { getDb } from "~/db.server";
import { formatDate } from "~/utils/dates";
import { VERIFICATION_KINDS, VERIFICATION_KIND_LABELS } from "~/evidence/kinds";
import { listVerificationPage, parseVerificationQueueQuery } from "~/evidence/verification-queue.server";
import { QUEUE_AGE_DAYS } from "~/evidence/list-options";

export const meta: MetaFunction = () => [{ title: "Verification queue · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "assessor", "admin");
  const query = parseVerificationQueueQuery(new URL(request.url).searchParams);
  const page = await listVerificationPage(getDb(), query, serverClock());
  return { page, kind: query.kind ?? "", q: query.q, older: query.olderThanDays ? String(query.olderThanDays) : "" };
}

export default function VerificationQueue() {
  const { page, kind, q, older } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const pager = { ...page, shown: page.items.length };
  return (
    <section aria-labelledby="queue-title">
      <h1 id="queue-title">Verification queue</h1>
      {params.get("decided") ? <Notice>Your decision has been recorded and the trainer has been told by email.</Notice> : null}
      <p>Qualifications and insurance waiting to be checked against their evidence, oldest first. Original DBS certificates are seen under <Link to="/assessor/dbs-originals">DBS originals</Link>; administrators decide on DBS checks.</p>
      <Form method="get" className="list-filters" role="search" aria-label="Filter the queue">
        <div className="field">
          <label htmlFor="queue-kind">Show</label>
          <select id="queue-kind" name="kind" defaultValue={kind}>
            <option value="">Everything</option>
            {VERIFICATION_KINDS.map((k) => (
              <option key={k} value={k}>
                {VERIFICATION_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="queue-older">Waiting</label>
          <select id="queue-older" name="older" defaultValue={older}>
            <option value="">Any time</option>
            {QUEUE_AGE_DAYS.map((d) => (
              <option key={d} value={d}>
                More than {d} days
              </option>
            ))}
          </select>
        </div>
        <SearchField id="queue-search" label="Search by trainer name or email" value={q} />
        <button type="submit" className="button button--small">
          Filter
        </button>
      </Form>
      <Pagination page={pager} label="Pages of the verification queue" noun="items waiting" />
      <div className="table-wrap" role="region" aria-label="Evidence awaiting verification" tabIndex={0}>
        <table>
          <caption className="visually-hidden">Submissions awaiting verification, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">Submitted</th>
              <th scope="col">Kind</th>
              <th scope="col">Trainer</th>
              <th scope="col">Record</th>
            </tr>
          </thead>
          <tbody>
            {page.items.length === 0 ? (
              <tr>
                <td colSpan={4}>{kind || q || older ? "Nothing waiting matches." : "Nothing is waiting for verification."}</td>
              </tr>
            ) : (
              page.items.map((item) => (
                <tr key={`${item.kind}-${item.id}`}>
                  <td>{formatDate(item.submittedAt)}</td>
                  <td>{VERIFICATION_KIND_LABELS[item.kind]}</td>
                  <td>
                    {item.trainerName} <span className="muted">({item.trainerEmail})</span>
                  </td>
                  <td>
                    <Link to={`/assessor/verification/${item.kind}/${item.id}`}>
                      {item.summary}
                      <span className="visually-hidden">: review {VERIFICATION_KIND_LABELS[item.kind].toLowerCase()} for {item.trainerName}</span>
                    </Link>
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <Pagination page={pager} label="Pages of the verification queue, below the table" noun="items waiting" />
    </section>
  );
}
