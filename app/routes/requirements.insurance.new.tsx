import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { emailConfirmationRefusal, isEmailConfirmed } from "~/auth/email-confirmation.server";
import { EmailConfirmationNotice } from "~/components/email-confirmation";
import { serverClock } from "~/utils/clock.server";
import { ErrorSummary, Field, RadioGroup, TextareaField } from "~/components/form";
import { getDb } from "~/db.server";
import { getEnv } from "~/utils/env.server";
import { receiveEvidenceForm } from "~/evidence/files.server";
import { MAX_EVIDENCE_LABEL } from "~/evidence/kinds";
import { formatPence } from "~/utils/money";
import { INSURANCE_FILE_FIELDS, submitInsurance } from "~/evidence/requirements.server";
import { LIMIT_BASIS_LABELS } from "~/evidence/validation";
import { getPolicy } from "~/policy/policy.server";
import { replyRefusal } from "~/utils/result";

export const meta: MetaFunction = () => [{ title: "Your insurance · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "trainer");
  return { policy: await getPolicy(getDb()), unconfirmedEmail: (await isEmailConfirmed(getDb(), user.id)) ? null : user.email };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const unconfirmed = await emailConfirmationRefusal(getDb(), user.id);
  if (unconfirmed) return replyRefusal(unconfirmed, { values: {} as Record<string, string> });
  const evidenceDir = getEnv().EVIDENCE_DIR;
  const form = await receiveEvidenceForm(request, { evidenceDir, fileFields: INSURANCE_FILE_FIELDS });
  const result = await submitInsurance(getDb(), user.id, form, { evidenceDir, now: serverClock() });
  if (!result.ok) return replyRefusal(result, { values: form.fields });
  throw redirect("/requirements?done=insurance");
}

export default function NewInsurance() {
  const { policy, unconfirmedEmail } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: Record<string, string> = actionData?.fieldErrors ?? {};
  const values: Record<string, string> = actionData?.values ?? {};
  const busy = useNavigation().state === "submitting";
  return (
    <section className="narrow" aria-labelledby="insurance-form-title">
      <p>
        <Link to="/requirements">Back to entry requirements</Link>
      </p>
      <h1 id="insurance-form-title">Your insurance</h1>
      <p>
        Enter your public liability and professional indemnity cover (often one &ldquo;professional liability&rdquo; policy) as shown on the policy schedule,
        and upload the schedule or insurance certificate. The academy&apos;s minimum is {formatPence(policy.minPublicLiabilityPence)} public liability and{" "}
        {formatPence(policy.minProfessionalIndemnityPence)} professional indemnity.
      </p>
      {unconfirmedEmail ? <EmailConfirmationNotice email={unconfirmedEmail} /> : null}
      <ErrorSummary message={actionData?.message} fieldErrors={actionData?.fieldErrors} />
      <Form method="post" encType="multipart/form-data" noValidate className="stack">
        <Field name="insurer" label="Insurer" defaultValue={values.insurer} error={errors.insurer} />
        <Field name="policyNumber" label="Policy number" defaultValue={values.policyNumber} error={errors.policyNumber} autoComplete="off" />
        <Field
          name="publicLiability"
          label="Public liability limit (£)"
          inputMode="decimal"
          hint="In pounds, for example 5,000,000."
          defaultValue={values.publicLiability}
          error={errors.publicLiability}
        />
        <Field
          name="professionalIndemnity"
          label="Professional indemnity limit (£)"
          inputMode="decimal"
          hint="In pounds, for example 1,000,000."
          defaultValue={values.professionalIndemnity}
          error={errors.professionalIndemnity}
        />
        <RadioGroup
          name="limitBasis"
          legend="Are the limits per occurrence or aggregate?"
          error={errors.limitBasis}
          defaultValue={values.limitBasis}
          options={Object.entries(LIMIT_BASIS_LABELS).map(([value, label]) => ({ value, label }))}
        />
        <TextareaField
          name="coveredActivities"
          label="Covered activities"
          hint="As listed on the schedule, for example personal training, exercise instruction, sports massage."
          defaultValue={values.coveredActivities}
          error={errors.coveredActivities}
          rows={3}
        />
        <Field name="territory" label="Territory" hint="For example United Kingdom." defaultValue={values.territory} error={errors.territory} />
        <Field name="startDate" label="Start date" type="date" defaultValue={values.startDate} error={errors.startDate} />
        <Field name="endDate" label="End date" type="date" hint="When this cover lapses you are no longer approved, so renew in good time." defaultValue={values.endDate} error={errors.endDate} />
        <Field
          name="evidence"
          label="Policy schedule or certificate (PDF, PNG or JPEG)"
          type="file"
          accept="application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg"
          hint={`At most ${MAX_EVIDENCE_LABEL}.`}
          error={errors.evidence}
        />
        <div className="actions">
          <button type="submit" className="button" disabled={busy}>
            {busy ? "Uploading…" : "Submit for verification"}
          </button>
          <Link to="/requirements">Cancel</Link>
        </div>
      </Form>
    </section>
  );
}
