import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireRole } from "~/auth/guards.server";
import { ErrorSummary, Notice, RadioGroup } from "~/components/form";
import { getDb } from "~/db.server";
import { getRegisterSettings, updateRegisterSettings } from "~/register/settings.server";
import { serverClock } from "~/utils/clock.server";
import { formToObject, readForm, validate } from "~/utils/forms";
import { replyRefusal } from "~/utils/result";

export const meta: MetaFunction = () => [{ title: "Register settings · Approved Trainer Academy" }];

const schema = z.object({ noindex: z.enum(["yes", "no"], { error: "Choose whether search engines may index the register." }) });

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return { settings: await getRegisterSettings(getDb()) };
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const parsed = validate(schema, formToObject(await readForm(request)));
  if (!parsed.ok) return replyRefusal(parsed, { done: null });
  const { changed } = await updateRegisterSettings(getDb(), admin.id, { noindex: parsed.value.noindex === "yes" }, serverClock());
  return { message: null, fieldErrors: {} as Record<string, string>, done: changed ? "The register settings have been saved." : "Nothing changed." };
}

export default function RegisterSettings() {
  const { settings } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <section className="narrow" aria-labelledby="register-settings-title">
      <h1 id="register-settings-title">Public register settings</h1>
      <p>
        The <Link to="/register">public register</Link> lists trainers who have consented and whose certificate is valid today. Changes are written to the audit trail.
      </p>
      {actionData?.done ? <Notice>{actionData.done}</Notice> : null}
      <ErrorSummary message={actionData?.message} fieldErrors={actionData?.fieldErrors} />
      <Form method="post" noValidate className="stack">
        <RadioGroup
          name="noindex"
          legend="Ask search engines not to index the register?"
          hint="Yes (the default) adds a noindex instruction, so the register is found only through this site."
          defaultValue={settings.noindex ? "yes" : "no"}
          error={actionData?.fieldErrors?.noindex}
          options={[
            { value: "yes", label: "Yes, keep it out of search engines" },
            { value: "no", label: "No, let search engines index it" },
          ]}
        />
        <button type="submit" className="button">
          Save settings
        </button>
      </Form>
    </section>
  );
}
