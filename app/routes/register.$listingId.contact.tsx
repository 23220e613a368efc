import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ErrorSummary, Field, Notice, TextareaField } from "~/components/form";
import { getDb } from "~/db.server";
import { enquiryWait, findListedTrainer, sendEnquiry, tooManyEnquiriesMessage } from "~/register/register.server";
import { ENQUIRY_MAX, ENQUIRY_MIN, enquirySchema } from "~/register/validation";
import { serverClock } from "~/utils/clock.server";
import { formToObject, readForm, validate } from "~/utils/forms";
import { passRetryAfter, replyRefusal, replyTooManyAttempts } from "~/utils/result";

export const meta: MetaFunction = () => [{ title: "Contact an approved trainer · Approved Trainer Academy" }, { name: "robots", content: "noindex" }];

export const headers = passRetryAfter;

const NOT_LISTED = "This trainer is not on the register today. Their certificate may no longer be valid, or they have left the register.";

export async function loader({ params }: LoaderFunctionArgs) {
  const trainer = await findListedTrainer(getDb(), params.listingId ?? "", serverClock());
  if (!trainer) throw new Response(NOT_LISTED, { status: 404, statusText: "Not Found" });
  return { trainer };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const db = getDb();
  const now = serverClock();
  const listingId = params.listingId ?? "";
  const wait = await enquiryWait(db, context.clientIp, listingId, now);
  if (wait > 0) return replyTooManyAttempts(wait, tooManyEnquiriesMessage(wait), { sent: false });
  const parsed = validate(enquirySchema, formToObject(await readForm(request)));
  if (!parsed.ok) return replyRefusal(parsed, { sent: false });
  const result = await sendEnquiry(db, listingId, parsed.value, context.clientIp, now);
  if (!result.ok) return replyRefusal(result, { sent: false });
  return data({ sent: true, message: null, fieldErrors: {} as Record<string, string> });
}

export default function ContactTrainer() {
  const { trainer } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors: Record<string, string> = actionData?.fieldErrors ?? {};
  return (
    <section className="narrow" aria-labelledby="contact-title">
      <h1 id="contact-title">Contact {trainer.name}</h1>
      <p>
        {trainer.name} is a Medical-Legal Approved Trainer working in {trainer.areaLabel}. The academy sends your enquiry to them by email; they reply to you directly
        if they choose to. Your enquiry is not published anywhere.
      </p>
      {actionData?.sent ? (
        <>
          <Notice>Your enquiry has been sent to {trainer.name}. If they can help, they will reply to the email address you gave.</Notice>
          <p>
            <Link to="/register">Back to the register</Link>
          </p>
        </>
      ) : (
        <>
          <ErrorSummary message={actionData?.message} fieldErrors={actionData?.fieldErrors} />
          <Form method="post" noValidate className="stack">
            <Field name="name" label="Your name" autoComplete="name" required maxLength={100} error={errors.name} />
            <Field name="organisation" label="Organisation (optional)" hint="For example your case management company or firm." autoComplete="organization" maxLength={150} error={errors.organisation} />
            <Field name="email" label="Your email address" type="email" hint="The trainer replies to this address." autoComplete="email" required error={errors.email} />
            <TextareaField
              name="message"
              label="Your enquiry"
              hint={`Between ${ENQUIRY_MIN} and ${ENQUIRY_MAX} characters. Describe the support you are looking for; do not include a client's name or medical details.`}
              rows={6}
              required
              error={errors.message}
            />
            <button type="submit" className="button" disabled={busy}>
              Send the enquiry
            </button>
          </Form>
        </>
      )}
    </section>
  );
}
