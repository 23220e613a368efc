import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { CheckboxField, ErrorSummary, Field, Notice, RadioGroup, SelectField, TextareaField } from "~/components/form";
import { getDb } from "~/db.server";
import { recordSupervisionSession } from "~/approval/approval.server";
import { assignSupervisor, getSupervisionRecord, mayRecord, supervisorChoices } from "~/supervision/supervision.server";
import { ACTION_ROWS, MODES, TOPICS, TOPIC_KEYS, assignSchema, validateSession } from "~/supervision/validation";
import { SessionList } from "~/supervision/record";
import { SupervisionStateBadge } from "~/supervision/panel";
import { serverClock } from "~/utils/clock.server";
import { addMonths, formatDate, ukToday } from "~/utils/dates";
import { getEnv } from "~/utils/env.server";
import { formToObject, readForm, validate } from "~/utils/forms";
import { replyRefusal, type Refusal } from "~/utils/result";

export const meta: MetaFunction = () => [{ title: "Supervision record · Approved Trainer Academy" }];

const trainerIdOf = (raw: string | undefined) => (/^\d{1,12}$/.test(raw ?? "") ? Number(raw) : 0);

/** A trainer's supervision record for their supervisor or an admin (other staff: 403; the domain decides). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, "assessor", "admin");
  const db = getDb();
  const now = serverClock();
  const record = await getSupervisionRecord(db, viewer, trainerIdOf(params.trainerId), now);
  if (!record.ok) throw new Response(record.message, { status: record.status });
  const canRecord = record.value.supervisor !== null && mayRecord(viewer, record.value.supervisor.id);
  return {
    record: record.value,
    canRecord,
    isAdmin: viewer.role === "admin",
    supervisors: viewer.role === "admin" ? await supervisorChoices(db) : [],
    today: ukToday(now),
    defaultNextDue: addMonths(ukToday(now), record.value.intervalMonths),
  };
}

const refused = (refusal: Refusal) => replyRefusal(refusal, { done: null, intent: null as string | null });

export async function action({ request, params }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "assessor", "admin");
  const db = getDb();
  const now = serverClock();
  const trainerId = trainerIdOf(params.trainerId);
  const form = formToObject(await readForm(request));
  const baseUrl = getEnv().PUBLIC_BASE_URL;
  if (form.intent === "assign") {
    const parsed = validate(assignSchema, form);
    if (!parsed.ok) return refused(parsed);
    const result = await assignSupervisor(db, viewer, trainerId, parsed.value.supervisorId, baseUrl, now);
    if (!result.ok) return refused(result);
    return data({ done: "Supervisor assigned.", intent: "assign", message: null, fieldErrors: {} as Record<string, string> });
  }
  if (form.intent === "record") {
    const parsed = validateSession(form);
    if (!parsed.ok) return replyRefusal(parsed, { done: null, intent: "record" });
    const result = await recordSupervisionSession(db, viewer, trainerId, parsed.value, baseUrl, now);
    if (!result.ok) return replyRefusal(result, { done: null, intent: "record" });
    return data({ done: "Session recorded. The trainer has been asked to confirm it.", intent: "record", message: null, fieldErrors: {} as Record<string, string> });
  }
  return refused({ ok: false, status: 400, message: "Choose an action.", fieldErrors: {} });
}

export default function SupervisionRecordPage() {
  const { record, canRecord, isAdmin, supervisors, today, defaultNextDue } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: Record<string, string> = actionData?.fieldErrors ?? {};
  const recordErrors = actionData?.intent === "record" ? errors : {};
  return (
    <section aria-labelledby="record-title">
      <p>
        <Link to="/dashboard">Dashboard</Link>
      </p>
      <h1 id="record-title">Supervision: {record.trainerName}</h1>
      {actionData?.done ? <Notice>{actionData.done}</Notice> : null}
      <ErrorSummary message={actionData?.message} fieldErrors={actionData?.fieldErrors} />
      <dl className="facts">
        <dt>Supervisor</dt>
        <dd>{record.supervisor?.name ?? "None assigned"}</dd>
        <dt>Next session due by</dt>
        <dd>
          {record.nextDueOn ? formatDate(record.nextDueOn) : "—"} <SupervisionStateBadge state={record.state} />
        </dd>
        {record.overdueFrom ? (
          <>
            <dt>Overdue from</dt>
            <dd>
              {formatDate(record.overdueFrom)}
              {record.suspendsWhenOverdue ? " (the certificate then reads “Suspended — supervision overdue”)" : ""}
            </dd>
          </>
        ) : null}
      </dl>
      {isAdmin ? (
        <>
          <h2>{record.supervisor ? "Change the supervisor" : "Assign a supervisor"}</h2>
          <Form method="post" noValidate className="stack">
            <input type="hidden" name="intent" value="assign" />
            <SelectField
              name="supervisorId"
              label="Supervisor (an assessor)"
              placeholder="Choose"
              defaultValue={record.supervisor ? String(record.supervisor.id) : ""}
              options={supervisors.map((s) => ({ value: String(s.id), label: s.name }))}
              error={actionData?.intent !== "record" ? errors.supervisorId : undefined}
              hint={record.supervisor ? "The next due date stays as it is." : "The first session becomes due one policy interval from today."}
            />
            <button type="submit" className="button">
              {record.supervisor ? "Change the supervisor" : "Assign the supervisor"}
            </button>
          </Form>
        </>
      ) : null}
      {canRecord ? (
        <>
          <h2>Record a session</h2>
          <Form method="post" noValidate className="stack">
            <input type="hidden" name="intent" value="record" />
            <Field name="heldOn" label="Date of the session" type="date" max={today} defaultValue={today} error={recordErrors.heldOn} />
            <RadioGroup name="mode" legend="How was it held?" options={Object.entries(MODES).map(([value, label]) => ({ value, label }))} error={recordErrors.mode} />
            <fieldset id="field-topics" className={`field fieldset${recordErrors.topics ? " field--error" : ""}`}>
              <legend>Topics discussed</legend>
              {recordErrors.topics ? (
                <p className="field__error" id="field-topics-error">
                  {recordErrors.topics}
                </p>
              ) : null}
              {TOPIC_KEYS.map((t) => (
                <CheckboxField key={t} name={`topic_${t}`} label={TOPICS[t]} />
              ))}
            </fieldset>
            <TextareaField
              name="summary"
              label="Summary"
              hint="What was discussed and agreed. No client-identifying details: no names, addresses, postcodes, telephone numbers, email addresses or NHS numbers. The trainer reads this record."
              rows={5}
              error={recordErrors.summary}
            />
            <fieldset className="field fieldset">
              <legend>Agreed actions (optional)</legend>
              {Array.from({ length: ACTION_ROWS }, (_, i) => i + 1).map((i) => (
                <div key={i} className="inline-form">
                  <Field name={`action${i}`} label={`Action ${i}`} error={recordErrors[`action${i}`]} />
                  <Field name={`action${i}Due`} label={`Action ${i} due by`} type="date" error={recordErrors[`action${i}Due`]} />
                </div>
              ))}
            </fieldset>
            <Field
              name="nextDueOn"
              label="Next session due by"
              type="date"
              defaultValue={defaultNextDue}
              hint={`At most ${record.intervalMonths} month${record.intervalMonths === 1 ? "" : "s"} after this session (policy).`}
              error={recordErrors.nextDueOn}
            />
            <button type="submit" className="button">
              Record the session
            </button>
          </Form>
        </>
      ) : null}
      <h2>Sessions</h2>
      <SessionList sessions={record.sessions} />
    </section>
  );
}
