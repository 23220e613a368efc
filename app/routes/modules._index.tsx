import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { serverClock } from "~/utils/clock.server";
import { getDb } from "~/db.server";
import { getModuleProgress } from "~/learning/progress.server";
import { ModuleStateBadge } from "~/components/module-state";
import { formatDate } from "~/utils/dates";

export const meta: MetaFunction = () => [{ title: "Training modules · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const modules = await getModuleProgress(getDb(), user.id, serverClock());
  const passed = modules.filter((m) => m.state === "passed").length;
  return { modules, passed };
}

export default function Modules() {
  const { modules, passed } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="modules-title">
      <h1 id="modules-title">Training modules</h1>
      <p className="lede">All four modules are mandatory. Study each section, then pass the end-of-module assessment.</p>
      <div className="progress-summary">
        <label htmlFor="overall-progress">
          Overall: {passed} of {modules.length} module assessments passed
        </label>
        <progress id="overall-progress" max={modules.length} value={passed}>
          {passed} of {modules.length}
        </progress>
      </div>
      <ol className="module-list">
        {modules.map((m) => (
          <li key={m.slug} className="card module-card">
            <div className="module-card__head">
              <h2>
                <Link to={`/modules/${m.slug}`}>
                  {m.order}. {m.title}
                </Link>
              </h2>
              <ModuleStateBadge state={m.state} />
            </div>
            <p>{m.summary}</p>
            <p className="muted">About {m.estimatedMinutes} minutes · {m.sectionsTotal} sections</p>
            <label htmlFor={`progress-${m.slug}`} className="module-card__progress-label">
              {m.sectionsDone} of {m.sectionsTotal} sections complete
            </label>
            <progress id={`progress-${m.slug}`} max={m.sectionsTotal} value={m.sectionsDone}>
              {m.percent}%
            </progress>
            {m.state === "passed" ? (
              <p className="muted">
                Assessment passed on {formatDate(m.passedAt!)} ({m.passedPercent}%), version{" "}
                <code>{m.passedVersion}</code>
              </p>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
