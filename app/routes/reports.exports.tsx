import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { ErrorSummary, Field, RadioGroup } from "~/components/form";
import { EXPORT_KINDS, EXPORT_LABELS, EXPORT_RANGE_MEANS, MAX_AUDIT_RANGE_DAYS } from "~/reports/export-kinds";
import { parseExportQuery } from "~/reports/exports.server";
import { serverClock } from "~/utils/clock.server";

export const meta: MetaFunction = () => [{ title: "Exports · Reports · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const params = new URL(request.url).searchParams;
  const values = { kind: params.get("kind") ?? "", from: params.get("from") ?? "", to: params.get("to") ?? "" };
  // Sent back by the download address when a choice was not valid: explain it next to the field.
  const checked = params.get("check") === "1" ? parseExportQuery(params, serverClock()) : null;
  return { values, message: checked && !checked.ok ? checked.message : null, fieldErrors: checked && !checked.ok ? checked.fieldErrors : {} };
}

export default function Exports() {
  const { values, message, fieldErrors } = useLoaderData<typeof loader>();
  return (
    <section className="narrow" aria-labelledby="exports-title">
      <p>
        <Link to="/reports">Reports</Link>
      </p>
      <h1 id="exports-title">Export data as CSV</h1>
      <p>
        Files open in any spreadsheet (UTF-8 with a byte order mark; cells that a spreadsheet would treat as a formula are written as text). Every export is recorded in the audit trail with
        who, what and when. DBS details are never exported; the certificate status shows whether a trainer&rsquo;s entry requirements hold.
      </p>
      <ErrorSummary message={message} fieldErrors={fieldErrors} />
      {/* A plain document request: the browser downloads the file; the form stays as it was. */}
      <Form method="get" action="/reports/export" reloadDocument noValidate className="stack" id="export-form">
        <RadioGroup
          name="kind"
          legend="What to export"
          defaultValue={values.kind}
          error={fieldErrors.kind}
          options={EXPORT_KINDS.map((kind) => ({ value: kind, label: `${EXPORT_LABELS[kind]} (dates: when ${EXPORT_RANGE_MEANS[kind]})` }))}
        />
        <fieldset className="fieldset">
          <legend>Date range (UK days, both included)</legend>
          <p className="field__hint">Leave both empty for everything, except the audit trail, which needs a range of up to {MAX_AUDIT_RANGE_DAYS} days.</p>
          <Field name="from" label="From" type="date" defaultValue={values.from} error={fieldErrors.from} />
          <Field name="to" label="To" type="date" defaultValue={values.to} error={fieldErrors.to} />
        </fieldset>
        <button type="submit" className="button">
          Download CSV
        </button>
      </Form>
    </section>
  );
}
