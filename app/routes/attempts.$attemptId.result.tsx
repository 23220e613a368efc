import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getAttemptResult } from "~/assessment/attempts.server";
import { requireUser } from "~/auth/guards.server";
import { getDb } from "~/db.server";
import { QuestionFieldset } from "~/components/question";
import { formatMoment } from "~/utils/dates";

export const meta: MetaFunction = () => [{ title: "Assessment result · Approved Trainer Academy" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const result = await getAttemptResult(getDb(), params.attemptId ?? "", user);
  if (!result.ok) throw new Response(result.message, { status: result.status });
  return { result: result.value, ownAttempt: user.role === "trainer" };
}

export default function AttemptResult() {
  const { result, ownAttempt } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="result-title" className="attempt">
      <p className="eyebrow">{result.moduleTitle}</p>
      <h1 id="result-title">{result.passed ? "You passed the assessment" : "You did not pass this time"}</h1>
      {!ownAttempt ? <p>Trainer: {result.trainerName}</p> : null}
      <div className={`result-banner ${result.passed ? "result-banner--pass" : "result-banner--fail"}`}>
        <p className="result-banner__score">
          {result.score} of {result.total} correct ({result.percent}%)
        </p>
        <p>
          Pass mark {result.passMark}% · {result.passed ? "Passed" : "Not passed"} · module version <code>{result.versionHash.slice(0, 8)}</code> · submitted{" "}
          {formatMoment(result.submittedAt)}
        </p>
      </div>
      {ownAttempt ? (
        <p>
          <Link to={`/modules/${result.moduleSlug}/assessment`}>Back to the assessment page</Link> · <Link to="/dashboard">Your dashboard</Link>
        </p>
      ) : null}
      <h2>Feedback on each question</h2>
      <ol className="attempt-questions">
        {result.questions.map((q) => (
          <li key={q.id} className={`card attempt-question ${q.correct ? "attempt-question--right" : "attempt-question--wrong"}`}>
            {q.caseStudy ? (
              <div className="case-study">
                <p className="case-study__label">Case study: {q.caseStudy.title}</p>
                {q.caseStudy.text.map((p, i) => (
                  <p key={i}>{p}</p>
                ))}
              </div>
            ) : null}
            <form aria-label={`Question ${q.position} feedback`}>
              <QuestionFieldset question={q} name={`q${q.position}`} selected={q.selected} disabled reveal={{ correctOptionIds: q.correctOptionIds }} legendPrefix={`Question ${q.position}`} />
            </form>
            <p>
              <span className={`status ${q.correct ? "status--good" : "status--bad"}`}>{q.correct ? "Correct" : q.selected.length === 0 ? "Not answered" : "Incorrect"}</span>
            </p>
            <div className="explanation">
              <p className="explanation__label">Explanation</p>
              {q.explanation.map((p, i) => (
                <p key={i}>{p}</p>
              ))}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
