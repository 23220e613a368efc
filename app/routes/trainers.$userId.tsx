import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { unlockAssessment } from "~/assessment/attempts.server";
import { requireRole } from "~/auth/guards.server";
import { serverClock } from "~/utils/clock.server";
import { getDb } from "~/db.server";
import { getModuleProgress, listAttemptsForTrainer } from "~/learning/progress.server";
import { FormError, Notice } from "~/components/form";
import { ModuleStateBadge } from "~/components/module-state";
import { formToObject, readForm, validate } from "~/utils/forms";
import { formatDate, formatMoment } from "~/utils/dates";

export const meta: MetaFunction = () => [{ title: "Trainer progress · Approved Trainer Academy" }];

async function findTrainer(userId: string | undefined) {
  const id = Number(userId);
  const trainer = Number.isInteger(id)
    ? await getDb().selectFrom("user").select(["id", "name", "email"]).where("id", "=", id).where("role", "=", "trainer").executeTakeFirst()
    : undefined;
  if (!trainer) throw new Response("There is no such trainer.", { status: 404 });
  return trainer;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "assessor", "admin");
  const trainer = await findTrainer(params.userId);
  const db = getDb();
  const [modules, attempts] = await Promise.all([getModuleProgress(db, trainer.id, serverClock()), listAttemptsForTrainer(db, trainer.id)]);
  return { trainer, modules, attempts };
}

const unlockSchema = z.object({
  slug: z.string().min(1),
  reason: z.string().trim().min(10, "Give a reason of at least 10 characters (it goes in the audit trail).").max(1000, "Keep the reason to 1,000 characters or fewer."),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const assessor = await requireRole(request, "assessor", "admin");
  const parsed = validate(unlockSchema, formToObject(await readForm(request)));
  const trainer = await findTrainer(params.userId);
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, error: null, done: false, slug: "" }, { status: 400 });
  const result = await unlockAssessment(getDb(), { actorId: assessor.id, trainerId: trainer.id, slug: parsed.value.slug, reason: parsed.value.reason }, serverClock());
  if (!result.ok) return data({ fieldErrors: {} as Record<string, string>, error: result.message, done: false, slug: parsed.value.slug }, { status: result.status });
  return { fieldErrors: {} as Record<string, string>, error: null, done: true, slug: parsed.value.slug };
}

export default function TrainerProgress() {
  const { trainer, modules, attempts } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <section aria-labelledby="trainer-title">
      <p className="eyebrow">
        <Link to="/trainers">Trainers</Link>
      </p>
      <h1 id="trainer-title">{trainer.name}</h1>
      <p className="muted">{trainer.email}</p>
      <FormError error={actionData?.error ?? undefined} />
      {actionData?.done ? <Notice>Assessment unlocked. The trainer can start a new attempt now.</Notice> : null}
      <h2>Modules</h2>
      <ul className="cards cards--two">
        {modules.map((m) => (
          <li key={m.slug} className="card">
            <h3>{m.title}</h3>
            <p>
              <ModuleStateBadge state={m.state} />
            </p>
            <label htmlFor={`p-${m.slug}`}>
              {m.sectionsDone} of {m.sectionsTotal} sections complete
            </label>
            <progress id={`p-${m.slug}`} max={m.sectionsTotal} value={m.sectionsDone} />
            <p className="muted">
              {m.passedAt ? `Passed ${formatDate(m.passedAt)} (${m.passedPercent}%), version ${m.passedVersion}` : `${m.attemptsTaken === 0 ? "No attempts" : m.attemptsTaken === 1 ? "1 attempt" : `${m.attemptsTaken} attempts`} submitted`}
            </p>
            {m.retakeMessage && m.retakeMessage.startsWith("This assessment is locked") ? (
              <Form method="post" className="stack">
                <input type="hidden" name="slug" value={m.slug} />
                <div className={`field${actionData?.fieldErrors.reason ? " field--error" : ""}`}>
                  <label htmlFor={`reason-${m.slug}`}>Reason for unlocking</label>
                  {actionData?.fieldErrors.reason ? (
                    <p className="field__error" id={`reason-${m.slug}-error`}>
                      {actionData.fieldErrors.reason}
                    </p>
                  ) : null}
                  <textarea id={`reason-${m.slug}`} name="reason" required aria-describedby={actionData?.fieldErrors.reason ? `reason-${m.slug}-error` : undefined} />
                </div>
                <button type="submit" className="button button--small">
                  Unlock the assessment
                </button>
              </Form>
            ) : null}
          </li>
        ))}
      </ul>
      <h2>Attempts</h2>
      {attempts.length === 0 ? (
        <p>No attempts yet.</p>
      ) : (
        <div className="table-wrap" role="region" aria-label="Trainer details" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">Module</th>
                <th scope="col">Started</th>
                <th scope="col">Result</th>
                <th scope="col">Version</th>
              </tr>
            </thead>
            <tbody>
              {attempts.map((a) => (
                <tr key={a.id}>
                  <td>{a.title}</td>
                  <td>{formatMoment(a.started_at)}</td>
                  <td>
                    {a.submitted_at === null ? (
                      "In progress"
                    ) : (
                      <Link to={`/attempts/${a.id}/result`}>
                        {a.percent}% — {a.passed ? "passed" : "not passed"}
                      </Link>
                    )}
                  </td>
                  <td>
                    <code>{a.content_hash.slice(0, 8)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
