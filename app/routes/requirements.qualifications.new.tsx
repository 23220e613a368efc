import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { emailConfirmationRefusal, isEmailConfirmed } from "~/auth/email-confirmation.server";
import { EmailConfirmationNotice } from "~/components/email-confirmation";
import { serverClock } from "~/utils/clock.server";
import { ErrorSummary, Field, RadioGroup, SelectField } from "~/components/form";
import { getDb } from "~/db.server";
import { getEnv } from "~/utils/env.server";
import { receiveEvidenceForm } from "~/evidence/files.server";
import { MAX_EVIDENCE_LABEL } from "~/evidence/kinds";
import { QUALIFICATION_FILE_FIELDS, submitQualification } from "~/evidence/requirements.server";
import { QUALIFICATION_KIND_LABELS } from "~/evidence/validation";
import { replyRefusal } from "~/utils/result";

export const meta: MetaFunction = () => [{ title: "Add a qualification · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "trainer");
  return { unconfirmedEmail: (await isEmailConfirmed(getDb(), user.id)) ? null : user.email };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const unconfirmed = await emailConfirmationRefusal(getDb(), user.id);
  if (unconfirmed) return replyRefusal(unconfirmed, { values: {} as Record<string, string> });
  const evidenceDir = getEnv().EVIDENCE_DIR;
  const form = await receiveEvidenceForm(request, { evidenceDir, fileFields: QUALIFICATION_FILE_FIELDS });
  const result = await submitQualification(getDb(), user.id, form, { evidenceDir, now: serverClock() });
  if (!result.ok) return replyRefusal(result, { values: form.fields });
  throw redirect("/requirements?done=qualification");
}

const LEVELS = ["2", "3", "4", "5", "6", "7", "8"].map((l) => ({ value: l, label: `Level ${l}` }));

export default function NewQualification() {
  const { unconfirmedEmail } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: Record<string, string> = actionData?.fieldErrors ?? {};
  const values: Record<string, string> = actionData?.values ?? {};
  const busy = useNavigation().state === "submitting";
  return (
    <section className="narrow" aria-labelledby="qualification-title">
      <p>
        <Link to="/requirements">Back to entry requirements</Link>
      </p>
      <h1 id="qualification-title">Add a qualification</h1>
      <p>
        Enter the details exactly as they appear on the <strong>awarding organisation&apos;s certificate</strong> and upload that certificate. Unit
        certificates, letters and training-provider certificates are not accepted. You need at least one personal training qualification at Level 3 or above.
      </p>
      {unconfirmedEmail ? <EmailConfirmationNotice email={unconfirmedEmail} /> : null}
      <ErrorSummary message={actionData?.message} fieldErrors={actionData?.fieldErrors} />
      <Form method="post" encType="multipart/form-data" noValidate className="stack">
        <RadioGroup
          name="kind"
          legend="Type of qualification"
          error={errors.kind}
          defaultValue={values.kind}
          options={Object.entries(QUALIFICATION_KIND_LABELS).map(([value, label]) => ({ value, label }))}
        />
        <SelectField name="level" label="Level" options={LEVELS} placeholder="Choose the level" defaultValue={values.level ?? ""} error={errors.level} />
        <Field name="awardingOrganisation" label="Awarding organisation" hint="For example Active IQ, YMCA Awards or VTCT." defaultValue={values.awardingOrganisation} error={errors.awardingOrganisation} />
        <Field name="title" label="Qualification title" hint="For example Level 3 Diploma in Personal Training." defaultValue={values.title} error={errors.title} />
        <Field
          name="qualificationNumber"
          label="Qualification number"
          hint="The regulated qualification number, like 600/4941/8."
          defaultValue={values.qualificationNumber}
          error={errors.qualificationNumber}
          autoComplete="off"
        />
        <Field name="certificateNumber" label="Certificate number" defaultValue={values.certificateNumber} error={errors.certificateNumber} autoComplete="off" />
        <Field name="issueDate" label="Issue date" type="date" hint="The date printed on the certificate." defaultValue={values.issueDate} error={errors.issueDate} />
        <Field
          name="evidence"
          label="Certificate (PDF, PNG or JPEG)"
          type="file"
          accept="application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg"
          hint={`A scan or photo of the whole certificate, at most ${MAX_EVIDENCE_LABEL}.`}
          error={errors.evidence}
        />
        <Field
          name="cpdEvidence"
          label="Recent CPD evidence (if the qualification is more than five years old)"
          type="file"
          accept="application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg"
          hint={`Certificates of continuing professional development from the last two years, as one PDF, PNG or JPEG of at most ${MAX_EVIDENCE_LABEL}.`}
          error={errors.cpdEvidence}
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
