/**
 * The supervision flag on each dashboard (ADR 0026): the trainer's own next session and whether
 * it is due or overdue; a supervisor's caseload, due and overdue first; for admins every overdue
 * supervision and the certified trainers who have no supervisor.
 */
import { Link } from "@remix-run/react";
import { formatDate } from "~/utils/dates";
import type { SupervisionState } from "./standing";

interface Row {
  trainerId: number;
  trainerName: string;
  supervisorName: string;
  nextDueOn: string;
  state: SupervisionState;
  unconfirmed: number;
}

export type SupervisionPanelData =
  | { role: "trainer"; own: (Row & { overdueFrom: string }) | null; suspendsWhenOverdue: boolean }
  | { role: "assessor"; caseload: Row[] }
  | { role: "admin"; overdue: Row[]; overdueCount: number; unassignedCertified: number };

const STATE_LABELS: Record<SupervisionState, string> = { unassigned: "No supervisor", scheduled: "Scheduled", due: "Due now", overdue: "Overdue" };

export function SupervisionStateBadge({ state }: { state: SupervisionState }) {
  return <strong data-state={state}>({STATE_LABELS[state]})</strong>;
}

export function SupervisionPanel({ data }: { data: SupervisionPanelData }) {
  if (data.role === "trainer") {
    const own = data.own;
    if (!own) return null;
    const flagged = own.state === "overdue" || own.state === "due";
    return (
      <section className={`card ${own.state === "overdue" ? "alert alert--error" : flagged ? "alert alert--info" : ""}`} aria-labelledby="supervision-title" data-supervision={own.state}>
        <h2 id="supervision-title">{own.state === "overdue" ? "Your supervision is overdue" : "Supervision"}</h2>
        <p>
          Supervisor: {own.supervisorName}. Next session due by <strong>{formatDate(own.nextDueOn)}</strong> <SupervisionStateBadge state={own.state} />
        </p>
        {own.state === "overdue" ? (
          <p>
            {data.suspendsWhenOverdue
              ? "Under the academy's policy your certificate reads “Suspended — supervision overdue” until your supervisor records a session."
              : "Arrange a session with your supervisor as soon as you can."}
          </p>
        ) : own.state === "due" ? (
          <p>It becomes overdue on {formatDate(own.overdueFrom)}. Arrange a session with your supervisor.</p>
        ) : null}
        {own.unconfirmed > 0 ? <p>{own.unconfirmed === 1 ? "1 session is" : `${own.unconfirmed} sessions are`} waiting for you to confirm.</p> : null}
        <p>
          <Link to="/supervision">Your supervision record</Link>
        </p>
      </section>
    );
  }
  if (data.role === "assessor") {
    if (data.caseload.length === 0) return null;
    const attention = data.caseload.filter((r) => r.state === "overdue" || r.state === "due").length;
    return (
      <section className="card" aria-labelledby="supervision-title">
        <h2 id="supervision-title">Trainers you supervise</h2>
        <p>{attention === 0 ? "No session is due yet." : `${attention} need${attention === 1 ? "s" : ""} a session now.`}</p>
        <SupervisionTable rows={data.caseload} showSupervisor={false} caption="Trainers you supervise" />
      </section>
    );
  }
  return (
    <section className="card" aria-labelledby="supervision-title" data-supervision-overdue={data.overdueCount}>
      <h2 id="supervision-title">Supervision</h2>
      <p>
        {data.overdueCount === 0 ? "No supervision is overdue." : `${data.overdueCount.toLocaleString("en-GB")} overdue.`}{" "}
        {data.unassignedCertified > 0 ? (
          <>
            {data.unassignedCertified.toLocaleString("en-GB")} certified trainer{data.unassignedCertified === 1 ? " has" : "s have"} no supervisor: assign one from the trainer&rsquo;s page (
            <Link to="/trainers">Trainers</Link>).
          </>
        ) : null}
      </p>
      {data.overdue.length > 0 ? <SupervisionTable rows={data.overdue} showSupervisor caption="Overdue supervision" /> : null}
    </section>
  );
}

function SupervisionTable({ rows, showSupervisor, caption }: { rows: Row[]; showSupervisor: boolean; caption: string }) {
  return (
    <div className="table-wrap" role="region" aria-label={caption} tabIndex={0}>
    <table className="cert-table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Trainer</th>
          {showSupervisor ? <th scope="col">Supervisor</th> : null}
          <th scope="col">Next session due</th>
          <th scope="col">State</th>
          <th scope="col">Awaiting the trainer&rsquo;s confirmation</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.trainerId} data-trainer={r.trainerName}>
            <td>
              <Link to={`/supervision/${r.trainerId}`}>{r.trainerName}</Link>
            </td>
            {showSupervisor ? <td>{r.supervisorName}</td> : null}
            <td>{formatDate(r.nextDueOn)}</td>
            <td>
              <SupervisionStateBadge state={r.state} />
            </td>
            <td>{r.unconfirmed}</td>
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}
