import { type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { getDb } from "~/db.server";
import { listConcerns } from "~/concerns/concerns.server";
import { CATEGORIES, SEVERITIES } from "~/concerns/validation";
import { formatMoment } from "~/utils/dates";

export const meta: MetaFunction = () => [{ title: "Concerns · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const status = new URL(request.url).searchParams.get("status") === "closed" ? "closed" : "open";
  return { status, concerns: await listConcerns(getDb(), { status }) };
}

const label = (o: Record<string, string>, key: string | null) => (key ? (o[key] ?? key) : "Not triaged");

export default function Concerns() {
  const { status, concerns } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="concerns-title">
      <h1 id="concerns-title">Concerns</h1>
      <nav aria-label="Concern lists">
        <ul className="inline-list">
          <li>
            <Link to="?status=open" aria-current={status === "open" ? "page" : undefined}>
              Open
            </Link>
          </li>
          <li>
            <Link to="?status=closed" aria-current={status === "closed" ? "page" : undefined}>
              Closed
            </Link>
          </li>
        </ul>
      </nav>
      <div className="table-wrap" role="region" aria-label="Concerns" tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">Reference</th>
              <th scope="col">Trainer</th>
              <th scope="col">Category</th>
              <th scope="col">Severity</th>
              <th scope="col">Handler</th>
              <th scope="col">Confirmed</th>
            </tr>
          </thead>
          <tbody>
            {concerns.length === 0 ? (
              <tr>
                <td colSpan={6}>No {status} concerns.</td>
              </tr>
            ) : (
              concerns.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/admin/concerns/${c.id}`}>{c.reference}</Link>
                  </td>
                  <td>{c.trainerName}</td>
                  <td>{label(CATEGORIES, c.category)}</td>
                  <td>{label(SEVERITIES, c.severity)}</td>
                  <td>{c.handlerName ?? "Nobody yet"}</td>
                  <td>{formatMoment(c.confirmedAt)}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
