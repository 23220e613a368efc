import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { getAttemptForTrainer } from "~/assessment/attempts.server";
import { submitAttempt } from "~/approval/approval.server";
import { requireRole } from "~/auth/guards.server";
import { serverClock } from "~/utils/clock.server";
import { getDb } from "~/db.server";
import { CheckboxField, FormError } from "~/components/form";
import { readForm } from "~/utils/forms";

export const meta: MetaFunction = () => [{ title: "Review your answers · Approved Trainer Academy" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const result = await getAttemptForTrainer(getDb(), params.attemptId ?? "", user.id);
  if (!result.ok) throw new Response(result.message, { status: result.status });
  if (result.value.submitted) throw redirect(`/attempts/${result.value.id}/result`);
  return result.value;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const form = await readForm(request);
  // Unanswered questions score nothing: submitting with some needs the trainer's confirmation.
  const current = await getAttemptForTrainer(getDb(), params.attemptId ?? "", user.id);
  if (current.ok && !current.value.submitted) {
    const unanswered = current.value.questions.filter((q) => q.selected.length === 0).length;
    if (unanswered > 0 && !form.get("confirmUnanswered"))
      return data({ error: `Tick the box to submit with ${unanswered === 1 ? "one question" : `${unanswered} questions`} unanswered, or answer them first.` }, { status: 400 });
  }
  const result = await submitAttempt(getDb(), { attemptId: params.attemptId ?? "", userId: user.id }, serverClock());
  if (!result.ok) return data({ error: result.message }, { status: result.status });
  return redirect(`/attempts/${params.attemptId}/result`);
}

export default function ReviewAttempt() {
  const attempt = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const unanswered = attempt.questions.filter((q) => q.selected.length === 0);
  return (
    <section aria-labelledby="review-title" className="attempt">
      <p className="eyebrow">{attempt.moduleTitle}</p>
      <h1 id="review-title">Review your answers</h1>
      <div className="progress-summary">
        <label htmlFor="answered-progress">
          {attempt.answered} of {attempt.questions.length} questions answered
        </label>
        <progress id="answered-progress" max={attempt.questions.length} value={attempt.answered} />
      </div>
      {unanswered.length > 0 ? (
        <div className="alert alert--error" role="alert">
          {unanswered.length === 1 ? "One question has" : `${unanswered.length} questions have`} no answer yet:{" "}
          {unanswered.map((q, i) => (
            <span key={q.id}>
              {i > 0 ? ", " : ""}
              <Link to={`/attempts/${attempt.id}#q-${q.position}`}>question {q.position}</Link>
            </span>
          ))}
          . Unanswered questions score nothing.
        </div>
      ) : null}
      {unanswered.length === 0 ? <FormError error={actionData?.error} /> : null}
      <ol className="review-list">
        {attempt.questions.map((q) => (
          <li key={q.id} className="card">
            <p className="question__legend">
              <span className="question__number">Question {q.position}</span> {q.prompt.join(" ")}
            </p>
            <p>
              <strong>Your answer: </strong>
              {q.selected.length === 0 ? <span className="status status--warn">Not answered</span> : q.options.filter((o) => q.selected.includes(o.id)).map((o) => o.text).join("; ")}
            </p>
            <p>
              <Link to={`/attempts/${attempt.id}#q-${q.position}`}>
                Change<span className="visually-hidden"> your answer to question {q.position}</span>
              </Link>
            </p>
          </li>
        ))}
      </ol>
      <h2>Submit for grading</h2>
      <p>Once submitted, your answers are final and are graded straight away.</p>
      <Form method="post" className="stack">
        {unanswered.length > 0 ? (
          <CheckboxField
            name="confirmUnanswered"
            label={`Submit with ${unanswered.length === 1 ? "one question" : `${unanswered.length} questions`} unanswered (they score nothing)`}
            error={actionData?.error ?? undefined}
          />
        ) : null}
        <div className="inline-form">
        <button type="submit" className="button" disabled={busy}>
          {busy ? "Grading…" : "Submit my answers"}
        </button>
        <Link className="button button--secondary" to={`/attempts/${attempt.id}`}>
          Back to the questions
        </Link>
        </div>
      </Form>
    </section>
  );
}
