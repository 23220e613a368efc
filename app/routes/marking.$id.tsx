import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { serverClock } from "~/utils/clock.server";
import { ErrorSummary, FormError, RadioGroup, TextareaField } from "~/components/form";
import type { RubricCriterion } from "~/content/types";
import { getDb } from "~/db.server";
import { formToObject, readForm, textErrors } from "~/utils/forms";
import { MarkdownLite } from "~/marking/markdown-lite";
import { claimForMarking, claimForModeration, getMarkingView, returnToQueue, type MarkInput } from "~/marking/marking.server";
import { recordMark, recordModeration, resolveDisagreement } from "~/approval/approval.server";
import { getEnv } from "~/utils/env.server";
import { CriteriaResult, OutcomeBadge, RubricReference, TaskScenario, formatDateTime } from "~/marking/ui";

export const meta: MetaFunction = () => [{ title: "Mark a report · Approved Trainer Academy" }];

function submissionId(params: { id?: string }): number {
  const id = Number(params.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Response("There is no such submission.", { status: 404 });
  return id;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "assessor", "admin");
  const result = await getMarkingView(getDb(), submissionId(params), user);
  if (!result.ok) throw new Response(result.message, { status: result.status });
  return { view: result.value, isAdmin: user.role === "admin" };
}

function markInput(form: Record<string, string>, rubric: RubricCriterion[]): MarkInput {
  return {
    // Neither chosen: the domain reports it with every other missing field (issue 13.11).
    outcome: form.outcome === "pass" || form.outcome === "refer" ? form.outcome : null,
    feedback: form.feedback ?? "",
    criteria: rubric.map((c) => ({ criterionId: c.id, levelId: form[`level.${c.id}`] ?? "", comment: form[`comment.${c.id}`] ?? "" })),
  };
}

const MARKING_FORM_LIMIT_BYTES = 256 * 1024;

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "assessor", "admin");
  const id = submissionId(params);
  const db = getDb();
  const now = serverClock();
  // Comments for every criterion, the feedback and reasons: more room than the site's other forms.
  const form = formToObject(await readForm(request, { maxBytes: MARKING_FORM_LIMIT_BYTES }));
  const badText = textErrors(form);
  if (Object.keys(badText).length > 0) return data({ intent: form.intent ?? "", error: "Some of the text contains invisible control characters. Remove them and try again.", fieldErrors: badText }, { status: 400 });
  const view = await getMarkingView(db, id, user);
  if (!view.ok) throw new Response(view.message, { status: view.status });
  const rubric = view.value.task.rubric;
  let result;
  switch (form.intent) {
    case "claim":
      result = await claimForMarking(db, id, user, now);
      break;
    case "claim-moderation":
      result = await claimForModeration(db, id, user, now);
      break;
    case "return":
      result = await returnToQueue(db, id, user, now);
      break;
    case "mark":
      result = await recordMark(db, id, user, markInput(form, rubric), now, getEnv().PUBLIC_BASE_URL);
      break;
    case "agree":
      result = await recordModeration(db, id, user, { decision: "agree", note: form.note ?? "" }, now, getEnv().PUBLIC_BASE_URL);
      break;
    case "different":
      result = await recordModeration(db, id, user, { decision: "different", reason: form.reason ?? "", ...markInput(form, rubric) }, now, getEnv().PUBLIC_BASE_URL);
      break;
    case "resolve":
      result = await resolveDisagreement(db, id, user, { chosenMarkId: Number(form.chosenMarkId), reason: form.reason ?? "" }, now, getEnv().PUBLIC_BASE_URL);
      break;
    default:
      return data({ intent: form.intent ?? "", error: "Unknown action.", fieldErrors: {} as Record<string, string> }, { status: 400 });
  }
  if (!result.ok) return data({ intent: form.intent ?? "", error: result.message, fieldErrors: ("fieldErrors" in result ? result.fieldErrors : undefined) ?? {} }, { status: result.status });
  throw redirect(`/marking/${id}`);
}

