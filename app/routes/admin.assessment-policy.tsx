import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { getAssessmentPolicy, updateAssessmentPolicy } from "~/assessment/attempts.server";
import { requireRole } from "~/auth/guards.server";
import { serverClock } from "~/utils/clock.server";
import { getDb } from "~/db.server";
import { Field, Notice } from "~/components/form";
import { formToObject, validate } from "~/utils/forms";
import { replyRefusal } from "~/utils/result";

export const meta: MetaFunction = () => [{ title: "Assessment retake policy · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const policy = await getAssessmentPolicy(getDb());
  return { cooldownHours: policy.cooldown_hours, failsBeforeLock: policy.fails_before_lock };
}

const schema = z.object({
  cooldownHours: z.coerce.number({ error: "Enter a whole number of hours." }).int("Enter a whole number of hours.").min(0, "Use 0 or more hours.").max(720, "Use at most 720 hours (30 days)."),
  failsBeforeLock: z.coerce.number({ error: "Enter a whole number." }).int("Enter a whole number.").min(1, "Use at least 1.").max(20, "Use at most 20."),
});

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const parsed = validate(schema, formToObject(await request.formData()));
  if (!parsed.ok) return replyRefusal(parsed, { saved: false });
  await updateAssessmentPolicy(getDb(), admin.id, parsed.value, serverClock());
  return { message: null, fieldErrors: {} as Record<string, string>, saved: true };
}

export default function AssessmentPolicy() {
  const policy = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <section className="narrow" aria-labelledby="policy-title">
      <h1 id="policy-title">Assessment retake policy</h1>
      <p>Applies to the end-of-module assessments. Defaults: wait 24 hours after a fail; after 3 fails in a row an assessor must unlock.</p>
      {actionData?.saved ? <Notice>Policy saved. The change is in the audit trail.</Notice> : null}
      <Form method="post" noValidate className="stack">
        <Field name="cooldownHours" label="Hours to wait after an unsuccessful attempt" type="number" inputMode="numeric" min={0} max={720} defaultValue={policy.cooldownHours} required error={actionData?.fieldErrors.cooldownHours} />
        <Field name="failsBeforeLock" label="Unsuccessful attempts in a row before an assessor must unlock" type="number" inputMode="numeric" min={1} max={20} defaultValue={policy.failsBeforeLock} required error={actionData?.fieldErrors.failsBeforeLock} />
        <button type="submit" className="button">
          Save policy
        </button>
      </Form>
    </section>
  );
}
