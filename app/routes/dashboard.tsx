import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireUser } from "~/auth/guards.server";
import { Notice } from "~/components/form";
import { ModuleStateBadge } from "~/components/module-state";
import { serverClock } from "~/utils/clock.server";
import { getDb } from "~/db.server";
import { getModuleProgress } from "~/learning/progress.server";
import { evaluateEligibility } from "~/certificates/eligibility";
import { ApprovalChecklist } from "~/certificates/checklist";
import { loadTrainerFacts } from "~/certificates/facts.server";
import { getTrainerCertificate } from "~/certificates/admin.server";
import { formatDate, ukToday } from "~/utils/dates";
import { ReportTaskStep } from "~/marking/dashboard-item";
import { getReportTaskSummary } from "~/marking/submissions.server";
import { getStaffWork, type QueueSummary, type StaffWork } from "~/staff/work.server";
import { reacceptanceNotice } from "~/agreement/reacceptance.server";
import { supervisionDashboard } from "~/supervision/supervision.server";
import { SupervisionPanel } from "~/supervision/panel";
import { concernsAboutTrainer } from "~/concerns/concerns.server";
import { ConcernsAboutYou } from "~/concerns/panel";
import { ADMIN_SETTINGS } from "~/navigation";

export const meta: MetaFunction = () => [{ title: "Dashboard · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (user.role !== "trainer") {
    const [work, supervision] = await Promise.all([getStaffWork(getDb(), user.role, serverClock()), supervisionDashboard(getDb(), user, serverClock())]);
    return { name: user.name, role: user.role, modules: [], checklist: [], certificate: null, reportTask: null, work, reacceptance: null, supervision, concerns: [] };
  }
  const db = getDb();
  const now = serverClock();
  const [modules, facts, certificate, reportTask, reacceptance, supervision, concerns] = await Promise.all([
    getModuleProgress(db, user.id, now),
    loadTrainerFacts(db, user.id),
    getTrainerCertificate(db, user.id, now),
    getReportTaskSummary(db, user.id),
    reacceptanceNotice(db, user.id, now),
    supervisionDashboard(db, user, now),
    concernsAboutTrainer(db, user.id),
  ]);
  const eligibility = evaluateEligibility(facts, ukToday(now));
  return { name: user.name, role: user.role, modules, checklist: eligibility.checklist, certificate, reportTask, work: null, reacceptance, supervision, concerns };
}


export default function Dashboard() {
  const { name, role, modules, checklist, certificate, reportTask, work, reacceptance, supervision, concerns } = useLoaderData<typeof loader>();
  const passed = modules.filter((m) => m.state === "passed").length;
  // One clear next step: the first checklist item not done (nothing when certified).
  const nextStep = certificate ? null : (checklist.find((c) => !c.done) ?? null);
  const [params] = useSearchParams();
  return (
    <section aria-labelledby="dashboard-title">
      <h1 id="dashboard-title">Welcome, {name}</h1>
      {params.get("welcome") === "1" ? <Notice>Your account has been created.</Notice> : null}
      {params.get("certified") === "1" ? <Notice>Congratulations: you are now a Medical-Legal Approved Trainer. Your certificate is below.</Notice> : null}
      {params.get("accepted") === "1" ? <Notice>Thank you: your acceptance of the agreement has been recorded.</Notice> : null}
      {role === "trainer" ? (
        <>
          {reacceptance ? (
            <section className={`alert ${reacceptance.overdue ? "alert--error" : "alert--info"}`} aria-labelledby="reacceptance-title">
              <h2 id="reacceptance-title">{reacceptance.overdue ? "Your certificate is suspended: agreement not accepted" : "A new version of the agreement to accept"}</h2>
              {reacceptance.overdue ? (
                <p>
                  Version {reacceptance.label} of the scope of practice and communication agreement was published on {formatDate(reacceptance.publishedOn)}, and the time to accept it
                  ended on {formatDate(reacceptance.acceptBy)}. Your certificate reads “Suspended — agreement not accepted” until you accept it.
                </p>
              ) : (
                <p>
                  Version {reacceptance.label} of the scope of practice and communication agreement was published on {formatDate(reacceptance.publishedOn)}. Read and accept it by{" "}
                  {formatDate(reacceptance.acceptBy)}. Until then your certificate stays valid, with the scope you accepted; after that it reads “Suspended — agreement not
                  accepted” until you accept.
                </p>
              )}
              <p>
                <Link to="/agreement" reloadDocument className="button">
                  Read and accept the new agreement
                </Link>
              </p>
            </section>
          ) : null}
          <ConcernsAboutYou concerns={concerns} />
          <SupervisionPanel data={supervision} />
          {certificate ? (
            <section className={`card certificate-card certificate-card--${certificate.live.status}`} aria-labelledby="certificate-title">
              <h2 id="certificate-title">Your Approved Trainer certificate</h2>
              <p className="certificate-card__status">
                Status: <strong>{certificate.live.status === "valid" ? "Valid" : `${certificate.live.status[0]!.toUpperCase()}${certificate.live.status.slice(1)}`}</strong>
                {certificate.live.reason && certificate.live.status !== "valid" ? ` — ${certificate.live.reason}` : ""}
              </p>
              <p>
                Issued {formatDate(certificate.issuedAt)} · expires {formatDate(certificate.expiresOn)} ({certificate.expiryBasis})
              </p>
              <p className="inline-form">
                <a className="button" href={`/certificates/${certificate.id}/pdf`} download>
                  Download the PDF certificate
                </a>
                <a className="button button--secondary" href={`/verify/${certificate.id}/credential`} download>
                  Download the signed credential (Open Badges)
                </a>
                <a className="button button--secondary" href={`/verify/${certificate.id}`}>
                  Public verification page
                </a>
              </p>
              <p>
                <Link to="/register/your-listing">Your listing on the public register</Link>: choose whether case managers and solicitors can find you there.
              </p>
              <p>
                <Link to="/oversight-report">Your oversight report</Link>: see what a commissioner would receive (certificate history, training, supervision dates) and send it to them.
              </p>
            </section>
          ) : null}
          {nextStep ? (
            <section className="card start-here" aria-labelledby="start-here-title">
              <h2 id="start-here-title">{checklist.some((c) => c.done) || modules.some((m) => m.state !== "not-started") ? "Your next step" : "Start here"}</h2>
              <p>
                <strong>{nextStep.label}.</strong> {nextStep.detail}
              </p>
              <p>
                <Link className="button" to={nextStep.href} reloadDocument={nextStep.href === "/agreement"}>
                  {nextStep.action}
                  <span className="visually-hidden">: {nextStep.label}</span>
                </Link>
              </p>
            </section>
          ) : null}
          <ApprovalChecklist checklist={checklist} />
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
                      ? `Passed on ${formatDate(m.passedAt!)} with ${m.passedPercent}%, module version ${m.passedVersion}.${m.refresherDue ? " The annual refresher is open: retake the assessment to stay approved." : ""}`
                      : `${m.sectionsDone} of ${m.sectionsTotal} sections complete.${m.retakeMessage && !m.canStartAttempt ? ` ${m.retakeMessage}` : ""}`}
                  </p>
                </div>
              </li>
            ))}
          </ol>
          {reportTask ? (
            <>
              <h2>Report-writing task</h2>
              <ol className="checklist">
                <ReportTaskStep state={reportTask.state} date={reportTask.date} />
              </ol>
            </>
          ) : null}
        </>
      ) : work ? (
        <>
          <SupervisionPanel data={supervision} />
          <StaffDashboard admin={role === "admin"} work={work} />
        </>
      ) : null}
    </section>
  );
}

