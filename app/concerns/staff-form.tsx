/** The "Raise a concern" part of the staff trainer page (issue 12: staff can also raise concerns; ADR 0030). */
import { Form, Link } from "@remix-run/react";
import { Notice, SelectField, TextareaField, Field } from "~/components/form";
import { CATEGORIES } from "./validation";

const options = Object.entries(CATEGORIES).map(([value, label]) => ({ value, label }));

export function RaiseConcernForm({ hasCertificate, errors, raised, viewerIsAdmin }: { hasCertificate: boolean; errors: Record<string, string>; raised: { reference: string; id: number } | null; viewerIsAdmin: boolean }) {
  if (!hasCertificate) return <p>This trainer has no certificate, so no concern can be raised about them here.</p>;
  return (
    <>
      {raised ? (
        <Notice>
          Concern {raised.reference} raised and sent to the admins for triage.{" "}
          {viewerIsAdmin ? <Link to={`/admin/concerns/${raised.id}`}>Open concern {raised.reference}</Link> : "Only admins can open concerns."}
        </Notice>
      ) : null}
      <p>
        For a concern about this trainer&rsquo;s practice. It goes straight to the admins&rsquo; triage under your name (you are signed in, so no email confirmation is needed). The
        trainer is told that a concern exists and its outcome. If anyone may be at risk, follow the safeguarding route first.
      </p>
      <Form method="post" noValidate className="stack">
        <input type="hidden" name="intent" value="concern" />
        <SelectField name="category" label="What is the concern about?" placeholder="Choose" options={options} error={errors.category} />
        <TextareaField name="whatHappened" label="What happened" rows={4} error={errors.whatHappened} />
        <Field name="when" label="When did it happen?" error={errors.when} />
        <button type="submit" className="button button--secondary">
          Raise the concern
        </button>
      </Form>
    </>
  );
}
