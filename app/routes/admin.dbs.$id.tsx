import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { serverClock } from "~/utils/clock.server";
import { ErrorSummary, Field, Notice, RadioGroup, SelectField } from "~/components/form";
import { getDb } from "~/db.server";
import { getEnv } from "~/utils/env.server";
import { formatDate, ukToday } from "~/utils/dates";
import { listStaff, viewDbsCheck } from "~/evidence/dbs.server";
import { recordDbsDecision, recordDbsStatusCheck } from "~/approval/approval.server";
import { SEEN_HOW_LABELS } from "~/evidence/dbs-original";
import { DBS_DECISION_LABELS, DBS_STATUS_RESULT_LABELS, WORKFORCE_LABELS, dbsDecisionSchema, dbsStatusCheckSchema } from "~/evidence/validation";
import { formToObject, readForm, validate } from "~/utils/forms";
import { refuse, replyRefusal } from "~/utils/result";

export const meta: MetaFunction = () => [{ title: "DBS record · Approved Trainer Academy" }, { name: "robots", content: "noindex" }];

function recordId(raw: string | undefined): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Response("Not found", { status: 404 });
  return id;
}

/** Every load of this page is a view of criminal offence data, and is audited. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const db = getDb();
  const view = await viewDbsCheck(db, admin, recordId(params.id), serverClock());
  if (!view) throw new Response("Not found", { status: 404 });
  return data({ ...view, staff: await listStaff(db), own: view.trainer.id === admin.id, today: ukToday(serverClock()) }, { headers: { "Cache-Control": "no-store" } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const id = recordId(params.id);
  const now = serverClock();
  const input = formToObject(await readForm(request));
  if (input.intent === "decision") {
    const parsed = validate(dbsDecisionSchema(ukToday(now)), input);
    if (!parsed.ok) return replyRefusal(parsed, { intent: "decision", done: null });
    const result = await recordDbsDecision(getDb(), admin, id, parsed.value, getEnv().PUBLIC_BASE_URL, now);
    if (!result.ok) return replyRefusal(result, { intent: "decision", done: null });
    return { intent: "decision", message: null, fieldErrors: {} as Record<string, string>, done: "The decision has been recorded." };
  }
  if (input.intent === "status") {
    const parsed = validate(dbsStatusCheckSchema(ukToday(now)), input);
    if (!parsed.ok) return replyRefusal(parsed, { intent: "status", done: null });
    const result = await recordDbsStatusCheck(getDb(), admin, id, parsed.value, now);
    if (!result.ok) return replyRefusal(result, { intent: "status", done: null });
    return { intent: "status", message: null, fieldErrors: {} as Record<string, string>, done: "The status check result has been recorded." };
  }
  return replyRefusal(refuse(400, "Choose an action."), { intent: "", done: null });
}

const yesNo = (v: number) => (v ? "Yes" : "No");

export default function DbsRecord() {
  const { check, trainer, decidedBy, originalSeenBy, statusChecks, staff, own, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const decisionErrors: Record<string, string> = actionData?.intent === "decision" ? actionData.fieldErrors : {};
  const statusErrors: Record<string, string> = actionData?.intent === "status" ? actionData.fieldErrors : {};
  const busy = useNavigation().state === "submitting";
  const erased = check.details_erased_at !== null;
  const barred = [check.adults_barred_list ? "adults' barred list" : null, check.children_barred_list ? "children's barred list" : null].filter(Boolean);
  return (
    <section aria-labelledby="dbs-record-title">
      <p>
        <Link to="/admin/dbs">Back to DBS checks</Link>
      </p>
      <h1 id="dbs-record-title">Enhanced DBS record: {trainer.name}</h1>
      <p className="muted">
        Criminal offence data. Your viewing of this page has been recorded in the audit trail. Do not copy these details anywhere else.
      </p>
      {actionData?.done ? <Notice>{actionData.done}</Notice> : null}
      {actionData?.intent === "" ? <ErrorSummary message={actionData.message} /> : null}
      <div className="side-by-side">
        <section className="panel sensitive" aria-labelledby="certificate-title">
          <h2 id="certificate-title">Certificate details</h2>
          <dl className="facts">
            <dt>Trainer</dt>
            <dd>
              {trainer.name} ({trainer.email})
            </dd>
            <dt>Certificate number</dt>
            <dd>{erased ? `Erased on ${formatDate(check.details_erased_at)} (retention)` : <code>{check.certificate_number}</code>}</dd>
            <dt>Issue date</dt>
            <dd>{erased ? "Erased" : formatDate(check.issue_date)}</dd>
            <dt>Level</dt>
            <dd>Enhanced{barred.length > 0 ? `, with ${barred.join(" and ")} check` : ", no barred list check"}</dd>
            <dt>Workforce</dt>
            <dd>{WORKFORCE_LABELS[check.workforce]}</dd>
            <dt>Update Service</dt>
            <dd>
              {check.update_service_subscribed ? "Subscribed" : "Not subscribed"}; consent to status checks: {yesNo(check.status_check_consent)}
            </dd>
            <dt>Recorded</dt>
            <dd>{formatDate(check.created_at)}</dd>
          </dl>
        </section>
        <section className="panel" aria-labelledby="decision-title">
          <h2 id="decision-title">Suitability decision</h2>
          {check.original_seen_on ? (
            <p>
              Original seen on {formatDate(check.original_seen_on)} by {originalSeenBy ?? "unknown"}
              {check.original_seen_how ? ` (${SEEN_HOW_LABELS[check.original_seen_how].toLowerCase()})` : ""}
              {check.decision ? "." : ", who checked that its number matches the one recorded."}
            </p>
          ) : (
            <p>The original certificate has not been recorded as seen yet (assessors do that under DBS originals).</p>
          )}
          {check.decision ? (
            <dl className="facts">
              <dt>Decision</dt>
              <dd>{DBS_DECISION_LABELS[check.decision]}</dd>
              <dt>Decided</dt>
              <dd>
                {formatDate(check.decided_at)} by {decidedBy ?? "unknown"}
              </dd>
              <dt>Re-check due</dt>
              <dd>{formatDate(check.recheck_due_on)}</dd>
            </dl>
          ) : (
            <p>No decision recorded yet.</p>
          )}
          {own ? (
            <p className="alert alert--error">This is your own DBS record. Another administrator must decide on it.</p>
          ) : erased ? null : (
            <Form method="post" noValidate className="stack">
              <input type="hidden" name="intent" value="decision" />
              <ErrorSummary message={actionData?.intent === "decision" ? actionData.message : null} />
              <RadioGroup
                name="decision"
                legend={check.decision ? "Change the decision" : "Decision"}
                error={decisionErrors.decision}
                options={Object.entries(DBS_DECISION_LABELS).map(([value, label]) => ({ value, label }))}
              />
              <Field
                name="originalSeenOn"
                label="Date the original certificate was seen"
                type="date"
                max={today}
                defaultValue={check.original_seen_on ?? undefined}
                error={decisionErrors.originalSeenOn}
              />
              <SelectField
                name="originalSeenBy"
                label="Seen by"
                placeholder="Choose a member of staff"
                defaultValue={check.original_seen_by_user_id === null ? "" : String(check.original_seen_by_user_id)}
                options={staff.map((s) => ({ value: String(s.id), label: `${s.name} (${s.role})` }))}
                error={decisionErrors.originalSeenBy}
              />
              <button type="submit" className="button" disabled={busy}>
                Record decision
              </button>
            </Form>
          )}
        </section>
      </div>

      <section className="panel" aria-labelledby="status-title">
        <h2 id="status-title">Update Service status checks</h2>
        {statusChecks.length === 0 ? (
          <p>No status checks recorded.</p>
        ) : (
          <ul>
            {statusChecks.map((s) => (
              <li key={s.id}>
                {formatDate(s.checked_on)}: {DBS_STATUS_RESULT_LABELS[s.result]} (recorded by {s.checked_by})
              </li>
            ))}
          </ul>
        )}
        {!own && !erased && check.update_service_subscribed && check.status_check_consent ? (
          <Form method="post" noValidate className="stack">
            <input type="hidden" name="intent" value="status" />
            <ErrorSummary message={actionData?.intent === "status" ? actionData.message : null} />
            <Field name="checkedOn" label="Date of the status check" type="date" max={today} error={statusErrors.checkedOn} />
            <RadioGroup
              name="result"
              legend="Result given by the Update Service"
              error={statusErrors.result}
              options={Object.entries(DBS_STATUS_RESULT_LABELS).map(([value, label]) => ({ value, label }))}
            />
            <button type="submit" className="button button--secondary" disabled={busy}>
              Record status check
            </button>
          </Form>
        ) : null}
      </section>
    </section>
  );
}
