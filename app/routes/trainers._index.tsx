import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { serverClock } from "~/utils/clock.server";
import { listModules } from "~/content/catalog.server";
import { getDb } from "~/db.server";
import { listTrainersWithProgress } from "~/learning/progress.server";

export const meta: MetaFunction = () => [{ title: "Trainers · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "assessor", "admin");
  return { trainers: await listTrainersWithProgress(getDb(), serverClock()), moduleCount: listModules().length };
}

export default function Trainers() {
  const { trainers, moduleCount } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="trainers-title">
      <h1 id="trainers-title">Trainers&rsquo; progress</h1>
      {trainers.length === 0 ? (
        <p>No trainers have registered yet.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Trainer</th>
                <th scope="col">Module assessments passed</th>
                <th scope="col">Needs an assessor</th>
              </tr>
            </thead>
            <tbody>
              {trainers.map((t) => (
                <tr key={t.id}>
                  <td>
                    <Link to={`/trainers/${t.id}`}>{t.name}</Link>
                    <br />
                    <span className="muted">{t.email}</span>
                  </td>
                  <td>
                    {t.modulesPassed} of {moduleCount}
                  </td>
                  <td>{t.lockedModules.length > 0 ? <span className="status status--warn">Locked: {t.lockedModules.join(", ")}</span> : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
