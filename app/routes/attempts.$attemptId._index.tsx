import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useRef, useState } from "react";
import { getAttemptForTrainer, saveAnswer, type AttemptQuestionView } from "~/assessment/attempts.server";
import { requireRole } from "~/auth/guards.server";
import { serverClock } from "~/utils/clock.server";
import { getDb } from "~/db.server";
import { QuestionFieldset } from "~/components/question";
import { readForm } from "~/utils/forms";
import { answerSavePath, type AnswerSaveReply } from "~/assessment/answer-save";

export const meta: MetaFunction = () => [{ title: "Assessment in progress · Approved Trainer Academy" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const result = await getAttemptForTrainer(getDb(), params.attemptId ?? "", user.id);
  if (!result.ok) throw new Response(result.message, { status: result.status });
  if (result.value.submitted) throw redirect(`/attempts/${result.value.id}/result`);
  return result.value;
}

/** A choice posted without JavaScript (the question's "Save this answer" button); with it, the page saves through the autosave endpoint (ADR 0050). */
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

/**
 * Saves one question's choice through the autosave endpoint (ADR 0050), one save at a time: a
 * choice made while a save is on its way is sent when that one is answered (only the latest), so
 * saves of one question never overtake each other. Signed out, the page goes to sign in.
 */
function useAnswerSaver(attemptId: string, questionId: string) {
  const [saving, setSaving] = useState(false);
  const [reply, setReply] = useState<AnswerSaveReply | null>(null);
  const queue = useRef<{ running: boolean; next: string[] | null }>({ running: false, next: null });
  const send = async (selected: string[]): Promise<AnswerSaveReply> => {
    const body = new URLSearchParams({ questionId });
    for (const id of selected) body.append("option", id);
    try {
      const response = await fetch(answerSavePath(attemptId), { method: "POST", body, headers: { Accept: "application/json" } });
      return (await response.json()) as AnswerSaveReply;
    } catch {
      return { ok: false, error: "Not saved: the connection failed. Choose your answer again to retry.", answered: null };
    }
  };
  const save = async (selected: string[]) => {
    const q = queue.current;
    q.next = selected;
    if (q.running) return;
    q.running = true;
    setSaving(true);
    while (q.next !== null) {
      const next: string[] = q.next;
      q.next = null;
      const result = await send(next);
      if (!result.ok && result.signIn) return window.location.assign(result.signIn);
      setReply(result);
    }
    q.running = false;
    setSaving(false);
  };
  return { saving, reply, save };
}

function SavedQuestion({ attemptId, question, total, onAnswered }: { attemptId: string; question: AttemptQuestionView; total: number; onAnswered: (answered: boolean) => void }) {
  const saver = useAnswerSaver(attemptId, question.id);
  const [dirty, setDirty] = useState(false);
  const status = saver.saving ? "Saving…" : saver.reply?.ok === false ? null : saver.reply?.ok ? "Answer saved" : question.selected.length > 0 ? "Answer saved" : dirty ? "" : "Not answered yet";
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
      <form
        method="post"
        onSubmit={(event) => {
          event.preventDefault();
          void saver.save(new FormData(event.currentTarget).getAll("option").map(String));
        }}
      >
        <input type="hidden" name="questionId" value={question.id} />
        <QuestionFieldset
          question={question}
          name="option"
          selected={question.selected}
          legendPrefix={`Question ${question.position} of ${total}`}
          onChange={(selected) => {
            setDirty(true);
            onAnswered(selected.length > 0);
            void saver.save(selected);
          }}
        />
        <div className="attempt-question__footer">
          <noscript>
            <button type="submit" className="button button--small button--secondary">
              Save this answer
            </button>
          </noscript>
          <span className="save-status" aria-live="polite">
            {saver.reply?.ok === false ? <span className="field__error">{saver.reply.error}</span> : status}
          </span>
        </div>
      </form>
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
          <SavedQuestion key={q.id} attemptId={attempt.id} question={q} total={total} onAnswered={(isAnswered) => mark(q.id, isAnswered)} />
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
