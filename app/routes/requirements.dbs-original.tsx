import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { ErrorSummary, Notice, RadioGroup, TextareaField } from "~/components/form";
import { getDb } from "~/db.server";
import { SEEN_HOW_LABELS, SLOT_METHOD_LABELS, formatSlotTime } from "~/evidence/dbs-original";
import { bookViewingSlot, getOriginalViewing, listOpenSlots, requestViewingContact } from "~/evidence/dbs-original.server";
import { serverClock } from "~/utils/clock.server";
import { formatDate } from "~/utils/dates";
import { getEnv } from "~/utils/env.server";
import { formToObject, readForm } from "~/utils/forms";
import { refuse, replyRefusal } from "~/utils/result";

export const meta: MetaFunction = () => [{ title: "Show your original DBS certificate · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const db = getDb();
  const viewing = await getOriginalViewing(db, user.id);
  const waiting = viewing !== null && viewing.seen === null && !viewing.decided && !viewing.erased;
  return { viewing, slots: waiting ? await listOpenSlots(db, user.id, serverClock()) : [] };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const input = formToObject(await readForm(request));
  const now = serverClock();
  if (input.intent === "book") {
    const slotId = Number(input.slotId);
    if (!Number.isSafeInteger(slotId) || slotId <= 0) return replyRefusal(refuse(400, null, { slotId: "Choose one of the times offered." }), { intent: "book", done: null });
    const result = await bookViewingSlot(getDb(), user, slotId, getEnv().PUBLIC_BASE_URL, now);
    if (!result.ok) return replyRefusal(result, { intent: "book", done: null });
    return data({ intent: "book", message: null, fieldErrors: {} as Record<string, string>, done: "Your time is booked. We have emailed you the details." });
  }
  if (input.intent === "contact") {
    const result = await requestViewingContact(getDb(), user, input, now);
    if (!result.ok) return replyRefusal(result, { intent: "contact", done: null });
    return data({ intent: "contact", message: null, fieldErrors: {} as Record<string, string>, done: "Your request has been sent to the assessors." });
  }
  return replyRefusal(refuse(400, "Choose an action."), { intent: "", done: null });
}

type Viewing = NonNullable<Awaited<ReturnType<typeof getOriginalViewing>>>;

/** Where things stand, and what happens next, in the trainer's words. */
function NextSteps({ viewing }: { viewing: Viewing }) {
  if (viewing.seen) {
    return (
      <ol className="next-steps">
        <li>
          {viewing.seen.by ?? "An assessor"} saw your original certificate on {formatDate(viewing.seen.on)}
          {viewing.seen.how ? ` (${SEEN_HOW_LABELS[viewing.seen.how].toLowerCase()})` : ""}.
        </li>
        <li>{viewing.decided ? "An administrator has recorded the decision: see your entry requirements." : "Next, an administrator records the decision on your DBS check. You will get an email when they have."}</li>
      </ol>
    );
  }
  if (viewing.slot) {
    return (
      <ol className="next-steps">
        <li>
          You are booked for <strong>{formatSlotTime(viewing.slot.starts_at)}</strong> (UK time), {SLOT_METHOD_LABELS[viewing.slot.method].toLowerCase()} with{" "}
          {viewing.slot.assessor_name}: {viewing.slot.place}.
        </li>
        <li>
          Bring the original paper certificate{viewing.slot.method === "video" ? " and hold it to the camera when asked: first the whole page, then close to the number" : ""}. Do not
          send a copy or a photo.
        </li>
        <li>{viewing.slot.assessor_name} records that they have seen it; then an administrator records the decision. You get an email at each step.</li>
      </ol>
    );
  }
  if (viewing.contactRequestedAt) {
    return (
      <ol className="next-steps">
        <li>
          You asked on {formatDate(viewing.contactRequestedAt)} to be contacted
          {viewing.contactNote ? ` (your note: “${viewing.contactNote}”)` : ""}.
        </li>
        <li>
          {viewing.contact ? (
            <>
              <strong>{viewing.contact.name}</strong> ({viewing.contact.email}) will contact you by email to arrange a time, in person or by video call.
            </>
          ) : (
            "An assessor will tell you by email who will contact you. Until then, no one has taken it on yet."
          )}
        </li>
        <li>After they have seen the original, an administrator records the decision. You get an email at each step.</li>
      </ol>
    );
  }
  return <p>Choose one of the times below, or ask to be contacted.</p>;
}

export default function ShowOriginal() {
  const { viewing, slots } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: Record<string, string> = actionData?.fieldErrors ?? {};
  const busy = useNavigation().state === "submitting";
  const waiting = viewing !== null && viewing.seen === null && !viewing.decided && !viewing.erased;
  return (
    <section className="narrow" aria-labelledby="original-title">
      <p>
        <Link to="/requirements">Back to entry requirements</Link>
      </p>
      <h1 id="original-title">Show your original DBS certificate</h1>
      <p>
        An assessor must see your original Enhanced DBS certificate, in person or by video call with the certificate held to the camera. They check that it is yours
        and that its number matches the one you recorded; they do not see or keep your details. Then an administrator records the decision.
      </p>
      {actionData?.done ? <Notice>{actionData.done}</Notice> : null}
      <ErrorSummary message={actionData?.message} fieldErrors={actionData?.fieldErrors} />
      {viewing === null ? (
        <p>
          First <Link to="/requirements/dbs">record your DBS certificate details</Link>.
        </p>
      ) : (
        <section className="panel" aria-labelledby="next-title">
          <h2 id="next-title">What happens next</h2>
          <NextSteps viewing={viewing} />
        </section>
      )}
      {waiting ? (
        <>
          <section aria-labelledby="slots-title">
            <h2 id="slots-title">{viewing.slot ? "Choose a different time" : "Choose a time"}</h2>
            {slots.length === 0 ? (
              <p>No times are offered at the moment. Ask to be contacted below.</p>
            ) : (
              <Form method="post" className="stack">
                <input type="hidden" name="intent" value="book" />
                <RadioGroup
                  name="slotId"
                  legend="Times offered by assessors (UK time)"
                  error={errors.slotId}
                  options={slots.map((slot) => ({
                    value: String(slot.id),
                    label: `${formatSlotTime(slot.starts_at)}, ${SLOT_METHOD_LABELS[slot.method].toLowerCase()} with ${slot.assessor_name}: ${slot.place}`,
                  }))}
                />
                <button type="submit" className="button" disabled={busy}>
                  Book this time
                </button>
              </Form>
            )}
          </section>
          <section aria-labelledby="contact-title">
            <h2 id="contact-title">Or ask to be contacted</h2>
            <Form method="post" noValidate className="stack">
              <input type="hidden" name="intent" value="contact" />
              <TextareaField name="note" label="When and how to reach you (optional)" hint="For example: weekday mornings; I prefer a video call." error={errors.note} rows={3} maxLength={500} />
              <button type="submit" className="button button--secondary" disabled={busy}>
                Ask an assessor to contact me
              </button>
            </Form>
          </section>
        </>
      ) : null}
    </section>
  );
}
