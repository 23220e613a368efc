import { useFetcher } from "@remix-run/react";
import type { PublicQuestion } from "~/content/types";
import { QuestionFieldset } from "~/components/question";

/** What grading a knowledge check returns: the key only after the trainer has answered. */
export interface CheckResponse {
  error?: string;
  correct?: boolean;
  correctOptionIds?: string[];
  explanation?: string[];
}

/** A knowledge check's answer as the lesson action returns it (to the fetcher, or to the page without JavaScript). */
export interface CheckReply extends CheckResponse {
  questionId: string;
  selected: string[];
}

/**
 * A knowledge check in a lesson: the one interactive island between the section's pre-rendered
 * HTML (ADR 0041). It posts to the lesson itself (`intent=check`): without JavaScript a plain form
 * post, answered with the whole page and this check's feedback (`reply`); with it, a fetcher, and
 * only the feedback changes.
 */
export function KnowledgeCheck({ question, action, reply }: { question: PublicQuestion; action: string; reply?: CheckReply }) {
  const fetcher = useFetcher<CheckReply>();
  const result = fetcher.data ?? (reply?.questionId === question.id ? reply : undefined);
  return (
    <section className="knowledge-check" aria-label="Knowledge check">
      <p className="knowledge-check__label">Knowledge check</p>
      <fetcher.Form method="post" action={action} preventScrollReset>
        <input type="hidden" name="intent" value="check" />
        <input type="hidden" name="questionId" value={question.id} />
        <QuestionFieldset
          question={question}
          name="option"
          selected={result?.selected}
          reveal={result?.correctOptionIds ? { correctOptionIds: result.correctOptionIds } : undefined}
        />
        <button type="submit" className="button button--small" disabled={fetcher.state !== "idle"}>
          {fetcher.state !== "idle" ? "Checking…" : "Check my answer"}
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
      </fetcher.Form>
    </section>
  );
}