/** The rubric as a form: a level and a comment for every criterion, then outcome and feedback. */
function MarkFields({ rubric, errors }: { rubric: RubricCriterion[]; errors: Record<string, string> }) {
  return (
    <>
      {rubric.map((c) => (
        // One fieldset per criterion, its legend the criterion's title (no second "Level for …" legend inside it).
        <div key={c.id} className="criterion-fieldset" data-criterion={c.id}>
          <RadioGroup
            name={`level.${c.id}`}
            legend={`${c.title}${c.mustMeet ? " (must be met to pass)" : ""}`}
            error={errors[`level.${c.id}`]}
            options={c.levels.map((l) => ({
              value: l.id,
              label: (
                <>
                  <strong>{l.label}</strong>: {l.descriptor}
                </>
              ),
            }))}
          />
          <TextareaField name={`comment.${c.id}`} label={`Comment on ${c.title}`} hint="Required when the criterion is not met." rows={3} error={errors[`comment.${c.id}`]} />
        </div>
      ))}
      <RadioGroup
        name="outcome"
        legend="Outcome"
        hint="Pass only if every must-meet criterion is met."
        error={errors.outcome}
        options={[
          { value: "pass", label: "Pass" },
          { value: "refer", label: "Refer (the trainer resubmits)" },
        ]}
      />
      <TextareaField name="feedback" label="Overall feedback for the trainer" rows={6} error={errors.feedback} />
    </>
  );
}

