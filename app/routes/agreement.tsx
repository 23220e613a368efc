import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { getCurrentAgreement, getLatestAcceptance } from "~/agreement/agreement.server";
import { acceptAgreement } from "~/approval/approval.server";
import { requireRole } from "~/auth/guards.server";
import { serverClock } from "~/utils/clock.server";
import { StaticHtml } from "~/components/static-html";
import { getDb } from "~/db.server";
import { Field, FormError } from "~/components/form";
import { invalid, replyRefusal } from "~/utils/result";
import { readForm, textErrors } from "~/utils/forms";
import { formatDate } from "~/utils/dates";

export const meta: MetaFunction = () => [{ title: "Scope of practice agreement · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const agreement = getCurrentAgreement();
  if (!agreement) throw new Response("The agreement is not available.", { status: 404 });
  const latest = await getLatestAcceptance(getDb(), user.id);
  return {
    agreement: { title: agreement.title, version: agreement.version, html: agreement.html, may: agreement.may, mayNot: agreement.mayNot },
    accountName: user.name,
    accepted: latest?.agreement_version === agreement.version ? { at: latest.accepted_at, name: latest.typed_name } : null,
    previouslyAccepted: latest && latest.agreement_version !== agreement.version ? latest.accepted_at : null,
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const form = await readForm(request);
  const typedName = String(form.get("typedName") ?? "").slice(0, 200);
  const version = String(form.get("version") ?? "");
  if (!typedName.trim()) return replyRefusal(invalid({ typedName: "Type your full name to accept the agreement." }));
  const badText = textErrors({ typedName });
  if (badText.typedName) return replyRefusal(invalid(badText));
  if (form.get("confirm") !== "yes") return replyRefusal(invalid({ confirm: "Confirm that you have read and will work to the agreement." }));
  const result = await acceptAgreement(getDb(), user, { typedName, version }, serverClock());
  if (!result.ok) return replyRefusal(result);
  return redirect(result.value.certificateId ? "/dashboard?certified=1" : "/dashboard?accepted=1");
}

export default function Agreement() {
  const { agreement, accountName, accepted, previouslyAccepted } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: Record<string, string> = actionData?.fieldErrors ?? {};
  const busy = useNavigation().state === "submitting";
  return (
    <article className="lesson__body prose agreement" aria-labelledby="agreement-title">
      <p className="eyebrow">Governance · version {agreement.version.slice(0, 8)}</p>
      <h1 id="agreement-title">{agreement.title}</h1>
      {previouslyAccepted ? (
        <div className="alert alert--info" role="status">
          A new version of this agreement has been published since you accepted the previous one. Please read it and accept it again.
        </div>
      ) : null}
      <StaticHtml html={agreement.html} />
      <h2>In summary</h2>
      <div className="boundaries">
        <section className="boundaries__do">
          <h3>An Approved Trainer may</h3>
          <ul>
            {agreement.may.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </section>
        <section className="boundaries__dont">
          <h3>An Approved Trainer may not</h3>
          <ul>
            {agreement.mayNot.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </section>
      </div>
      {accepted ? (
        <p className="status status--good">
          You accepted this version on {formatDate(accepted.at)} as {accepted.name}.
        </p>
      ) : (
        <section aria-labelledby="accept-title" className="card">
          <h2 id="accept-title">Accept the agreement</h2>
          <FormError error={actionData?.message} />
          <Form method="post" noValidate className="stack">
            <input type="hidden" name="version" value={agreement.version} />
            <div className={`field${errors.confirm ? " field--error" : ""}`}>
              {errors.confirm ? (
                <p className="field__error" id="confirm-error">
                  {errors.confirm}
                </p>
              ) : null}
              <label className="checkbox">
                <input type="checkbox" name="confirm" value="yes" aria-describedby={errors.confirm ? "confirm-error" : undefined} /> I have read this agreement and I will
                work to it.
              </label>
            </div>
            <Field name="typedName" label="Type your full name as your signature" hint={`As on your account: ${accountName}`} autoComplete="name" required error={errors.typedName} />
            <button type="submit" className="button" disabled={busy}>
              Accept the agreement
            </button>
          </Form>
        </section>
      )}
    </article>
  );
}
