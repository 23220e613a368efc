import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { requireUser } from "~/auth/guards.server";
import { getDb } from "~/db.server";
import { listNotifications, markAllRead, markRead, unreadCount } from "~/notifications/notify.server";
import { kindLabel } from "~/notifications/kinds";
import { serverClock } from "~/utils/clock.server";
import { formatMoment } from "~/utils/dates";
import { readForm } from "~/utils/forms";

export const meta: MetaFunction = () => [{ title: "Notifications · Approved Trainer Academy" }];

/** The signed-in person's own notifications, newest first, 25 a page (ADR 0028). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const page = Number(new URL(request.url).searchParams.get("page") ?? "1");
  const db = getDb();
  const [list, unread] = await Promise.all([listNotifications(db, user.id, page), unreadCount(db, user.id)]);
  return { ...list, unread };
}

/** Mark one (only the person's own: anything else is "not found") or all as read. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  const page = Number(form.get("page") ?? "1");
  const back = `/notifications${page > 1 ? `?page=${page}` : ""}`;
  const db = getDb();
  if (form.get("intent") === "all") {
    await markAllRead(db, user.id, serverClock());
    return redirect(back);
  }
  if (form.get("intent") === "read") {
    const id = Number(form.get("id"));
    if (!Number.isSafeInteger(id) || !(await markRead(db, user.id, id, serverClock()))) throw new Response("Not found", { status: 404 });
    return redirect(back);
  }
  return data({ message: "Choose a notification to mark as read." }, { status: 400 });
}

export default function Notifications() {
  const { items, page, pageCount, total, unread } = useLoaderData<typeof loader>();
  const busy = useNavigation().state === "submitting";
  return (
    <section aria-labelledby="notifications-title">
      <h1 id="notifications-title">Notifications</h1>
      <p role="status">{unread === 0 ? "You have no unread notifications." : `You have ${unread} unread ${unread === 1 ? "notification" : "notifications"}.`}</p>
      <p>
        Choose whether we email you about each one as it happens or once a day on <Link to="/account#notification-email">your account page</Link>.
      </p>
      {unread > 0 ? (
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="all" />
          <input type="hidden" name="page" value={page} />
          <div>
            <button type="submit" className="button button--quiet" disabled={busy}>
              Mark all as read
            </button>
          </div>
        </Form>
      ) : null}
      {total === 0 ? (
        <p>Nothing yet. We will tell you here when something needs you or something changes.</p>
      ) : (
        <ol className="notification-list" aria-label="Your notifications, newest first">
          {items.map((n) => (
            <li key={n.id} className={`notification${n.read_at ? "" : " notification--unread"}`}>
              <h2 className="notification__title">
                {n.read_at ? null : <span className="notification__new">New<span className="visually-hidden">:</span></span>} {n.link ? <Link to={n.link}>{n.title}</Link> : n.title}
              </h2>
              <p className="notification__meta">
                {kindLabel(n.kind)} · <time dateTime={n.created_at}>{formatMoment(n.created_at)}</time>
              </p>
              <p className="notification__body">{n.body}</p>
              {n.read_at ? null : (
                <Form method="post">
                  <input type="hidden" name="intent" value="read" />
                  <input type="hidden" name="id" value={n.id} />
                  <input type="hidden" name="page" value={page} />
                  <button type="submit" className="button button--quiet button--small" disabled={busy} aria-label={`Mark as read: ${n.title}`}>
                    Mark as read
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ol>
      )}
      {pageCount > 1 ? (
        <nav className="pagination" aria-label="Notification pages">
          <p className="pagination__summary">
            Page {page} of {pageCount}
          </p>
          <ul className="pagination__links">
            <li>{page > 1 ? <Link to={`?page=${page - 1}`} rel="prev">Newer</Link> : <span className="pagination__none">Newer</span>}</li>
            <li>{page < pageCount ? <Link to={`?page=${page + 1}`} rel="next">Older</Link> : <span className="pagination__none">Older</span>}</li>
          </ul>
        </nav>
      ) : null}
    </section>
  );
}
