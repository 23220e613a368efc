import { Link } from "@remix-run/react";
import type { ChecklistItem } from "./eligibility";

/**
 * The trainer's approval checklist on the dashboard: each item of the eligibility rule with its
 * label, whether it is done, the detail (what satisfied it, or why not) and a link to do it
 * ("Start", or what to do again). The first item not done is the dashboard's "Start here" step.
 */
export function ApprovalChecklist({ checklist }: { checklist: ChecklistItem[] }) {
  const done = checklist.filter((c) => c.done).length;
  return (
    <>
      <h2>Your approval checklist</h2>
      <p className="lede">
        A certificate is issued automatically the moment every item below is done. {done} of {checklist.length} done.
      </p>
      <progress className="checklist-progress" max={checklist.length} value={done} aria-label="Approval checklist progress" />
      <ol className="checklist" aria-label="Approval checklist">
        {checklist.map((item) => (
          <li key={item.key} className="checklist__item" data-item={item.key}>
            <span className={`status ${item.done ? "status--good" : "status--todo"}`}>{item.done ? "Done" : "To do"}</span>
            <div>
              <h3 className="checklist__title">{item.label}</h3>
              <p>{item.detail}</p>
              {item.done ? null : (
                <p>
                  <Link to={item.href} reloadDocument={item.href === "/agreement"}>
                    {item.action}
                    <span className="visually-hidden">: {item.label}</span>
                  </Link>
                </p>
              )}
            </div>
          </li>
        ))}
      </ol>
    </>
  );
}
