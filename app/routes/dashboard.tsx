import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireUser } from "~/auth/guards.server";
import { Notice } from "~/components/form";
import { ModuleStateBadge } from "~/components/module-state";
import { serverClock } from "~/clock.server";
import { getDb } from "~/db.server";
import { getModuleProgress } from "~/learning/progress.server";
import { ReportTaskStep } from "~/marking/dashboard-item";
import { getReportTaskSummary } from "~/marking/submissions.server";

export const meta: MetaFunction = () => [{ title: "Dashboard · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const modules = user.role === "trainer" ? await getModuleProgress(getDb(), user.id, serverClock()) : [];
  const reportTask = user.role === "trainer" ? await getReportTaskSummary(getDb(), user.id) : null;
  return { name: user.name, role: user.role, modules, reportTask };
}

const TRAINER_STEPS = [
  { title: "Entry requirements", body: "Record your qualification, insurance and Enhanced DBS check for an assessor to verify." },
  { title: "Report-writing task", body: "Write a progress report from a case scenario, marked by an assessor." },
  { title: "Scope of practice agreement", body: "Read and accept the scope of practice and communication agreement." },
];

export default function Dashboard() {
  const { name, role, modules, reportTask } = useLoaderData<typeof loader>();
  const passed = modules.filter((m) => m.state === "passed").length;
  const [params] = useSearchParams();
  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">Welcome, {name}</h1>
      {params.get("welcome") === "1" ? <Notice>Your account has been created.</Notice> : null}
      {role === "trainer" ? (
        <>
          <p className="lede">Your path to becoming a Medical-Legal Approved Trainer has four parts. Each shows here as you complete it.</p>
          <h2>Mandatory training</h2>
          <div className="progress-summary">
            <label htmlFor="dashboard-modules-progress">
              {passed} of {modules.length} module assessments passed
            </label>
            <progress id="dashboard-modules-progress" max={modules.length} value={passed} />
          </div>
          <ol className="checklist" aria-label="Modules">
            {modules.map((m) => (
              <li key={m.slug} className="checklist__item module-status" data-module={m.slug}>
                <ModuleStateBadge state={m.state} />
                <div>
                  <h3 className="checklist__title">
                    <Link to={`/modules/${m.slug}`}>{m.title}</Link>
                  </h3>
                  <p>
                    {m.state === "passed"
                      ? `Passed on ${new Date(m.passedAt!).toLocaleDateString("en-GB", { timeZone: "Europe/London", dateStyle: "long" })} with ${m.passedPercent}%, module version ${m.passedVersion}.`
                      : `${m.sectionsDone} of ${m.sectionsTotal} sections complete.${m.retakeMessage && !m.canStartAttempt ? ` ${m.retakeMessage}` : ""}`}
                  </p>
                </div>
              </li>
            ))}
          </ol>
          <h2>Other requirements</h2>
          <ol className="checklist">
            {TRAINER_STEPS.map((step) =>
              step.title === "Report-writing task" && reportTask ? (
                <ReportTaskStep key={step.title} state={reportTask.state} date={reportTask.date} />
              ) : (
              <li key={step.title} className="checklist__item">
                <span className="status status--todo">Not started</span>
                <div>
                  <h3 className="checklist__title">{step.title}</h3>
                  <p>{step.body}</p>
                </div>
              </li>
              ),
            )}
          </ol>
          <p>
            <Link to="/requirements">Go to your entry requirements</Link>
          </p>
        </>
      ) : role === "assessor" ? (
        <p className="lede">Evidence to verify and report-writing submissions to mark will appear here as trainers submit them.</p>
      ) : (
        <>
          <p className="lede">Manage accounts and read the audit trail.</p>
          <ul className="cards cards--two">
            <li className="card">
              <h2>
                <Link to="/admin/users">Users and roles</Link>
              </h2>
              <p>Change a role, disable or re-enable an account.</p>
            </li>
            <li className="card">
              <h2>
                <Link to="/admin/audit">Audit trail</Link>
              </h2>
              <p>Every decision, who made it and when.</p>
            </li>
          </ul>
        </>
      )}
    </section>
  );
}
