import { Link } from "@remix-run/react";
import type { ReportTaskState } from "./submissions.server";
import { formatDate } from "~/utils/dates";

const STATES: Record<ReportTaskState, { badge: string; className: string; text: string; link: string }> = {
  locked: { badge: "Not started", className: "status--todo", text: "Opens when you pass the report-writing module's assessment.", link: "Read about the task" },
  "not-started": { badge: "Not started", className: "status--todo", text: "Write a progress report from a case scenario, marked by an assessor.", link: "Start the task" },
  draft: { badge: "Draft", className: "status--info", text: "Your draft is saved. Submit it when it is ready.", link: "Continue your report" },
  submitted: { badge: "Submitted", className: "status--info", text: "Waiting for an assessor to mark it.", link: "See your submission" },
  "in-marking": { badge: "In marking", className: "status--info", text: "An assessor is marking your report.", link: "See your submission" },
  referred: { badge: "Referred", className: "status--bad", text: "Read the feedback and submit a new version.", link: "See the feedback" },
  passed: { badge: "Passed", className: "status--good", text: "", link: "See the feedback" },
};

/** The dashboard's "Report-writing task" checklist item, showing where the trainer is. */
export function ReportTaskStep({ state, date }: { state: ReportTaskState; date: string | null }) {
  const s = STATES[state];
  const when = date ? formatDate(date) : null;
  return (
    <li className="checklist__item" data-step="report-task">
      <span className={`status ${s.className}`}>{s.badge}</span>
      <div>
        <h3 className="checklist__title">
          <Link to="/report-task">Report-writing task</Link>
        </h3>
        <p>
          {state === "passed" ? `Passed on ${when}.` : s.text}
          {state === "submitted" && when ? ` Submitted on ${when}.` : ""} <Link to="/report-task">{s.link}</Link>
        </p>
      </div>
    </li>
  );
}
