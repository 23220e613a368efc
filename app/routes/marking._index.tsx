import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { serverClock } from "~/utils/clock.server";
import { Pagination, SearchField } from "~/components/pagination";
import { getDb } from "~/db.server";
import { listMarkingPage, markingQueueSummary, parseMarkingQueueQuery } from "~/marking/open-work.server";
import { MARKING_AGE_DAYS, MARKING_QUEUE_LABELS, MARKING_QUEUES } from "~/marking/queues";
import { formatWaiting } from "~/marking/rules";
import { formatDateTime } from "~/marking/ui";

export const meta: MetaFunction = () => [{ title: "Marking · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "assessor", "admin");
  const query = parseMarkingQueueQuery(new URL(request.url).searchParams);
  const db = getDb();
  const now = serverClock();
  const [{ blindMarking, page }, summary] = await Promise.all([listMarkingPage(db, user, query, now), markingQueueSummary(db)]);
  const queues = MARKING_QUEUES.map((name) => ({ name, label: MARKING_QUEUE_LABELS[name], count: summary[name].count, oldest: summary[name].oldest ? formatWaiting(new Date(summary[name].oldest!), now) : null }));
  return { page, blindMarking, queues, queue: query.queue, q: query.q, older: query.olderThanDays ? String(query.olderThanDays) : "" };
}

export default function MarkingQueue() {
  const { page, blindMarking, queues, queue, q, older } = useLoaderData<typeof loader>();
  const current = queues.find((x) => x.name === queue)!;
  const pager = { ...page, shown: page.items.length };
  return (
    <section aria-labelledby="marking-title">
      <h1 id="marking-title">Marking: report-writing task</h1>
      <p className="lede">Oldest first. Open a submission to mark it against the rubric; marked work picked for moderation goes to a second assessor.</p>
      {blindMarking ? <p className="alert alert--info">Blind marking is on: trainers are shown by candidate number.</p> : null}
      <nav aria-label="Marking queues">
        <ul className="queue-tabs">
          {queues.map((x) => (
            <li key={x.name}>
              <Link to={`?queue=${x.name}`} aria-current={x.name === queue ? "page" : undefined}>
                {x.label} ({x.count})
              </Link>
              {x.oldest ? <span className="muted"> · oldest {x.oldest}</span> : null}
            </li>
          ))}
        </ul>
      </nav>
      <section aria-labelledby={`queue-${queue}`}>
        <h2 id={`queue-${queue}`}>
          {current.label} ({current.count})
        </h2>
        <Form method="get" className="list-filters" role="search" aria-label="Filter this queue">
          <input type="hidden" name="queue" value={queue} />
          <SearchField id="marking-search" label={blindMarking ? "Search by candidate number" : "Search by trainer name or candidate number"} value={q} />
          <div className="field">
            <label htmlFor="marking-older">Waiting</label>
            <select id="marking-older" name="older" defaultValue={older}>
              <option value="">Any time</option>
              {MARKING_AGE_DAYS.map((d) => (
                <option key={d} value={d}>
                  More than {d} days
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button button--small">
            Filter
          </button>
        </Form>
        <Pagination page={pager} label="Pages of this queue" noun="submissions" />
        {page.items.length === 0 ? (
          <p className="muted">{q || older ? "No submissions match." : `Nothing is ${current.label.toLowerCase()}.`}</p>
        ) : (
          <div className="table-wrap" role="region" aria-label="Marking queue" tabIndex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">Trainer</th>
                  <th scope="col">Version</th>
                  <th scope="col">Submitted</th>
                  <th scope="col">{queue === "mark" ? "Waiting" : "Waiting since marked"}</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((item) => (
                  <tr key={item.id} data-submission={item.id}>
                    <td>
                      <Link to={`/marking/${item.id}`}>{item.candidate}</Link>
                    </td>
                    <td>{item.version}</td>
                    <td>{formatDateTime(item.submittedAt)}</td>
                    <td>{item.waiting}</td>
                    <td>
                      {item.statusLabel}
                      {item.holder ? ` by ${item.holder}` : ""}
                      {item.ownWork ? <span className="muted"> (someone else must do this)</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pagination page={pager} label="Pages of this queue, below the table" noun="submissions" />
      </section>
    </section>
  );
}
