import { useState, type FormEvent } from "react";
import type { CheckReply, PublicQuestion } from "~/content/types";
import { QuestionFieldset } from "~/components/question";

/** Where a knowledge check's answer is graded as JSON for the island: the lesson's `check` resource route. */
function checkEndpoint(lesson: string): string {
  return `${lesson}/check`;
}

/** What the island needs to hydrate one check: the same props the server rendered it with. */
export interface KnowledgeCheckProps {
  question: PublicQuestion;
  /** The lesson's own URL: the form's action without JavaScript. */
  action: string;
  /** This check's feedback after a post without JavaScript. */
  reply?: CheckReply;
}

/**
 * A knowledge check in a lesson: the one interactive island between the section's pre-rendered
 * HTML (ADR 0041, ADR 0047). Without JavaScript it is a plain form post to the lesson itself
 * (`intent=check`), answered with the whole page and this check's feedback (`reply`). With
 * JavaScript the answer goes to the lesson's `check` route as a `fetch` and only the feedback
 * changes; the same component works hydrated on its own (the lesson island, no Remix runtime) or
 * inside the Remix app (a client-side navigation into a lesson).
 */
export function KnowledgeCheck({ question, action, reply }: KnowledgeCheckProps) {
  const [result, setResult] = useState<CheckReply | undefined>(reply?.questionId === question.id ? reply : undefined);
  const [busy, setBusy] = useState(false);

  async function check(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    setBusy(true);
    try {
      const response = await fetch(checkEndpoint(action), {
        method: "POST",
        body: new URLSearchParams(new FormData(form) as unknown as Record<string, string>),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      // Anything but the reply (signed out: the sign-in page) is for the page to show: post it plainly.
      if (!response.headers.get("Content-Type")?.startsWith("application/json")) return form.submit();
      setResult((await response.json()) as CheckReply);
    } catch {
      setResult({ questionId: question.id, selected: [], error: "Your answer could not be sent. Check your connection and try again." });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="knowledge-check" aria-label="Knowledge check">
      <p className="knowledge-check__label">Knowledge check</p>
      <form method="post" action={action} onSubmit={check}>
        <input type="hidden" name="intent" value="check" />
        <input type="hidden" name="questionId" value={question.id} />
        <QuestionFieldset
          question={question}
          name="option"
          selected={result?.selected}
          reveal={result?.correctOptionIds ? { correctOptionIds: result.correctOptionIds } : undefined}
        />
        <button type="submit" className="button button--small" disabled={busy}>
          {busy ? "Checking…" : "Check my answer"}
        </button>
        <div aria-live="polite" className="knowledge-check__feedback">
          {result?.error ? <p className="field__error">{result.error}</p> : null}
          {result?.correct !== undefined ? (
            <div className={`alert ${result.correct ? "alert--success" : "alert--info"}`}>
              <p>
                <strong>{result.correct ? "Correct." : "Not quite."}</strong>
              </p>
              {result.explanation?.map((p) => <p key={p}>{p}</p>)}
            </div>
          ) : null}
        </div>
      </form>
    </section>
  );
}

/**
 * The element the lesson island hydrates: the check, and its props as JSON in an attribute (the
 * question as the page shows it, options in this view's order; never the key).
 */
export function KnowledgeCheckIsland(props: KnowledgeCheckProps) {
  return (
    <div data-island="knowledge-check" data-props={JSON.stringify(props)}>
      <KnowledgeCheck {...props} />
    </div>
  );
}
