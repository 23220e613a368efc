import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useEffect } from "react";
import { requireRole } from "~/auth/guards.server";
import { serverClock } from "~/utils/clock.server";
import { CheckboxField, FormError, Notice } from "~/components/form";
import { getDb } from "~/db.server";
import { ReportEditor } from "~/marking/editor";
import { readReportForm } from "~/marking/request.server";
import { REPORT_TASK_MODULE } from "~/marking/rules";
import { TRAINER_STATUS_LABELS } from "~/marking/labels";
import { getTaskPage, submitReport } from "~/marking/submissions.server";
import { RubricReference, TaskScenario, formatDateTime } from "~/marking/ui";

export const meta: MetaFunction = () => [{ title: "Report-writing task · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const page = await getTaskPage(getDb(), user.id);
  return { ...page, storageKey: `ata-report-draft:${user.id}` };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const form = await readReportForm(request);
  const body = form.get("body") ?? "";
  if (form.get("confirm") !== "on") {
    return data({ fieldErrors: { confirm: "Tick the box to confirm this is your final version." } as Record<string, string>, error: null }, { status: 400 });
  }
  const result = await submitReport(getDb(), user.id, body, serverClock());
  if (!result.ok) return data({ fieldErrors: (result.status === 400 ? { body: result.message } : {}) as Record<string, string>, error: result.status === 400 ? null : result.message }, { status: result.status });
  throw redirect(`/report-task?submitted=${result.value.version}`);
}

export default function ReportTaskPage() {
  const { gate, task, editor, open, passed, history, storageKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  const errors = actionData?.fieldErrors ?? {};

  useEffect(() => {
    // Nothing to write now (submitted or passed): forget any copy this browser kept.
    if (!editor) window.localStorage.removeItem(storageKey);
  }, [editor, storageKey]);

  return (
    <section aria-labelledby="task-title">
      <p className="eyebrow">
        <Link to={`/modules/${REPORT_TASK_MODULE}`}>Professional communication and report writing</Link>
      </p>
      <h1 id="task-title">Report-writing task: {task.title}</h1>
      {params.get("submitted") ? <Notice>Your report (version {params.get("submitted")}) has been submitted. An assessor will mark it; you will see the feedback here once it is released.</Notice> : null}
      {!gate.open ? (
        <div className="alert alert--info" role="status">
          <p>{gate.reason}</p>
          <p>
            <Link to={`/modules/${REPORT_TASK_MODULE}/assessment`}>Go to the module assessment</Link>
          </p>
        </div>
      ) : null}
      {passed ? (
        <div className="alert alert--success" role="status">
          You passed the report-writing task. <Link to={`/report-task/submissions/${passed.id}`}>Read the feedback on version {passed.version}</Link>.
        </div>
      ) : open ? (
        <div className="alert alert--info" role="status">
          Version {open.version} was submitted on {formatDateTime(open.submittedAt)}. Status: <strong>{TRAINER_STATUS_LABELS[open.status]}</strong>. You will see the feedback once an assessor releases it.
        </div>
      ) : null}

      <div className="task-layout">
        <section className="panel" aria-labelledby="scenario-title">
          <h2 id="scenario-title">The case</h2>
          <TaskScenario task={task} level={3} />
          <details>
            <summary>How your report will be marked</summary>
            <p>An assessor judges each criterion. To pass, every criterion marked &ldquo;must be met&rdquo; has to be met.</p>
            <RubricReference rubric={task.rubric} level={3} />
          </details>
        </section>

        {editor ? (
          <section className="panel" aria-labelledby="write-title">
            <h2 id="write-title">{history.length > 0 ? `Write version ${history.length + 1}` : "Write your report"}</h2>
            {editor.fromPreviousVersion ? <p className="alert alert--info">We started you from your previous version. Use the feedback to improve it.</p> : null}
            <FormError error={actionData?.error ?? undefined} />
            <Form method="post" className="stack">
              <ReportEditor storageKey={storageKey} initialBody={editor.body} savedAt={editor.savedAt} error={errors.body} />
              <CheckboxField name="confirm" label="This is my own work and my final version. I understand I cannot change it after submitting." error={errors.confirm} />
              <button type="submit" className="button" disabled={busy}>
                Submit my report
              </button>
            </Form>
          </section>
        ) : null}
      </div>

      {history.length > 0 ? (
        <section aria-labelledby="history-title">
          <h2 id="history-title">Your submissions</h2>
          <div className="table-wrap" role="region" aria-label="Your reports" tabIndex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Submitted</th>
                  <th scope="col">Words</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {history.map((s) => (
                  <tr key={s.id}>
                    <td>
                      <Link to={`/report-task/submissions/${s.id}`}>Version {s.version}</Link>
                    </td>
                    <td>{formatDateTime(s.submittedAt)}</td>
                    <td>{s.wordCount.toLocaleString("en-GB")}</td>
                    <td>{TRAINER_STATUS_LABELS[s.status]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </section>
  );
}
