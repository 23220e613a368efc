import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ErrorSummary, Field, Notice, SelectField, TextareaField } from "~/components/form";
import { getDb } from "~/db.server";
import { concernTarget, concernWait, raiseConcern, tooManyConcernsMessage } from "~/concerns/concerns.server";
import { CATEGORIES, RELATIONSHIPS, concernSchema } from "~/concerns/validation";
import { getPolicy } from "~/policy/policy.server";
import { serverClock } from "~/utils/clock.server";
import { getEnv } from "~/utils/env.server";
import { formToObject, readForm, validate } from "~/utils/forms";
import { passRetryAfter, replyRefusal, replyTooManyAttempts } from "~/utils/result";

export const meta: MetaFunction = () => [{ title: "Raise a concern with the issuer · Approved Trainer Academy" }, { name: "robots", content: "noindex" }];
export const headers = passRetryAfter;

const options = (o: Record<string, string>) => Object.entries(o).map(([value, label]) => ({ value, label }));

export async function loader({ params }: LoaderFunctionArgs) {
  const target = await concernTarget(getDb(), params.certificateId ?? "");
  if (!target) throw new Response("We could not find a certificate with that ID.", { status: 404, statusText: "Not Found" });
  return { target, raiserShared: (await getPolicy(getDb())).concernRaiserSharedWithTrainer === 1 };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const db = getDb();
  const now = serverClock();
  const wait = await concernWait(db, context.clientIp, now);
  if (wait > 0) return replyTooManyAttempts(wait, tooManyConcernsMessage(wait), { sent: false });
  const parsed = validate(concernSchema, formToObject(await readForm(request)));
  if (!parsed.ok) return replyRefusal(parsed, { sent: false });
  const result = await raiseConcern(db, params.certificateId ?? "", parsed.value, context.clientIp, getEnv().PUBLIC_BASE_URL, now);
  if (!result.ok) return replyRefusal(result, { sent: false });
  return data({ sent: true, message: null, fieldErrors: {} as Record<string, string> });
}

export default function RaiseConcern() {
  const { target, raiserShared } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors: Record<string, string> = actionData?.fieldErrors ?? {};
  return (
    <section className="narrow" aria-labelledby="concern-title">
      <h1 id="concern-title">Raise a concern with the issuer</h1>
      <div className="alert alert--info">
        <p>
          <strong>If anyone is in immediate danger, call 999.</strong> For a safeguarding concern about an adult or a child, contact the local authority&rsquo;s
          safeguarding team as well as telling us.
        </p>
      </div>
      <p>
        Tell the academy&rsquo;s governance team about a concern with {target.trainerName}, an Approved Trainer. We email you a link to confirm it, then give you a
        reference. Nothing you write is published; the verification page only ever shows the certificate&rsquo;s status.
      </p>
      <p>
        {raiserShared
          ? "The trainer is told that a concern was raised, what it is about and its outcome. Under the academy’s policy they are also told your name, organisation and how you know them (never your email address)."
          : "The trainer is told that a concern was raised, what it is about and its outcome, but not who raised it."}
      </p>
      {actionData?.sent ? (
        <Notice>Thank you. We have emailed you a link: open it within 24 hours to confirm the concern, and you will get its reference.</Notice>
      ) : (
        <>
          <ErrorSummary message={actionData?.message} fieldErrors={actionData?.fieldErrors} />
          <Form method="post" noValidate className="stack">
            <Field name="name" label="Your name" autoComplete="name" required error={errors.name} />
            <Field name="organisation" label="Organisation (optional)" autoComplete="organization" error={errors.organisation} />
            <Field name="email" label="Your email address" type="email" autoComplete="email" hint="We send the confirmation link here." required error={errors.email} />
            <SelectField name="relationship" label="How do you know the trainer?" placeholder="Choose one" options={options(RELATIONSHIPS)} error={errors.relationship} />
            <SelectField name="category" label="What is the concern about?" placeholder="Choose one" options={options(CATEGORIES)} error={errors.category} />
            <TextareaField name="whatHappened" label="What happened" hint="Facts as you know them. At least 20 characters." rows={6} required error={errors.whatHappened} />
            <Field name="when" label="When did it happen?" hint="A date, or roughly, like “last week”." required error={errors.when} />
            <button type="submit" className="button" disabled={busy}>
              Send the concern
            </button>
          </Form>
        </>
      )}
    </section>
  );
}
