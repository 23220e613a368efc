import { data, redirect, type ActionFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { Field } from "~/components/form";
import { readForm } from "~/utils/forms";

export const meta: MetaFunction = () => [{ title: "Verify a certificate · Approved Trainer Academy" }, { name: "robots", content: "noindex" }];

export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const id = String(form.get("id") ?? "")
    .trim()
    .toLowerCase()
    .replace(/^.*\/verify\//, "")
    .replace(/[\s-]/g, "");
  if (!id) return data({ error: "Enter the certificate ID printed on the certificate." }, { status: 400 });
  if (!/^[a-z2-7]{1,64}$/.test(id)) return data({ error: "Certificate IDs contain only letters a–z and digits 2–7. Check what you typed." }, { status: 400 });
  return redirect(`/verify/${id}`);
}

export default function VerifyForm() {
  const actionData = useActionData<typeof action>();
  return (
    <section className="narrow" aria-labelledby="verify-title">
      <h1 id="verify-title">Verify a certificate</h1>
      <p>
        Case managers, solicitors and insurers can check whether a trainer is a Medical-Legal Approved Trainer today. Scan the QR code on the certificate, or type its
        ID here.
      </p>
      {/* A document submission: /verify/<id> is served outside Remix, so the browser must follow the redirect. */}
      <Form method="post" noValidate className="stack" reloadDocument>
        <Field name="id" label="Certificate ID" hint="32 letters and digits, for example from the bottom of the certificate." autoComplete="off" spellCheck={false} required error={actionData?.error} />
        <button type="submit" className="button">
          Check the certificate
        </button>
      </Form>
    </section>
  );
}
