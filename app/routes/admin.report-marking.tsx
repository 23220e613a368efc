import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireRole } from "~/auth/guards.server";
import { serverClock } from "~/utils/clock.server";
import { CheckboxField, Field, Notice } from "~/components/form";
import { getDb } from "~/db.server";
import { formToObject, validate } from "~/utils/forms";
import { replyRefusal } from "~/utils/result";
import { getMarkingSettings, updateMarkingSettings } from "~/marking/settings.server";

export const meta: MetaFunction = () => [{ title: "Marking settings · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return getMarkingSettings(getDb());
}

const percent = z.coerce.number({ error: "Enter a whole number from 0 to 100." }).int("Enter a whole number from 0 to 100.").min(0, "Use 0 or more.").max(100, "Use at most 100.");
const schema = z.object({
  referralPercent: percent,
  passPercent: percent,
  blindMarking: z.literal("on").optional().transform((v) => v === "on"),
});

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const parsed = validate(schema, formToObject(await request.formData()));
  if (!parsed.ok) return replyRefusal(parsed, { saved: false });
  await updateMarkingSettings(getDb(), admin.id, parsed.value, serverClock());
  return { message: null, fieldErrors: {} as Record<string, string>, saved: true };
}

export default function MarkingSettings() {
  const settings = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <section className="narrow" aria-labelledby="settings-title">
      <h1 id="settings-title">Marking settings</h1>
      <p>
        For the report-writing task. Marked work picked by the sample goes to a second assessor before the outcome is released. Each submission draws once, so the same
        submission is always picked or not. See the <Link to="/marking">marking queue</Link>.
      </p>
      {actionData?.saved ? <Notice>Settings saved. The change is in the audit trail.</Notice> : null}
      <Form method="post" noValidate className="stack">
        <Field name="referralPercent" label="Percentage of referrals to moderate" hint="Default 100: every referral." type="number" inputMode="numeric" min={0} max={100} defaultValue={settings.referralPercent} error={actionData?.fieldErrors.referralPercent} />
        <Field name="passPercent" label="Percentage of passes to moderate" hint="Default 10." type="number" inputMode="numeric" min={0} max={100} defaultValue={settings.passPercent} error={actionData?.fieldErrors.passPercent} />
        <CheckboxField name="blindMarking" label="Blind marking: assessors see a candidate number instead of the trainer's name" defaultChecked={settings.blindMarking} />
        <button type="submit" className="button">
          Save settings
        </button>
      </Form>
    </section>
  );
}
