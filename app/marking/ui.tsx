import type { ReportTaskDefinition, RubricCriterion } from "~/content/types";
import { MarkdownLite } from "./markdown-lite";
import { formatMoment } from "~/utils/dates";

/** A moment in marking pages: the one style (app/utils/dates.ts). */
export const formatDateTime = formatMoment;

/** The case scenario and instructions, from the content build (headings start at `level`). */
export function TaskScenario({ task, level = 2, idPrefix = "task" }: { task: ReportTaskDefinition; level?: 2 | 3; idPrefix?: string }) {
  const H = `h${level}` as "h2" | "h3";
  const parts: [string, string, string][] = [
    ["case", "Case history", task.caseHistory],
    ["goals", "Goals agreed by the team", task.mdtGoals],
    ["notes", "Session notes", task.sessionNotes],
    ["instructions", "What to write", task.instructions],
  ];
  return (
    <div className="task-scenario">
      {parts.map(([id, title, text]) => (
        <section key={id} aria-labelledby={`${idPrefix}-${id}`}>
          <H id={`${idPrefix}-${id}`}>{title}</H>
          <MarkdownLite text={text} headingLevel={level + 1} />
        </section>
      ))}
    </div>
  );
}

/** The rubric as a reference list: each criterion, whether it must be met, and its levels. */
export function RubricReference({ rubric, level = 3 }: { rubric: RubricCriterion[]; level?: 2 | 3 }) {
  const H = `h${level}` as "h2" | "h3";
  return (
    <div className="rubric">
      {rubric.map((c) => (
        <section key={c.id} className="rubric__criterion">
          <H>
            {c.title} {c.mustMeet ? <span className="status status--warn">Must be met to pass</span> : null}
          </H>
          <dl className="facts">
            {c.levels.map((l) => (
              <div className="facts__row" key={l.id}>
                <dt>{l.label}</dt>
                <dd>{l.descriptor}</dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </div>
  );
}

export function OutcomeBadge({ outcome }: { outcome: "pass" | "refer" }) {
  return outcome === "pass" ? <span className="status status--good">Pass</span> : <span className="status status--bad">Refer</span>;
}

export interface CriterionResultRow {
  id: string;
  title: string;
  mustMeet: boolean;
  /** The level's label, or null when the criterion was not judged. */
  level: string | null;
  met: boolean | null;
  comment: string;
}

/** One mark's per-criterion levels and comments, for staff and (once released) the trainer. */
export function CriteriaTable({ rows }: { rows: CriterionResultRow[] }) {
  return (
    <div className="table-wrap" role="region" aria-label="Marks by criterion" tabIndex={0}>
      <table>
        <thead>
          <tr>
            <th scope="col">Criterion</th>
            <th scope="col">Level</th>
            <th scope="col">Comment</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.id} data-criterion={c.id}>
              <th scope="row">
                {c.title}
                {c.mustMeet ? <span className="muted"> (must be met)</span> : null}
              </th>
              <td>
                {/* The level, and whether it meets the criterion, said once: a level called "Met" needs no "Met" badge beside it. */}
                {c.met === null ? "—" : null}
                {c.level !== null && c.level.toLowerCase() !== (c.met ? "met" : "not met") ? `${c.level} ` : null}
                {c.met === null ? null : <span className={`status ${c.met ? "status--good" : "status--bad"}`}>{c.met ? "Met" : "Not met"}</span>}
              </td>
              <td className="pre-wrap">{c.comment || "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Per-criterion levels and comments of one mark, in rubric order. */
export function CriteriaResult({ rubric, criteria }: { rubric: RubricCriterion[]; criteria: { criterionId: string; levelId: string; met: boolean; comment: string }[] }) {
  const rows = rubric.map((c): CriterionResultRow => {
    const judged = criteria.find((j) => j.criterionId === c.id);
    const level = c.levels.find((l) => l.id === judged?.levelId);
    return { id: c.id, title: c.title, mustMeet: c.mustMeet, level: level?.label ?? null, met: judged ? judged.met : null, comment: judged?.comment ?? "" };
  });
  return <CriteriaTable rows={rows} />;
}
