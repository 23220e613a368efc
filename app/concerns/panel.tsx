/** What a trainer's dashboard says about concerns raised about them (ADR 0030): that one exists, and its outcome. */
import { formatDate } from "~/utils/dates";

export interface ConcernAboutYouView {
  category: string;
  openedOn: string;
  status: "open" | "closed";
  outcome: string | null;
  closedAt: string | null;
  raisedBy: string | null;
}

export function ConcernsAboutYou({ concerns }: { concerns: ConcernAboutYouView[] }) {
  if (concerns.length === 0) return null;
  const open = concerns.some((c) => c.status === "open");
  return (
    <section className={`card${open ? " alert alert--info" : ""}`} aria-labelledby="concerns-about-you-title">
      <h2 id="concerns-about-you-title">Concerns about your practice</h2>
      <p>
        The academy tells you when a concern is raised about your practice and what was decided.{" "}
        {concerns.some((c) => c.raisedBy) ? "Academy policy is to tell you who raised it." : "Who raised it is not shared."}
      </p>
      <ul className="plain-list stack">
        {concerns.map((c, i) => (
          <li key={i}>
            A concern about {c.category}, received {formatDate(c.openedOn)}
            {c.raisedBy ? `, raised by ${c.raisedBy}` : ""}:{" "}
            {c.status === "open" ? (
              <strong>being looked into by the governance team</strong>
            ) : (
              <>
                <strong>closed {formatDate(c.closedAt)}</strong>. Outcome: <span className="register-entry__profile">{c.outcome}</span>
              </>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
