import { data, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { getDb } from "~/db.server";
import { Pagination, SearchField } from "~/components/pagination";
import { AreaSelect } from "~/register/area-select";
import { listRegisterPage, parseRegisterQuery } from "~/register/register.server";
import { getRegisterSettings } from "~/register/settings.server";
import { serverClock } from "~/utils/clock.server";
import { formatDate } from "~/utils/dates";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: "Register of Medical-Legal Approved Trainers · Approved Trainer Academy" },
  ...(data?.noindex !== false ? [{ name: "robots", content: "noindex" }] : []),
];

/** The noindex policy setting reaches crawlers that read headers only, too. */
export const headers: HeadersFunction = ({ loaderHeaders }) => {
  const robots = loaderHeaders.get("X-Robots-Tag");
  return robots ? { "X-Robots-Tag": robots } : new Headers();
};

export async function loader({ request }: LoaderFunctionArgs) {
  const db = getDb();
  const query = parseRegisterQuery(new URL(request.url).searchParams);
  const [page, settings] = await Promise.all([listRegisterPage(db, query, serverClock()), getRegisterSettings(db)]);
  return data({ page, q: query.q, area: query.area, noindex: settings.noindex }, { headers: settings.noindex ? { "X-Robots-Tag": "noindex" } : {} });
}

export default function Register() {
  const { page, q, area } = useLoaderData<typeof loader>();
  const pager = { ...page, shown: page.items.length };
  return (
    <section aria-labelledby="register-title">
      <h1 id="register-title">Register of Medical-Legal Approved Trainers</h1>
      <p>
        Personal trainers who hold a valid Approved Trainer certificate today and have chosen to be listed. A trainer leaves the register as soon as their certificate is
        suspended, revoked or lapses. Check any trainer&rsquo;s live status on their verification page.
      </p>
      <p>The register shows no email addresses or phone numbers: to reach a trainer, use &ldquo;Contact through the academy&rdquo;, and the academy passes your enquiry on.</p>
      <Form method="get" className="list-filters" role="search" aria-label="Find an approved trainer">
        <SearchField id="register-search" label="Search by name" value={q} />
        <AreaSelect id="register-area" name="area" label="Area they work in" defaultValue={area} emptyLabel="Any area" />
        <button type="submit" className="button button--small">
          Search
        </button>
      </Form>
      <Pagination page={pager} label="Pages of the register" noun="approved trainers" />
      {page.items.length === 0 ? (
        <p>No approved trainers on the register match{q || area ? " that search" : " yet"}.</p>
      ) : (
        <ul className="register-list">
          {page.items.map((entry) => (
            <li key={entry.listingId} className="card register-entry" data-listing={entry.listingId}>
              <h2 className="register-entry__name">{entry.name}</h2>
              <p>
                <span className="status status--good">Valid</span> until {formatDate(entry.expiresOn)} ·{" "}
                <a href={`/verify/${entry.certificateId}`}>
                  Verification page<span className="visually-hidden"> for {entry.name}</span>
                </a>
              </p>
              <p>
                Works in {entry.areaLabel}
                {entry.postcodeDistrict ? ` (${entry.postcodeDistrict})` : ""}
              </p>
              {entry.profile ? <p className="register-entry__profile">{entry.profile}</p> : null}
              <p>
                <Link to={`/register/${entry.listingId}/contact`}>
                  Contact through the academy<span className="visually-hidden">: send {entry.name} an enquiry</span>
                </Link>
              </p>
            </li>
          ))}
        </ul>
      )}
      <Pagination page={pager} label="Pages of the register, below the list" noun="approved trainers" />
    </section>
  );
}