export default function MarkSubmission() {
  const { view, isAdmin } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors: Record<string, string> = actionData?.fieldErrors ?? {};
  const hasFieldErrors = Object.keys(errors).length > 0;
  const markerMark = view.marks.find((m) => m.role === "marker");
  const moderatorMark = view.marks.find((m) => m.role === "moderator");
  const intentButton = (intent: string, label: string, secondary = false) => (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <button type="submit" className={`button${secondary ? " button--secondary" : ""}`} disabled={busy}>
        {label}
      </button>
    </Form>
  );
  return (
    <section aria-labelledby="mark-title">
      <p>
        <Link to="/marking">Back to the marking queue</Link>
      </p>
      <h1 id="mark-title">
        Report from {view.candidate}, version {view.version}
      </h1>
      <p>
        Submitted {formatDateTime(view.submittedAt)} · {view.wordCount.toLocaleString("en-GB")} words · Status: <strong>{view.statusLabel}</strong>
        {view.marker ? ` · Marker: ${view.marker}` : ""}
        {view.moderator ? ` · Moderator: ${view.moderator}` : ""}
        {view.outcome ? (
          <>
            {" "}
            · Released outcome: <OutcomeBadge outcome={view.outcome} />
          </>
        ) : null}
      </p>
      {view.notice ? <p className="alert alert--info">{view.notice}</p> : null}
      {actionData?.error && !hasFieldErrors ? <FormError error={actionData.error} /> : null}
      <div className="editor-bar">
        {view.can.claim ? intentButton("claim", "Start marking") : null}
        {view.can.claimModeration ? intentButton("claim-moderation", "Start moderating") : null}
        {view.can.returnToQueue ? intentButton("return", "Return to the queue", true) : null}
      </div>

      {/* The submission at reading width with the rubric in a panel beside it (below it on narrow screens); the scenario above, folded. */}
      <details className="panel marking-scenario">
        <summary>Scenario and instructions the trainer was given</summary>
        <section aria-labelledby="scenario-title">
          <h2 id="scenario-title">Scenario</h2>
          <TaskScenario task={view.task} level={3} idPrefix="scenario" />
        </section>
      </details>
      <div className="marking-layout">
        <section className="panel marking-submission" aria-labelledby="submission-title">
          <h2 id="submission-title">Submission</h2>
          <MarkdownLite text={view.body} headingLevel={3} className="prose report-body" />
        </section>
        <section className="panel marking-rubric" aria-labelledby="rubric-title" tabIndex={0}>
          <h2 id="rubric-title">{view.can.mark ? "Your mark" : view.can.moderate ? "Moderation" : view.can.resolve ? "Resolve the disagreement" : "Rubric"}</h2>
          {/* One summary, focused after a failed save, with the refusal's message and how many fields need attention. */}
          {hasFieldErrors ? <ErrorSummary message={actionData?.error} fieldErrors={errors} /> : null}
          {view.can.mark ? (
            <Form method="post" noValidate className="stack">
              <input type="hidden" name="intent" value="mark" />
              <MarkFields rubric={view.task.rubric} errors={errors} />
              <button type="submit" className="button" disabled={busy}>
                Save the mark
              </button>
            </Form>
          ) : view.can.moderate && markerMark ? (
            <>
              <p>
                {markerMark.assessor} marked this <OutcomeBadge outcome={markerMark.outcome} />. Read the mark below the page, then agree or record a different outcome.
              </p>
              <Form method="post" noValidate className="stack">
                <input type="hidden" name="intent" value="agree" />
                <TextareaField name="note" label="Note for the record (optional)" rows={3} error={errors.note} />
                <button type="submit" className="button" disabled={busy}>
                  Agree with the marker and release
                </button>
              </Form>
              <details open={actionData?.intent === "different"}>
                <summary>Record a different outcome</summary>
                <Form method="post" noValidate className="stack">
                  <input type="hidden" name="intent" value="different" />
                  <MarkFields rubric={view.task.rubric} errors={errors} />
                  <TextareaField name="reason" label="Why you disagree with the marker" rows={4} error={errors.reason} />
                  <button type="submit" className="button button--secondary" disabled={busy}>
                    Record a different outcome
                  </button>
                </Form>
              </details>
            </>
          ) : view.can.resolve && markerMark && moderatorMark ? (
            <Form method="post" noValidate className="stack">
              <input type="hidden" name="intent" value="resolve" />
              <RadioGroup
                name="chosenMarkId"
                legend="Which outcome stands?"
                error={errors.chosenMarkId}
                options={[
                  { value: String(markerMark.id), label: `The marker's: ${markerMark.outcome === "pass" ? "Pass" : "Refer"} (${markerMark.assessor})` },
                  { value: String(moderatorMark.id), label: `The moderator's: ${moderatorMark.outcome === "pass" ? "Pass" : "Refer"} (${moderatorMark.assessor})` },
                ]}
              />
              <TextareaField name="reason" label="Reason for your decision" rows={4} error={errors.reason} />
              <button type="submit" className="button" disabled={busy}>
                Resolve and release
              </button>
            </Form>
          ) : (
            <RubricReference rubric={view.task.rubric} level={3} />
          )}
          <section className="marking-key" aria-labelledby="marking-key-title">
            <h3 id="marking-key-title">Marking key (assessors and moderators only)</h3>
            {view.markingKey ? (
              <MarkdownLite text={view.markingKey} headingLevel={4} className="prose" />
            ) : (
              <p className="muted">No marking key was kept for the version of the task this submission answered. Mark against the rubric.</p>
            )}
          </section>
        </section>
      </div>

      {view.marks.length > 0 ? (
        <section aria-labelledby="marks-title">
          <h2 id="marks-title">Marks on this version</h2>
          {view.marks.map((m) => (
            <article key={m.id} className="panel" data-mark-role={m.role}>
              <h3>
                {m.role === "marker" ? "Marker" : "Moderator"}: {m.assessor} · <OutcomeBadge outcome={m.outcome} />
                {view.releasedMarkId === m.id ? <span className="status status--info">Released</span> : null}
              </h3>
              <p className="muted">{formatDateTime(m.createdAt)}</p>
              {m.agrees ? <p>Agrees with the marker.</p> : null}
              {m.reason ? (
                <p>
                  <strong>Reason for a different outcome:</strong> <span className="pre-wrap">{m.reason}</span>
                </p>
              ) : null}
              {m.criteria.length > 0 ? <CriteriaResult rubric={view.task.rubric} criteria={m.criteria} /> : null}
              {m.feedback ? (
                <>
                  <h4>{m.agrees ? "Note" : "Overall feedback"}</h4>
                  <p className="pre-wrap">{m.feedback}</p>
                </>
              ) : null}
            </article>
          ))}
          {view.resolution ? (
            <p className="alert alert--info">
              Resolved by {view.resolution.admin} on {formatDateTime(view.resolution.createdAt)}: <span className="pre-wrap">{view.resolution.reason}</span>
            </p>
          ) : null}
        </section>
      ) : null}

      {view.otherVersions.length > 0 ? (
        <section aria-labelledby="versions-title">
          <h2 id="versions-title">Other versions from this trainer</h2>
          <ul>
            {view.otherVersions.map((v) => (
              <li key={v.id}>
                <Link to={`/marking/${v.id}`}>Version {v.version}</Link>: {v.statusLabel}
                {v.outcome ? ` (${v.outcome === "pass" ? "pass" : "refer"})` : ""}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {isAdmin ? (
        <p>
          <Link to="/admin/report-marking">Marking settings</Link>
        </p>
      ) : null}
    </section>
  );
}
