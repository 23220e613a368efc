import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { serverClock } from "~/utils/clock.server";
import { getDb } from "~/db.server";
import { listMarkingQueue, type QueueItem } from "~/marking/marking.server";
import { formatDateTime } from "~/marking/ui";

export const meta: MetaFunction = () => [{ title: "Marking · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "assessor", "admin");
  return { queue: await listMarkingQueue(getDb(), user, serverClock()), isAdmin: user.role === "admin" };
}

function QueueTable({ id, title, items, empty, since }: { id: string; title: string; items: QueueItem[]; empty: string; since: string }) {
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>
        {title} ({items.length})
      </h2>
      {items.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Trainer</th>
                <th scope="col">Version</th>
                <th scope="col">Submitted</th>
                <th scope="col">{since}</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
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
    </section>
  );
}

export default function MarkingQueue() {
  const { queue, isAdmin } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="marking-title">
      <h1 id="marking-title">Marking: report-writing task</h1>
      <p className="lede">Oldest first. Open a submission to mark it against the rubric; marked work picked for moderation goes to a second assessor.</p>
      {queue.blindMarking ? <p className="alert alert--info">Blind marking is on: trainers are shown by candidate number.</p> : null}
      <QueueTable id="to-mark" title="Waiting to be marked" items={queue.toMark} empty="Nothing is waiting to be marked." since="Waiting" />
      <QueueTable id="to-moderate" title="Waiting for moderation" items={queue.toModerate} empty="Nothing is waiting for moderation." since="Waiting since marked" />
      {isAdmin || queue.disputed.length > 0 ? (
        <QueueTable id="disputed" title="Disagreements for an admin" items={queue.disputed} empty="No disagreements to resolve." since="Waiting since marked" />
      ) : null}
    </section>
  );
}
