import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { serverClock } from "~/utils/clock.server";
import { CheckboxField, ErrorSummary, Field, Notice } from "~/components/form";
import { getDb } from "~/db.server";
import { formatPence, penceToPoundsInput } from "~/utils/money";
import { formToObject, readForm, validate } from "~/utils/forms";
import { replyRefusal } from "~/utils/result";
import { DEFAULT_POLICY, policySchema } from "~/policy/policy";
import { getPolicy } from "~/policy/policy.server";
import { changePolicy } from "~/approval/approval.server";
import { getEnv } from "~/utils/env.server";

export const meta: MetaFunction = () => [{ title: "Policy · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return { policy: await getPolicy(getDb()) };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const parsed = validate(policySchema, formToObject(await readForm(request)));
  if (!parsed.ok) return replyRefusal(parsed, { done: null });
  const { changed } = await changePolicy(getDb(), admin.id, parsed.value, getEnv().PUBLIC_BASE_URL, serverClock());
  return { message: null, fieldErrors: {} as Record<string, string>, done: changed.length === 0 ? "Nothing changed." : "The policy has been saved." };
}

export default function PolicyPage() {
  const { policy } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: Record<string, string> = actionData?.fieldErrors ?? {};
  const busy = useNavigation().state === "submitting";
  return (
    <section className="narrow" aria-labelledby="policy-title">
      <h1 id="policy-title">Policy</h1>
      <p>The rules the academy applies to entry requirements, certificates, the agreement and supervision. Changes apply from now on and are written to the audit trail.</p>
      {actionData?.done ? <Notice>{actionData.done}</Notice> : null}
      <ErrorSummary message={actionData?.message} fieldErrors={actionData?.fieldErrors} />
      <Form method="post" noValidate className="stack">
        <Field
          name="minPublicLiabilityPence"
          label="Minimum public liability cover (£)"
          inputMode="decimal"
          hint={`Default ${formatPence(DEFAULT_POLICY.minPublicLiabilityPence)}.`}
          defaultValue={penceToPoundsInput(policy.minPublicLiabilityPence)}
          error={errors.minPublicLiabilityPence}
        />
        <Field
          name="minProfessionalIndemnityPence"
          label="Minimum professional indemnity cover (£)"
          inputMode="decimal"
          hint={`Default ${formatPence(DEFAULT_POLICY.minProfessionalIndemnityPence)}.`}
          defaultValue={penceToPoundsInput(policy.minProfessionalIndemnityPence)}
          error={errors.minProfessionalIndemnityPence}
        />
        <Field
          name="dbsRecheckMonths"
          label="DBS re-check interval (months)"
          inputMode="numeric"
          hint={`DBS certificates do not expire; this is how long a check counts for, from its issue date or the last clear Update Service status check. Default ${DEFAULT_POLICY.dbsRecheckMonths}.`}
          defaultValue={String(policy.dbsRecheckMonths)}
          error={errors.dbsRecheckMonths}
        />
        <Field
          name="warningWindowDays"
          label="“Expiring soon” warning window (days)"
          inputMode="numeric"
          hint={`Trainers are reminded once when insurance or a DBS re-check falls within this window. Default ${DEFAULT_POLICY.warningWindowDays}.`}
          defaultValue={String(policy.warningWindowDays)}
          error={errors.warningWindowDays}
        />
        <Field
          name="dbsRetentionMonths"
          label="DBS detail retention after decision (months)"
          inputMode="numeric"
          hint={`The certificate number and issue date are erased this long after the decision; the decision is kept. Default ${DEFAULT_POLICY.dbsRetentionMonths}.`}
          defaultValue={String(policy.dbsRetentionMonths)}
          error={errors.dbsRetentionMonths}
        />
        <Field
          name="certificateValidityMonths"
          label="Certificate validity period (months)"
          inputMode="numeric"
          hint={`A certificate expires this long after issue, or sooner at the insurance end date or DBS re-check date. Default ${DEFAULT_POLICY.certificateValidityMonths}.`}
          defaultValue={String(policy.certificateValidityMonths)}
          error={errors.certificateValidityMonths}
        />
        <Field
          name="agreementReacceptanceDays"
          label="Agreement re-acceptance window (days)"
          inputMode="numeric"
          hint={`When a new version of the scope of practice agreement is published, certified trainers keep a valid certificate for this long, counted from the day it was published; after that it reads “Suspended — agreement not accepted” until they accept. Shortening it can end a running window at once. Default ${DEFAULT_POLICY.agreementReacceptanceDays}.`}
          defaultValue={String(policy.agreementReacceptanceDays)}
          error={errors.agreementReacceptanceDays}
        />
        <h2>Supervision</h2>
        <Field
          name="supervisionIntervalMonths"
          label="Supervision interval (months)"
          inputMode="numeric"
          hint={`Every certified trainer has a supervision session at least this often; the supervisor sets each next due date within it. Default ${DEFAULT_POLICY.supervisionIntervalMonths}.`}
          defaultValue={String(policy.supervisionIntervalMonths)}
          error={errors.supervisionIntervalMonths}
        />
        <Field
          name="supervisionGraceDays"
          label="Supervision grace period (days)"
          inputMode="numeric"
          hint={`After the due date, supervision is flagged as due for this many days, then as overdue to the trainer, the supervisor and admins. 0 to 90. Default ${DEFAULT_POLICY.supervisionGraceDays}.`}
          defaultValue={String(policy.supervisionGraceDays)}
          error={errors.supervisionGraceDays}
        />
        <CheckboxField
          name="supervisionSuspendsWhenOverdue"
          label="Overdue supervision suspends the certificate"
          hint="When ticked, a trainer whose supervision is overdue has a certificate reading “Suspended — supervision overdue” until a session is recorded. Off by default: overdue supervision is then only flagged."
          defaultChecked={policy.supervisionSuspendsWhenOverdue === 1}
          error={errors.supervisionSuspendsWhenOverdue}
        />
        <h2>Concerns</h2>
        <CheckboxField
          name="concernRaiserSharedWithTrainer"
          label="Tell the trainer who raised a concern"
          hint="When ticked, a trainer told of a concern about them also reads the raiser’s name, organisation and relationship to them (never their email address), and the concern form says so before anyone sends one. Off by default: the trainer is told that a concern exists and its outcome, not who raised it."
          defaultChecked={policy.concernRaiserSharedWithTrainer === 1}
          error={errors.concernRaiserSharedWithTrainer}
        />
        <h2>Sign-in</h2>
        <CheckboxField
          name="twoFactorRequiredForStaff"
          label="Two-factor sign-in required for staff"
          hint="When ticked (the default), admins and assessors sign in with a code from an authenticator app as well as their password, and one who has not set it up is sent to do so before any staff page. Trainers may always choose to turn it on."
          defaultChecked={policy.twoFactorRequiredForStaff === 1}
          error={errors.twoFactorRequiredForStaff}
        />
        <button type="submit" className="button" disabled={busy}>
          Save policy
        </button>
      </Form>
    </section>
  );
}
