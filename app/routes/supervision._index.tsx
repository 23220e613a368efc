import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/guards.server";
import { ErrorSummary, Notice } from "~/components/form";
import { getDb } from "~/db.server";
import { confirmSession, getSupervisionRecord } from "~/supervision/supervision.server";
import { SessionList } from "~/supervision/record";
import { SupervisionStateBadge } from "~/supervision/panel";
import { serverClock } from "~/utils/clock.server";
import { formatDate } from "~/utils/dates";
import { formToObject, readForm } from "~/utils/forms";
import { replyRefusal } from "~/utils/result";

export const meta: MetaFunction = () => [{ title: "Your supervision · Approved Trainer Academy" }];

/** A trainer's own supervision record. Staff use /supervision/<trainer> (their dashboard links it). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (user.role !== "trainer") throw redirect("/dashboard");
  const record = await getSupervisionRecord(getDb(), user, user.id, serverClock());
  if (!record.ok) throw new Response(record.message, { status: record.status });
  return { record: record.value };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = formToObject(await readForm(request));
  const sessionId = /^\d{1,12}$/.test(form.sessionId ?? "") ? Number(form.sessionId) : 0;
  const result = await confirmSession(getDb(), user, sessionId, serverClock());
  if (!result.ok) return replyRefusal(result, { done: null });
  return data({ done: "Thank you: the session is confirmed.", message: null, fieldErrors: {} as Record<string, string> });
}

export default function OwnSupervision() {
  const { record } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <section aria-labelledby="supervision-title">
      <h1 id="supervision-title">Your supervision</h1>
      <p>
        Every Approved Trainer has regular supervision with an assessor: cases (without client-identifying details), scope of practice questions, and wellbeing and debrief after
        distressing events. The academy&rsquo;s policy is a session at least every {record.intervalMonths} month{record.intervalMonths === 1 ? "" : "s"}.
      </p>
      {actionData?.done ? <Notice>{actionData.done}</Notice> : null}
      <ErrorSummary message={actionData?.message} fieldErrors={actionData?.fieldErrors} />
      {record.supervisor ? (
        <dl className="facts">
          <dt>Supervisor</dt>
          <dd>{record.supervisor.name}</dd>
          <dt>Next session due by</dt>
          <dd>
            {formatDate(record.nextDueOn)} <SupervisionStateBadge state={record.state} />
          </dd>
          {record.state === "overdue" && record.suspendsWhenOverdue ? (
            <>
              <dt>Your certificate</dt>
              <dd>Reads &ldquo;Suspended — supervision overdue&rdquo; until your supervisor records a session.</dd>
            </>
          ) : null}
        </dl>
      ) : (
        <p>You have no supervisor yet: the academy assigns one when you are certified.</p>
      )}
      <h2>Sessions</h2>
      <p>Read each session your supervisor records and confirm it is a fair record. If it is not, tell your supervisor before confirming.</p>
      <SessionList
        sessions={record.sessions}
        confirm={(id) => (
          <Form method="post">
            <input type="hidden" name="sessionId" value={id} />
            <button type="submit" className="button">
              Confirm this record
            </button>
          </Form>
        )}
      />
    </section>
  );
}
