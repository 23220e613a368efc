import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requireRole } from "~/auth/guards.server";
import { hasSecondFactor, resetSecondFactor } from "~/auth/two-factor.server";
import { serverClock } from "~/utils/clock.server";
import { getDb } from "~/db.server";
import { FormError, Notice, TextareaField } from "~/components/form";
import { formToObject, readForm, validate } from "~/utils/forms";
import { replyRefusal } from "~/utils/result";
import { ROLE_LABELS } from "~/navigation";

export const meta: MetaFunction = () => [{ title: "Reset two-factor sign-in · Approved Trainer Academy" }];

async function personOr404(userId: string | undefined) {
  const id = Number(userId);
  const person = Number.isSafeInteger(id) && id > 0 ? await getDb().selectFrom("user").select(["id", "name", "email", "role"]).where("id", "=", id).executeTakeFirst() : undefined;
  if (!person) throw new Response("That account does not exist.", { status: 404 });
  return person;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const person = await personOr404(params.userId);
  return { person, self: person.id === admin.id, hasSecondFactor: await hasSecondFactor(getDb(), person.id) };
}

const resetSchema = z.object({
  reason: z.string({ error: "Give the reason; it goes in the audit trail." }).trim().min(10, "Give a reason of at least 10 characters; it goes in the audit trail.").max(1000, "Keep the reason to 1,000 characters or fewer."),
});

/** Resetting someone's second factor (ADR 0032): audited with the reason; they are signed out everywhere. */
export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const person = await personOr404(params.userId);
  const parsed = validate(resetSchema, formToObject(await readForm(request)));
  if (!parsed.ok) return replyRefusal(parsed, { done: null });
  const result = await resetSecondFactor(getDb(), admin.id, person.id, parsed.value.reason, serverClock());
  if (!result.ok) return replyRefusal(result, { done: null });
  return data({ done: `${result.value.name}'s two-factor sign-in has been reset and they have been signed out everywhere. They set it up again when they next sign in.`, message: null, fieldErrors: {} as Record<string, string> });
}

export default function ResetTwoFactor() {
  const { person, self, hasSecondFactor } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <section className="narrow" aria-labelledby="reset-title">
      <h1 id="reset-title">Reset two-factor sign-in</h1>
      <dl className="facts">
        <dt>Name</dt>
        <dd>{person.name}</dd>
        <dt>Email address</dt>
        <dd>{person.email}</dd>
        <dt>Role</dt>
        <dd>{ROLE_LABELS[person.role]}</dd>
        <dt>Two-factor sign-in</dt>
        <dd>{hasSecondFactor ? "On" : "Not set up"}</dd>
      </dl>
      {actionData?.done ? <Notice>{actionData.done}</Notice> : null}
      <FormError error={actionData?.message} />
      {self ? (
        <p>You cannot reset your own two-factor sign-in. Ask another administrator.</p>
      ) : actionData?.done ? null : (
        <>
          <p>
            Do this only when you are sure it is really them asking (for example, they lost their phone and their recovery codes). Their authenticator app and recovery
            codes stop working, every session they have ends, and they set it up again at their next sign-in.
          </p>
          <Form method="post" noValidate className="stack">
            <TextareaField name="reason" label="Reason (recorded in the audit trail)" rows={3} required error={actionData?.fieldErrors.reason} />
            <button type="submit" className="button" disabled={busy}>
              Reset two-factor sign-in
            </button>
          </Form>
        </>
      )}
      <p>
        <Link to="/admin/users">Back to users</Link>
      </p>
    </section>
  );
}
