import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { ErrorSummary, Field, RadioGroup } from "~/components/form";
import { getDb } from "~/db.server";
import { SEEN_HOW_LABELS, SLOT_METHOD_LABELS, formatSlotTime } from "~/evidence/dbs-original";
import { listOriginalViewingTasks, recordOriginalSeen } from "~/evidence/dbs-original.server";
import { serverClock } from "~/utils/clock.server";
import { formatDate, ukToday } from "~/utils/dates";
import { getEnv } from "~/utils/env.server";
import { formToObject, readForm } from "~/utils/forms";
import { replyRefusal } from "~/utils/result";

export const meta: MetaFunction = () => [{ title: "Record an original DBS certificate as seen · Approved Trainer Academy" }];

function checkId(raw: string | undefined): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) throw new Response("Not found", { status: 404 });
  return id;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "assessor", "admin");
  const [task] = await listOriginalViewingTasks(getDb(), { checkId: checkId(params.id) });
  if (!task) throw new Response("Not found", { status: 404 });
  return { task, own: task.trainer_id === user.id, today: ukToday(serverClock()) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "assessor", "admin");
  const result = await recordOriginalSeen(getDb(), user, checkId(params.id), formToObject(await readForm(request)), getEnv().PUBLIC_BASE_URL, serverClock());
  // The typed certificate number is never sent back: the assessor's browser still has it in the field.
  if (!result.ok) return replyRefusal(result);
  throw redirect("/assessor/dbs-originals?seen=1");
}

export default function RecordOriginalSeen() {
  const { task, own, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: Record<string, string> = actionData?.fieldErrors ?? {};
  const busy = useNavigation().state === "submitting";
  return (
    <section className="narrow" aria-labelledby="seen-title">
      <p>
        <Link to="/assessor/dbs-originals">Back to original DBS certificates</Link>
      </p>
      <h1 id="seen-title">Original DBS certificate: {task.trainer_name}</h1>
      <p>
        {task.trainer_name} ({task.trainer_email}) recorded their certificate details on {formatDate(task.created_at)}.
        {task.slot_starts_at ? ` Booked: ${formatSlotTime(task.slot_starts_at)}, ${SLOT_METHOD_LABELS[task.slot_method!].toLowerCase()} with ${task.slot_assessor_name}.` : ""}
      </p>
      {own ? (
        <p className="alert alert--error">This is your own certificate. Another member of staff must see it.</p>
      ) : (
        <>
          <div className="alert alert--info">
            <p className="alert__line">Check that the certificate is an original Enhanced DBS certificate and that the name on it is {task.trainer_name}’s.</p>
            <p className="alert__line">
              By video, ask for the whole certificate to be held still to the camera, then close to it for the number. Do not take a screenshot, photo or copy.
            </p>
          </div>
          <ErrorSummary message={actionData?.message} fieldErrors={actionData?.fieldErrors} />
          <Form method="post" noValidate className="stack" autoComplete="off">
            <Field name="seenOn" label="Date you saw the original certificate" type="date" max={today} defaultValue={today} error={errors.seenOn} />
            <RadioGroup name="how" legend="How you saw it" error={errors.how} options={Object.entries(SEEN_HOW_LABELS).map(([value, label]) => ({ value, label }))} />
            <Field
              name="certificateNumber"
              label="Certificate number printed on the original"
              inputMode="numeric"
              hint="12 digits, at the top right. It is only compared with the number the trainer recorded: it is not stored, and you are not shown the recorded one."
              error={errors.certificateNumber}
            />
            <div className="actions">
              <button type="submit" className="button" disabled={busy}>
                Record the original as seen
              </button>
              <Link to="/assessor/dbs-originals">Cancel</Link>
            </div>
          </Form>
        </>
      )}
    </section>
  );
}
