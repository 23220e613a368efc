import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useFetcher, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { useState } from "react";
import { getAttemptForTrainer, saveAnswer, type AttemptQuestionView } from "~/assessment/attempts.server";
import { requireRole } from "~/auth/guards.server";
import { serverClock } from "~/utils/clock.server";
import { getDb } from "~/db.server";
import { QuestionFieldset } from "~/components/question";
import { readForm } from "~/utils/forms";
import { changesOnlyAnAnswer } from "~/utils/revalidation";

export const meta: MetaFunction = () => [{ title: "Assessment in progress · Approved Trainer Academy" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const result = await getAttemptForTrainer(getDb(), params.attemptId ?? "", user.id);
  if (!result.ok) throw new Response(result.message, { status: result.status });
  if (result.value.submitted) throw redirect(`/attempts/${result.value.id}/result`);
  return result.value;
}

/** An autosave changes only the answer the page already shows: the attempt is not reloaded after it. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) => (changesOnlyAnAnswer(formData) ? false : defaultShouldRevalidate);

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const form = await readForm(request);
  const result = await saveAnswer(
    getDb(),
    { attemptId: params.attemptId ?? "", userId: user.id, questionId: String(form.get("questionId") ?? ""), selected: form.getAll("option").map(String) },
    serverClock(),
  );
  if (!result.ok) return data({ ok: false as const, error: result.message, answered: null }, { status: result.status });
  return { ok: true as const, error: null, answered: result.value.answered };
}

function SavedQuestion({ question, total, onAnswered }: { question: AttemptQuestionView; total: number; onAnswered: (answered: boolean) => void }) {
  const fetcher = useFetcher<typeof action>();
  const [dirty, setDirty] = useState(false);
  const status =
    fetcher.state !== "idle" ? "Saving…" : fetcher.data?.ok === false ? null : fetcher.data?.ok ? "Answer saved" : question.selected.length > 0 ? "Answer saved" : dirty ? "" : "Not answered yet";
  return (
    <li className="attempt-question card" id={`q-${question.position}`}>
      {question.caseStudy ? (
        <div className="case-study">
          <p className="case-study__label">Case study: {question.caseStudy.title}</p>
          {question.caseStudy.text.map((p, i) => (
            <p key={i}>{p}</p>
          ))}
        </div>
      ) : null}
      <fetcher.Form method="post">
        <input type="hidden" name="questionId" value={question.id} />
        <QuestionFieldset
          question={question}
          name="option"
          selected={question.selected}
          legendPrefix={`Question ${question.position} of ${total}`}
          onChange={(selected) => {
            setDirty(true);
            onAnswered(selected.length > 0);
            const body = new FormData();
            body.set("questionId", question.id);
            for (const id of selected) body.append("option", id);
            fetcher.submit(body, { method: "post" });
          }}
        />
        <div className="attempt-question__footer">
          <noscript>
            <button type="submit" className="button button--small button--secondary">
              Save this answer
            </button>
          </noscript>
          <span className="save-status" aria-live="polite">
            {fetcher.data?.ok === false ? <span className="field__error">{fetcher.data.error}</span> : status}
          </span>
        </div>
      </fetcher.Form>
    </li>
  );
}

export default function TakeAttempt() {
  const attempt = useLoaderData<typeof loader>();
  const total = attempt.questions.length;
  // Which questions have an answer, as the trainer chooses (the server's copy on load).
  const [answered, setAnswered] = useState(() => new Set(attempt.questions.filter((q) => q.selected.length > 0).map((q) => q.id)));
  const mark = (id: string, isAnswered: boolean) =>
    setAnswered((current) => {
      const next = new Set(current);
      if (isAnswered) next.add(id);
      else next.delete(id);
      return next;
    });
  return (
    <section aria-labelledby="attempt-title" className="attempt">
      <p className="eyebrow">{attempt.moduleTitle}</p>
      <h1 id="attempt-title">End-of-module assessment</h1>
      <p>Your answers are saved as you choose them; you can leave and come back. You will review every answer before submitting. Pass mark: {attempt.passMark}%.</p>
      <nav className="question-nav card" aria-label="Questions">
        <p className="question-nav__count" aria-live="polite">
          Answered {answered.size} of {total}
        </p>
        <ol className="question-nav__list">
          {attempt.questions.map((q) => (
            <li key={q.id}>
              <a href={`#q-${q.position}`} className={answered.has(q.id) ? "question-nav__link question-nav__link--answered" : "question-nav__link"}>
                {q.position}
                <span className="visually-hidden">{answered.has(q.id) ? " (answered)" : " (not answered)"}</span>
              </a>
            </li>
          ))}
        </ol>
      </nav>
      <ol className="attempt-questions">
        {attempt.questions.map((q) => (
          <SavedQuestion key={q.id} question={q} total={total} onAnswered={(isAnswered) => mark(q.id, isAnswered)} />
        ))}
      </ol>
      <p>
        <Link className="button" to={`/attempts/${attempt.id}/review`}>
          Review my answers
        </Link>
      </p>
    </section>
  );
}
