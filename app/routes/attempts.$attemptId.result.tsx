import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { describeRetakeDecision, getAttemptResult, getRetakeDecision } from "~/assessment/attempts.server";
import { getModule } from "~/content/catalog.server";
import { getModuleProgress } from "~/learning/progress.server";
import { serverClock } from "~/utils/clock.server";
import { requireUser } from "~/auth/guards.server";
import { getDb } from "~/db.server";
import { QuestionFieldset } from "~/components/question";
import { formatMoment } from "~/utils/dates";

export const meta: MetaFunction = () => [{ title: "Assessment result · Approved Trainer Academy" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = getDb();
  const result = await getAttemptResult(db, params.attemptId ?? "", user);
  if (!result.ok) throw new Response(result.message, { status: result.status });
  const ownAttempt = user.role === "trainer";
  const value = result.value;
  const now = serverClock();
  // What to do next: after a fail, when the retake opens and which sections to read again; after a pass, the next module.
  const module = getModule(value.moduleSlug);
  const missedSectionIds = [...new Set(value.questions.filter((q) => !q.correct && q.section).map((q) => q.section!))];
  const missedSections = missedSectionIds.flatMap((id) => {
    const section = module?.sections.find((s) => s.id === id);
    return section ? [{ id: section.id, title: section.title }] : [];
  });
  const retake = ownAttempt && !value.passed ? describeRetakeDecision(await getRetakeDecision(db, user.id, value.moduleSlug, now)) : null;
  const nextModule = ownAttempt && value.passed ? ((await getModuleProgress(db, user.id, now)).find((m) => m.state !== "passed" && m.slug !== value.moduleSlug) ?? null) : null;
  const onlyWrong = new URL(request.url).searchParams.get("show") === "wrong";
  return {
    result: { ...value, questions: onlyWrong ? value.questions.filter((q) => !q.correct) : value.questions },
    wrongCount: value.questions.filter((q) => !q.correct).length,
    onlyWrong,
    ownAttempt,
    retake,
    missedSections,
    nextModule: nextModule ? { slug: nextModule.slug, title: nextModule.title } : null,
  };
}

export default function AttemptResult() {
  const { result, ownAttempt, retake, missedSections, nextModule, onlyWrong, wrongCount } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="result-title" className="attempt">
      <p className="eyebrow">{result.moduleTitle}</p>
      <h1 id="result-title">{result.passed ? "You passed the assessment" : "You did not pass this time"}</h1>
      {!ownAttempt ? <p>Trainer: {result.trainerName}</p> : null}
      <div className={`result-banner ${result.passed ? "result-banner--pass" : "result-banner--fail"}`}>
        <p className="result-banner__score">
          {result.score} of {result.total} correct ({result.percentShown}%)
        </p>
        <p>
          Pass mark {result.passMark}% · {result.passed ? "Passed" : "Not passed"} · module version {result.versionLabel} · submitted{" "}
          {formatMoment(result.submittedAt)}
        </p>
      </div>
      {ownAttempt && !result.passed ? (
        <section className="card result-next" aria-labelledby="retake-title">
          <h2 id="retake-title">Before you retake it</h2>
          {retake ? <p>{retake}</p> : <p>You can retake the assessment now.</p>}
          {missedSections.length > 0 ? (
            <>
              <p>Read these sections again: the questions you missed came from them.</p>
              <ul>
                {missedSections.map((s) => (
                  <li key={s.id}>
                    <Link to={`/modules/${result.moduleSlug}/${s.id}`} reloadDocument>
                      {s.title}
                    </Link>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}
      {ownAttempt && result.passed ? (
        <section className="card result-next" aria-labelledby="next-title">
          <h2 id="next-title">What next</h2>
          {nextModule ? (
            <p>
              <Link className="button" to={`/modules/${nextModule.slug}`}>
                Next module: {nextModule.title}
              </Link>
            </p>
          ) : (
            <p>
              You have passed every module assessment. <Link to="/dashboard">See what is left on your dashboard</Link>.
            </p>
          )}
        </section>
      ) : null}
      {ownAttempt ? (
        <p>
          <Link to={`/modules/${result.moduleSlug}/assessment`}>Back to the assessment page</Link> · <Link to="/dashboard">Your dashboard</Link>
        </p>
      ) : null}
      <h2>Feedback on each question</h2>
      {wrongCount > 0 ? (
        <p>
          {onlyWrong ? (
            <>
              Showing the {wrongCount === 1 ? "question" : `${wrongCount} questions`} you got wrong. <Link to="?">Show every question</Link>
            </>
          ) : (
            <Link to="?show=wrong">Show only the {wrongCount === 1 ? "question" : `${wrongCount} questions`} I got wrong</Link>
          )}
        </p>
      ) : null}
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
