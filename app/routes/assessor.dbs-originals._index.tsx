import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { ErrorSummary, Field, Notice, RadioGroup } from "~/components/form";
import { getDb } from "~/db.server";
import { SLOT_DAYS_AHEAD, SLOT_METHOD_LABELS, formatSlotTime } from "~/evidence/dbs-original";
import { claimViewingContact, listOriginalViewingTasks, listOwnSlots, offerViewingSlot } from "~/evidence/dbs-original.server";
import { serverClock } from "~/utils/clock.server";
import { addDays, formatDate, ukToday } from "~/utils/dates";
import { getEnv } from "~/utils/env.server";
import { formToObject, readForm } from "~/utils/forms";
import { refuse, replyRefusal } from "~/utils/result";

export const meta: MetaFunction = () => [{ title: "Original DBS certificates · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "assessor", "admin");
  const db = getDb();
  const now = serverClock();
  const today = ukToday(now);
  return { tasks: await listOriginalViewingTasks(db), slots: await listOwnSlots(db, user.id, now), me: user.id, firstDay: addDays(today, 1), lastDay: addDays(today, SLOT_DAYS_AHEAD) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "assessor", "admin");
  const input = formToObject(await readForm(request));
  const now = serverClock();
  if (input.intent === "offer") {
    const result = await offerViewingSlot(getDb(), user, input, now);
    if (!result.ok) return replyRefusal(result, { intent: "offer", done: null });
    return data({ intent: "offer", message: null, fieldErrors: {} as Record<string, string>, done: "Your time is offered. Trainers can book it from tomorrow's list onwards." });
  }
  if (input.intent === "claim") {
    const result = await claimViewingContact(getDb(), user, Number(input.checkId), getEnv().PUBLIC_BASE_URL, now);
    if (!result.ok) return replyRefusal(result, { intent: "claim", done: null });
    return data({ intent: "claim", message: null, fieldErrors: {} as Record<string, string>, done: "The trainer has been told by email that you will contact them." });
  }
  return replyRefusal(refuse(400, "Choose an action."), { intent: "", done: null });
}

function Arrangement({ task, me }: { task: Awaited<ReturnType<typeof listOriginalViewingTasks>>[number]; me: number }) {
  if (task.slot_starts_at) {
    return (
      <>
        Booked: {formatSlotTime(task.slot_starts_at)}, {SLOT_METHOD_LABELS[task.slot_method!].toLowerCase()} with {task.slot_assessor_id === me ? "you" : task.slot_assessor_name} ({task.slot_place})
      </>
    );
  }
  if (task.viewing_contact_requested_at) {
    return (
      <>
        Asked to be contacted on {formatDate(task.viewing_contact_requested_at)}
        {task.viewing_contact_note ? <>: “{task.viewing_contact_note}”</> : null}.{" "}
        {task.viewing_contact_user_id === null ? (
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="claim" />
            <input type="hidden" name="checkId" value={task.id} />
            <button type="submit" className="button button--small button--secondary">
              I will contact {task.trainer_name}
            </button>
          </Form>
        ) : (
          <strong>{task.viewing_contact_user_id === me ? "You are contacting them." : `${task.contact_name} is contacting them.`}</strong>
        )}
      </>
    );
  }
  return <>Not arranged yet: the trainer has not booked a time or asked to be contacted.</>;
}

export default function DbsOriginals() {
  const { tasks, slots, me, firstDay, lastDay } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const offerErrors: Record<string, string> = actionData?.intent === "offer" ? actionData.fieldErrors : {};
  const busy = useNavigation().state === "submitting";
  const [params] = useSearchParams();
  return (
    <section aria-labelledby="originals-title">
      <h1 id="originals-title">Original DBS certificates</h1>
      <p>
        Each trainer shows their original Enhanced DBS certificate to an assessor, in person or by video call with the certificate held to the camera. You do not
        see the details they recorded: you type the certificate number printed on the original and the academy tells you whether it matches. An administrator then
        decides on the check.
      </p>
      {actionData?.done ? <Notice>{actionData.done}</Notice> : params.get("seen") ? <Notice>Recorded: the original has been seen. The trainer has been told by email, and an administrator will decide.</Notice> : null}
      {actionData && actionData.intent !== "offer" ? <ErrorSummary message={actionData.message} /> : null}

      <section aria-labelledby="waiting-title">
        <h2 id="waiting-title">Waiting to be seen ({tasks.length})</h2>
        {tasks.length === 0 ? (
          <p>No trainer is waiting to show an original certificate.</p>
        ) : (
          <ul className="task-list">
            {tasks.map((task) => (
              <li key={task.id} className="panel task-list__item">
                <h3 className="task-list__title">
                  {task.trainer_name} <span className="muted">({task.trainer_email})</span>
                </h3>
                <p>Details recorded on {formatDate(task.created_at)}.</p>
                <p>
                  <Arrangement task={task} me={me} />
                </p>
                {task.trainer_id === me ? (
                  <p className="muted">This is your own certificate: another member of staff must see it.</p>
                ) : (
                  <p>
                    <Link to={`/assessor/dbs-originals/${task.id}`}>Record the original as seen for {task.trainer_name}</Link>
                  </p>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      <div className="side-by-side">
        <section className="panel" aria-labelledby="offer-title">
          <h2 id="offer-title">Offer a time</h2>
          <ErrorSummary message={actionData?.intent === "offer" ? actionData.message : null} fieldErrors={offerErrors} />
          <Form method="post" noValidate className="stack">
            <input type="hidden" name="intent" value="offer" />
            <Field name="day" label="Day" type="date" min={firstDay} max={lastDay} error={offerErrors.day} />
            <Field name="time" label="Time (UK)" type="time" hint="For example 10:30." error={offerErrors.time} />
            <RadioGroup
              name="method"
              legend="How"
              error={offerErrors.method}
              options={[
                { value: "in_person", label: "In person" },
                { value: "video", label: "Video call (the trainer holds the certificate to the camera)" },
              ]}
            />
            <Field name="place" label="Where, or how to join" hint="An address and room, or how the video link will be sent." error={offerErrors.place} maxLength={200} />
            <button type="submit" className="button" disabled={busy}>
              Offer this time
            </button>
          </Form>
        </section>
        <section className="panel" aria-labelledby="my-slots-title">
          <h2 id="my-slots-title">Your times</h2>
          {slots.length === 0 ? (
            <p>You have not offered any times from today on.</p>
          ) : (
            <ul>
              {slots.map((slot) => (
                <li key={slot.id}>
                  {formatSlotTime(slot.starts_at)}, {SLOT_METHOD_LABELS[slot.method].toLowerCase()} ({slot.place}): {slot.booked_by ? `booked by ${slot.booked_by}` : "not booked"}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </section>
  );
}