/** "3 waiting, the oldest for 2 days", or "Nothing waiting": each queue's count and its oldest item's age. */
function QueueLine({ summary, what }: { summary: QueueSummary; what: string }) {
  if (summary.count === 0) return <>Nothing {what}.</>;
  return (
    <>
      <strong>{summary.count.toLocaleString("en-GB")}</strong> {what}, the oldest for {summary.oldestAge}.
    </>
  );
}

function StaffDashboard({ admin, work }: { admin: boolean; work: StaffWork }) {
  return (
    <>
      <p className="lede">{admin ? "Governance of the framework: approvals, evidence, policy and the audit trail." : "What is waiting for you, oldest first in each queue."}</p>
      <ul className="cards cards--two" aria-label="Queues">
        <li className="card" data-queue="evidence">
          <h2>
            <Link to="/assessor/verification">Evidence to verify</Link>
          </h2>
          <p>
            <QueueLine summary={work.evidence} what="waiting" />
          </p>
        </li>
        <li className="card" data-queue="marking">
          <h2>
            <Link to="/marking">Report-writing submissions</Link>
          </h2>
          <ul className="plain-list">
            <li>
              <Link to="/marking?queue=mark">To mark</Link>: <QueueLine summary={work.toMark} what="waiting" />
            </li>
            <li>
              <Link to="/marking?queue=moderate">To moderate</Link>: <QueueLine summary={work.toModerate} what="waiting" />
            </li>
            {admin || work.disputed.count > 0 ? (
              <li>
                <Link to="/marking?queue=disputed">Disagreements to resolve</Link>: <QueueLine summary={work.disputed} what="waiting" />
              </li>
            ) : null}
          </ul>
        </li>
        {admin && work.dbs ? (
          <li className="card" data-queue="dbs">
            <h2>
              <Link to="/admin/dbs">DBS checks</Link>
            </h2>
            <p>
              <QueueLine summary={work.dbs} what="awaiting a decision" />
            </p>
          </li>
        ) : null}
        {admin ? (
          <li className="card" data-queue="certificates">
            <h2>
              <Link to="/admin/certificates">Certificates</Link>
            </h2>
            <p>
              <Link to="/admin/certificates?expiring=30">
                {work.expiringIn30Days === 1 ? "1 valid certificate expires" : `${(work.expiringIn30Days ?? 0).toLocaleString("en-GB")} valid certificates expire`} in the next 30 days
              </Link>
              . Suspend, reinstate or revoke with a reason.
            </p>
          </li>
        ) : null}
        {admin ? (
          <>
            <li className="card">
              <h2>
                <Link to="/admin/users">Users and roles</Link>
              </h2>
              <p>Find an account, change a role, disable or re-enable it.</p>
            </li>
            <li className="card">
              <h2>
                <Link to="/admin/audit">Audit trail</Link>
              </h2>
              <p>Every decision, who made it and when.</p>
            </li>
            <li className="card">
              <h2>
                <Link to="/admin/concerns">Concerns</Link>
              </h2>
              <p>Concerns about approved trainers: triage, notes, actions, outcome.</p>
            </li>
            <li className="card">
              <h2>
                <Link to="/admin/settings">Settings</Link>
              </h2>
              <p>{ADMIN_SETTINGS.map((page) => page.label).join(", ")}.</p>
            </li>
          </>
        ) : null}
      </ul>
    </>
  );
}
