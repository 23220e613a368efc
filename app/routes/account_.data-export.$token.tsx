import { data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guards.server";
import { openDataExport, recordRefusedOpening } from "~/data-export/exports.server";
import { sizeLabel } from "~/data-export/ui";
import { getDb } from "~/db.server";
import { serverClock } from "~/utils/clock.server";
import { formatMoment } from "~/utils/dates";

/** The link is personal: never indexed, cached, or passed on as a referrer. */
const PRIVATE_LINK_HEADERS = { "Cache-Control": "private, no-store", "X-Robots-Tag": "noindex, nofollow", "Referrer-Policy": "no-referrer" };

export const headers: HeadersFunction = () => PRIVATE_LINK_HEADERS;

const TITLES = { ready: "Your data is ready", forbidden: "This download is for someone else", expired: "This link has expired", "not-found": "This link does not open a download" } as const;

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data ? TITLES[data.kind] : "Your data"} · Approved Trainer Academy` }, { name: "robots", content: "noindex, nofollow" }];

/**
 * What the emailed link opens (ADR 0033): signed out, sign-in first (requireUser); the requester
 * sees the download; anyone else gets 403 and learns nothing about it; after 7 days, 410.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const token = params.token ?? "";
  const opened = await openDataExport(db, user, token, serverClock());
  switch (opened.kind) {
    case "ready":
      return data({ kind: opened.kind, token, subjectName: opened.subjectName, forSomeoneElse: opened.forSomeoneElse, expiresAt: opened.expiresAt, sizeBytes: opened.sizeBytes }, { headers: PRIVATE_LINK_HEADERS });
    case "forbidden":
      await recordRefusedOpening(db, user, token, serverClock());
      return data({ kind: opened.kind }, { status: 403, headers: PRIVATE_LINK_HEADERS });
    case "expired":
      return data({ kind: opened.kind, expiredAt: opened.expiredAt }, { status: 410, headers: PRIVATE_LINK_HEADERS });
    default:
      return data({ kind: opened.kind }, { status: 404, headers: PRIVATE_LINK_HEADERS });
  }
}

export default function DataExportLink() {
  const page = useLoaderData<typeof loader>();
  return (
    <section className="narrow" aria-labelledby="export-title">
      <h1 id="export-title">{TITLES[page.kind]}</h1>
      {page.kind === "ready" ? (
        <>
          <p>
            {page.forSomeoneElse ? `Everything the academy holds about ${page.subjectName}` : "Everything the academy holds about you"}, as one ZIP file (
            {sizeLabel(page.sizeBytes)}). <code>manifest.json</code> inside it says what each part is. This link works until {formatMoment(page.expiresAt)}; then
            the file is deleted.
          </p>
          <p>
            <a href={`/account/data-export/${page.token}/zip`} className="button" download>
              Download the ZIP file
            </a>
          </p>
          <p>Keep the file somewhere safe: it holds personal details, including anything you recorded about your DBS check.</p>
        </>
      ) : null}
      {page.kind === "forbidden" ? (
        <>
          <p>
            This link was sent to another account, and it works only for the person who asked for the data. You are signed in as someone else, so nothing has
            been shown or downloaded.
          </p>
          <p>If the data is yours, sign out and sign in with your own account, or ask for a new copy from your account page.</p>
        </>
      ) : null}
      {page.kind === "expired" ? (
        <p>
          The link worked until {formatMoment(page.expiredAt)}, and the file has been deleted. You can ask for a new copy from your{" "}
          <Link to="/account/data-export">data requests</Link> page.
        </p>
      ) : null}
      {page.kind === "not-found" ? (
        <p>
          The address may be incomplete: open the link from the email again, or ask for a new copy from your <Link to="/account/data-export">data requests</Link>{" "}
          page.
        </p>
      ) : null}
    </section>
  );
}
