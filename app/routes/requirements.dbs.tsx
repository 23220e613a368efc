import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { emailConfirmationRefusal, isEmailConfirmed } from "~/auth/email-confirmation.server";
import { EmailConfirmationNotice } from "~/components/email-confirmation";
import { serverClock } from "~/utils/clock.server";
import { CheckboxField, ErrorSummary, Field, RadioGroup } from "~/components/form";
import { getDb } from "~/db.server";
import { submitDbsCheck } from "~/evidence/dbs.server";
import { WORKFORCE_LABELS } from "~/evidence/validation";
import { formToObject, readForm } from "~/utils/forms";
import { getPolicy } from "~/policy/policy.server";
import { replyRefusal } from "~/utils/result";

export const meta: MetaFunction = () => [{ title: "Enhanced DBS check · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "trainer");
  return { retentionMonths: (await getPolicy(getDb())).dbsRetentionMonths, unconfirmedEmail: (await isEmailConfirmed(getDb(), user.id)) ? null : user.email };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "trainer");
  // No file is ever accepted for DBS: a multipart (upload) request is refused before it is read.
  const type = request.headers.get("content-type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded")) {
    throw new Response("DBS certificates are never uploaded. Enter the details in the form instead.", { status: 415 });
  }
  if (Number(request.headers.get("content-length") ?? "0") > 16 * 1024) throw new Response("This form is too large.", { status: 413 });
  const unconfirmed = await emailConfirmationRefusal(getDb(), user.id);
  if (unconfirmed) return replyRefusal(unconfirmed);
  const result = await submitDbsCheck(getDb(), user.id, formToObject(await readForm(request)), serverClock());
  // The certificate number is not echoed back to the page on a refusal: the trainer's browser still has it in the field.
  if (!result.ok) return replyRefusal(result);
  throw redirect("/requirements?done=dbs");
}

export default function DbsForm() {
  const { retentionMonths, unconfirmedEmail } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: Record<string, string> = actionData?.fieldErrors ?? {};
  const busy = useNavigation().state === "submitting";
  return (
    <section className="narrow" aria-labelledby="dbs-form-title">
      <p>
        <Link to="/requirements">Back to entry requirements</Link>
      </p>
      <h1 id="dbs-form-title">Enhanced DBS check</h1>
      <div className="alert alert--info">
        <p className="alert__line">
          <strong>Do not upload or send a copy of your DBS certificate.</strong> A DBS certificate is criminal offence data under UK GDPR, even when it is
          clear, so RMR never stores a scan or its contents. We record only the details below, and only administrators can see them.
        </p>
        <p className="alert__line">
          You will show the <strong>original paper certificate</strong> to an assessor, in person or by video call with the certificate held to the camera: after
          saving, you choose a time an assessor offers or ask to be contacted. The certificate number and issue date are deleted {retentionMonths}{" "}
          {retentionMonths === 1 ? "month" : "months"} after the decision; the decision itself is kept.
        </p>
      </div>
      {unconfirmedEmail ? <EmailConfirmationNotice email={unconfirmedEmail} /> : null}
      <ErrorSummary message={actionData?.message} fieldErrors={actionData?.fieldErrors} />
      <Form method="post" noValidate className="stack" autoComplete="off">
        <Field name="certificateNumber" label="Certificate number" inputMode="numeric" hint="12 digits, at the top right of the certificate." error={errors.certificateNumber} />
        <Field name="issueDate" label="Date of issue" type="date" error={errors.issueDate} />
        <fieldset className="field fieldset">
          <legend>Level: Enhanced, with which barred list checks?</legend>
          <p className="field__hint">Tick each barred list the certificate says was checked. Leave both unticked if neither was.</p>
          <div className="choices">
            <CheckboxField name="adultsBarredList" label="Adults' barred list" />
            <CheckboxField name="childrenBarredList" label="Children's barred list" />
          </div>
        </fieldset>
        <RadioGroup
          name="workforce"
          legend="Workforce shown on the certificate"
          error={errors.workforce}
          options={Object.entries(WORKFORCE_LABELS).map(([value, label]) => ({ value, label }))}
        />
        <RadioGroup
          name="updateService"
          legend="Do you subscribe to the DBS Update Service with this certificate?"
          error={errors.updateService}
          options={[
            { value: "yes", label: "Yes" },
            { value: "no", label: "No" },
          ]}
        />
        <CheckboxField
          name="statusCheckConsent"
          label="I consent to RMR carrying out Update Service status checks on this certificate"
          hint="Only if you subscribe. Status checks let us confirm the certificate is still current without a new DBS application."
          error={errors.statusCheckConsent}
        />
        <CheckboxField name="willShowOriginal" label="I will show the original certificate to an assessor" error={errors.willShowOriginal} />
        <div className="actions">
          <button type="submit" className="button" disabled={busy}>
            {busy ? "Saving…" : "Record my DBS details"}
          </button>
          <Link to="/requirements">Cancel</Link>
        </div>
      </Form>
    </section>
  );
}
