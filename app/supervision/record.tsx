/** A supervision record's sessions, as the trainer, the supervisor and admins read them (ADR 0026). */
import type { ReactNode } from "react";
import { formatDate, formatMoment } from "~/utils/dates";
import { MODES, TOPICS, type Topic } from "./validation";

export interface SessionView {
  id: number;
  heldOn: string;
  mode: string;
  topics: Topic[];
  summary: string;
  nextDueOn: string;
  confirmedAt: string | null;
  supervisorName: string;
  actions: { description: string; dueOn: string }[];
}

export function SessionList({ sessions, confirm }: { sessions: SessionView[]; confirm?: (sessionId: number) => ReactNode }) {
  if (sessions.length === 0) return <p>No sessions recorded yet.</p>;
  return (
    <ol className="plain-list stack" aria-label="Sessions, newest first">
      {sessions.map((s) => (
        <li key={s.id} className="card" data-session={s.heldOn}>
          <h3>
            Session on {formatDate(s.heldOn)} ({MODES[s.mode as keyof typeof MODES] ?? s.mode})
          </h3>
          <dl className="facts">
            <dt>Supervisor</dt>
            <dd>{s.supervisorName}</dd>
            <dt>Topics</dt>
            <dd>{s.topics.map((t) => TOPICS[t] ?? t).join("; ")}</dd>
            <dt>Summary</dt>
            <dd className="register-entry__profile">{s.summary}</dd>
            <dt>Agreed actions</dt>
            <dd>
              {s.actions.length === 0 ? (
                "None"
              ) : (
                <ul>
                  {s.actions.map((a, i) => (
                    <li key={i}>
                      {a.description} (due {formatDate(a.dueOn)})
                    </li>
                  ))}
                </ul>
              )}
            </dd>
            <dt>Next session due</dt>
            <dd>{formatDate(s.nextDueOn)}</dd>
            <dt>Confirmed by the trainer</dt>
            <dd>{s.confirmedAt ? formatMoment(s.confirmedAt) : "Not yet"}</dd>
          </dl>
          {!s.confirmedAt && confirm ? confirm(s.id) : null}
        </li>
      ))}
    </ol>
  );
}
