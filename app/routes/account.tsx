import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { changePassword } from "~/auth/accounts.server";
import { sessionCookie } from "~/auth/cookies.server";
import { requireUser } from "~/auth/guards.server";
import { PASSWORD_MAX, PASSWORD_MIN, changePasswordSchema } from "~/auth/validation";
import { serverClock } from "~/utils/clock.server";
import { getDb } from "~/db.server";
import { Field, Notice } from "~/components/form";
import { formToObject, readForm, validate } from "~/utils/forms";
import { replyRefusal } from "~/utils/result";
import { ROLE_LABELS } from "~/navigation";

export const meta: MetaFunction = () => [{ title: "Your account · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { name: user.name, email: user.email, role: user.role };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = validate(changePasswordSchema, formToObject(await readForm(request)));
  if (!parsed.ok) return replyRefusal(parsed);
  const result = await changePassword(getDb(), user.id, parsed.value, serverClock());
  if (!result.ok) return replyRefusal(result);
  // A redirect, so the page that follows is loaded with the new session: rendered in this same
  // request, its loaders would still see the old (now deleted) one and sign the person out.
  return redirect("/account?changed=1", { headers: { "Set-Cookie": sessionCookie(result.value.sessionToken) } });
}

export default function Account() {
  const { name, email, role } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const changed = useSearchParams()[0].get("changed") === "1" && !actionData;
  const errors = actionData?.fieldErrors ?? {};
  return (
    <section className="narrow" aria-labelledby="account-title">
      <h1 id="account-title">Your account</h1>
      <dl className="facts">
        <dt>Name</dt>
        <dd>{name}</dd>
        <dt>Email address</dt>
        <dd>{email}</dd>
        <dt>Role</dt>
        <dd>{ROLE_LABELS[role]}</dd>
      </dl>
      {role === "trainer" ? (
        <p>
          <Link to="/register/your-listing">Your listing on the public register</Link>: join, change it or leave at any time.
        </p>
      ) : null}
      <h2>Change your password</h2>
      <p>Changing your password signs you out everywhere else.</p>
      {changed ? <Notice>Your password has been changed. Other devices have been signed out.</Notice> : null}
      <Form method="post" noValidate className="stack" key={changed ? "done" : "form"}>
        <Field name="currentPassword" label="Current password" type="password" autoComplete="current-password" required error={errors.currentPassword} />
        <Field
          name="newPassword"
          label="New password"
          type="password"
          autoComplete="new-password"
          hint={`Between ${PASSWORD_MIN} and ${PASSWORD_MAX} characters.`}
          required
          error={errors.newPassword}
        />
        <Field name="confirmPassword" label="Confirm new password" type="password" autoComplete="new-password" required error={errors.confirmPassword} />
        <button type="submit" className="button" disabled={busy}>
          {busy ? "Changing…" : "Change password"}
        </button>
      </Form>
    </section>
  );
}
