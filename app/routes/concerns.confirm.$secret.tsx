import { type ActionFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { FormError, Notice } from "~/components/form";
import { getDb } from "~/db.server";
import { confirmConcern } from "~/concerns/concerns.server";
import { serverClock } from "~/utils/clock.server";
import { readForm } from "~/utils/forms";

export const meta: MetaFunction = () => [{ title: "Confirm your concern · Approved Trainer Academy" }, { name: "robots", content: "noindex" }];

/** Opening the link changes nothing (mail scanners open links); the button confirms. */
export async function action({ request, params }: ActionFunctionArgs) {
  await readForm(request);
  const result = await confirmConcern(getDb(), params.secret ?? "", serverClock());
  return result.ok ? { reference: result.value.reference, error: null } : { reference: null, error: result.message };
}

export default function ConfirmConcern() {
  const actionData = useActionData<typeof action>();
  return (
    <section className="narrow" aria-labelledby="confirm-title">
      <h1 id="confirm-title">Confirm your concern</h1>
      {actionData?.reference ? (
        <>
          <Notice>
            Your concern has been sent to the academy&rsquo;s governance team. Its reference is <strong>{actionData.reference}</strong>.
          </Notice>
          <p>Keep the reference: quote it if you contact the academy about this concern.</p>
        </>
      ) : (
        <>
          <FormError error={actionData?.error} />
          <p>Confirm that you raised this concern, and it goes to the academy&rsquo;s governance team.</p>
          <Form method="post">
            <button type="submit" className="button">
              Confirm the concern
            </button>
          </Form>
        </>
      )}
    </section>
  );
}
