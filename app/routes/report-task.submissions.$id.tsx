import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { getDb } from "~/db.server";
import { MarkdownLite } from "~/marking/markdown-lite";
import { TRAINER_STATUS_LABELS } from "~/marking/labels";
import { getSubmissionForTrainer } from "~/marking/submissions.server";
import { CriteriaTable, OutcomeBadge, formatDateTime } from "~/marking/ui";

export const meta: MetaFunction = () => [{ title: "Your report · Approved Trainer Academy" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const id = Number(params.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Response("There is no such submission.", { status: 404 });
  const result = await getSubmissionForTrainer(getDb(), id, user.id);
  if (!result.ok) throw new Response(result.message, { status: result.status });
  return result.value;
}

export default function TrainerSubmission() {
  const s = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="submission-title">
      <p>
        <Link to="/report-task">Back to the report-writing task</Link>
      </p>
      <h1 id="submission-title">
        Your report, version {s.version}
      </h1>
      <p>
        Submitted {formatDateTime(s.submittedAt)} · {s.wordCount.toLocaleString("en-GB")} words · Status: <strong>{TRAINER_STATUS_LABELS[s.status]}</strong>
      </p>
      {s.released ? (
        <section className="panel" aria-labelledby="feedback-title">
          <h2 id="feedback-title">
            Outcome: <OutcomeBadge outcome={s.released.outcome} />
          </h2>
          <p>Released {formatDateTime(s.released.releasedAt)}.</p>
          {s.released.moderationNote ? (
            <p className="alert alert--info">
              After a second assessor reviewed the marking, the outcome was changed. Reason: <span className="pre-wrap">{s.released.moderationNote}</span>
            </p>
          ) : null}
          <h3>Overall feedback</h3>
          <p className="pre-wrap">{s.released.feedback}</p>
          <h3>Each criterion</h3>
          <CriteriaTable rows={s.released.criteria.map((c) => ({ ...c, level: c.level || null }))} />
          {s.released.outcome === "refer" ? (
            <p>
              <Link className="button" to="/report-task">
                Write a new version
              </Link>
            </p>
          ) : null}
        </section>
      ) : (
        <p className="alert alert--info">The feedback will appear here once an assessor has marked your report and released the outcome.</p>
      )}
      <section aria-labelledby="text-title">
        <h2 id="text-title">What you submitted</h2>
        <div className="panel">
          <MarkdownLite text={s.body} headingLevel={3} className="prose report-body" />
        </div>
      </section>
    </section>
  );
}
