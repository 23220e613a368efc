import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { startAttempt } from "~/assessment/attempts.server";
import { requireRole } from "~/auth/guards.server";
import { serverClock } from "~/utils/clock.server";
import { getModule, versionLabel } from "~/content/catalog.server";
import { percentShown } from "~/assessment/rules";
import { getDb } from "~/db.server";
import { getModuleProgress, listAttemptsForTrainer } from "~/learning/progress.server";
import { FormError } from "~/components/form";
import { ModuleStateBadge } from "~/components/module-state";
import { readForm } from "~/utils/forms";
import { formatMoment } from "~/utils/dates";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Assessment: ${data?.module.title ?? ""} · Approved Trainer Academy` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const module = getModule(params.slug ?? "");
  if (!module) throw new Response("There is no such module.", { status: 404 });
  const db = getDb();
  const progress = (await getModuleProgress(db, user.id, serverClock())).find((p) => p.slug === module.slug)!;
  const attempts = (await listAttemptsForTrainer(db, user.id)).filter((a) => a.module_slug === module.slug && a.submitted_at !== null);
  return {
    module: { slug: module.slug, title: module.title, passMark: module.passMark, questionsPerAttempt: module.questionsPerAttempt },
    progress,
    attempts: attempts.map((a) => ({ id: a.id, submittedAt: a.submitted_at!, percent: percentShown(a.score ?? 0, a.total), passed: a.passed === 1, version: versionLabel(a.content_hash) })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "trainer");
  // The button sends no fields; reading the body still refuses one that is not a form.
  await readForm(request);
  const result = await startAttempt(getDb(), user.id, params.slug ?? "", serverClock());
  if (!result.ok) return data({ error: result.message }, { status: result.status });
  return redirect(`/attempts/${result.value.attemptId}`);
}

const formatDate = formatMoment;

export default function AssessmentStart() {
  const { module, progress, attempts } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <section aria-labelledby="assessment-title" className="narrow-wide">
      <p className="eyebrow">
        <Link to={`/modules/${module.slug}`}>{module.title}</Link>
      </p>
      <h1 id="assessment-title">End-of-module assessment</h1>
      <p>
        <ModuleStateBadge state={progress.state} />
      </p>
      <ul>
        <li>{module.questionsPerAttempt} questions, drawn at random from the module&rsquo;s question bank and shown in a random order.</li>
        <li>Pass mark: {module.passMark}%. For &ldquo;select all that apply&rdquo; questions, every right option and no wrong one must be chosen.</li>
        <li>Your answers are saved as you go. You can leave and come back; you review everything before you submit.</li>
        <li>If you do not pass, you can retake after a waiting period; after several unsuccessful attempts in a row an assessor reviews your progress first.</li>
      </ul>
      <FormError error={actionData?.error} />
      {progress.openAttemptId ? (
        <p>
          <Link className="button" to={`/attempts/${progress.openAttemptId}`}>
            Continue your attempt
          </Link>
        </p>
      ) : progress.canStartAttempt ? (
        <Form method="post">
          <button type="submit" className="button">
            {progress.refresherDue ? "Take the annual refresher" : attempts.length > 0 ? "Retake the assessment" : "Start the assessment"}
          </button>
        </Form>
      ) : (
        <div className="alert alert--info" role="status">
          {progress.retakeMessage}
        </div>
      )}
      {attempts.length > 0 ? (
        <>
          <h2>Your attempts</h2>
          <div className="table-wrap" role="region" aria-label="Your attempts" tabIndex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">Submitted</th>
                  <th scope="col">Score</th>
                  <th scope="col">Result</th>
                  <th scope="col">Module version</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {attempts.map((a) => (
                  <tr key={a.id}>
                    <td>{formatDate(a.submittedAt)}</td>
                    <td>{a.percent}%</td>
                    <td>{a.passed ? <span className="status status--good">Passed</span> : <span className="status status--bad">Not passed</span>}</td>
                    <td>{a.version}</td>
                    <td>
                      <Link to={`/attempts/${a.id}/result`}>See the feedback</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}
