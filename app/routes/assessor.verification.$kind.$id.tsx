import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { serverClock } from "~/utils/clock.server";
import { ErrorSummary, TextareaField } from "~/components/form";
import { getDb } from "~/db.server";
import { getEnv } from "~/utils/env.server";
import { formatDate } from "~/utils/dates";
import { formatPence } from "~/utils/money";
import { EvidencePreview, RecordStatus } from "~/evidence/ui";
import { LIMIT_BASIS_LABELS, QUALIFICATION_KIND_LABELS, verificationDecisionSchema } from "~/evidence/validation";
import { VERIFICATION_KINDS, VERIFICATION_KIND_LABELS, type VerificationKind } from "~/evidence/kinds";
import { getVerificationItem } from "~/evidence/verification.server";
import { decideVerification } from "~/approval/approval.server";
import { formToObject, readForm, validate } from "~/utils/forms";
import { replyRefusal } from "~/utils/result";

export const meta: MetaFunction = () => [{ title: "Verify evidence · Approved Trainer Academy" }];

function parseParams(params: { kind?: string; id?: string }): { kind: VerificationKind; id: number } {
  const kind = params.kind ?? "";
  const id = Number(params.id);
  if (!(VERIFICATION_KINDS as readonly string[]).includes(kind) || !Number.isSafeInteger(id) || id <= 0) throw new Response("Not found", { status: 404 });
  return { kind: kind as VerificationKind, id };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "assessor", "admin");
  const { kind, id } = parseParams(params);
  const item = await getVerificationItem(getDb(), kind, id);
  if (!item) throw new Response("Not found", { status: 404 });
  return { item, own: item.trainer.id === user.id };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "assessor", "admin");
  const { kind, id } = parseParams(params);
  const parsed = validate(verificationDecisionSchema, formToObject(await readForm(request)));
  if (!parsed.ok) return replyRefusal(parsed);
  const result = await decideVerification(getDb(), user, kind, id, parsed.value, getEnv().PUBLIC_BASE_URL, serverClock());
  if (!result.ok) return replyRefusal(result);
  throw redirect(`/assessor/verification?decided=${kind}`);
}

function Facts({ rows }: { rows: [string, string][] }) {
  return (
    <dl className="facts">
      {rows.map(([term, value]) => (
        <div key={term} className="facts__row">
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export default function VerifyItem() {
  const { item, own } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: Record<string, string> = actionData?.fieldErrors ?? {};
  const busy = useNavigation().state === "submitting";
  const rows: [string, string][] =
    item.kind === "qualification"
      ? [
          ["Type", QUALIFICATION_KIND_LABELS[item.record.kind]],
          ["Level", `Level ${item.record.level}`],
          ["Awarding organisation", item.record.awarding_organisation],
          ["Qualification title", item.record.title],
          ["Qualification number", item.record.qualification_number],
          ["Certificate number", item.record.certificate_number],
          ["Issue date", formatDate(item.record.issue_date)],
        ]
      : [
          ["Insurer", item.record.insurer],
          ["Policy number", item.record.policy_number],
          ["Public liability", formatPence(item.record.public_liability_pence)],
          ["Professional indemnity", formatPence(item.record.professional_indemnity_pence)],
          ["Limits", LIMIT_BASIS_LABELS[item.record.limit_basis]],
          ["Covered activities", item.record.covered_activities],
          ["Territory", item.record.territory],
          ["Start date", formatDate(item.record.start_date)],
          ["End date", formatDate(item.record.end_date)],
        ];
  return (
    <section aria-labelledby="verify-title">
      <p>
        <Link to="/assessor/verification">Back to the verification queue</Link>
      </p>
      <h1 id="verify-title">
        {VERIFICATION_KIND_LABELS[item.kind]} for {item.trainer.name}
      </h1>
      <p>
        <RecordStatus status={item.record.status} /> Submitted {formatDate(item.record.created_at)} by {item.trainer.name} ({item.trainer.email}).
      </p>
      <div className="side-by-side side-by-side--evidence">
        <section className="panel" aria-labelledby="fields-title">
          <h2 id="fields-title">What the trainer entered</h2>
          <Facts rows={rows} />
        </section>
        <section className="panel" aria-labelledby="evidence-title">
          <h2 id="evidence-title">Evidence</h2>
          <p>Check every field against the document{item.evidence.length > 1 ? "s" : ""} below.</p>
          {item.evidence.map((file, index) => (
            <EvidencePreview
              key={file.id}
              id={file.id}
              name={`${file.display_name} (${Math.max(1, Math.round(file.size_bytes / 1024))} KB)`}
              mediaType={file.media_type}
              label={index === 0 ? (item.kind === "qualification" ? "Certificate" : "Policy document") : "CPD evidence"}
            />
          ))}
        </section>
      </div>

      {item.record.status !== "submitted" ? (
        <p className="alert alert--info">
          Already decided{item.decidedBy ? ` by ${item.decidedBy}` : ""} on {formatDate(item.record.decided_at)}.
          {item.record.rejection_reason ? ` Reason: ${item.record.rejection_reason}` : ""}
        </p>
      ) : own ? (
        <p className="alert alert--error">This is your own record. Another assessor must verify it.</p>
      ) : (
        <section aria-labelledby="decide-title">
          <h2 id="decide-title">Your decision</h2>
          <ErrorSummary message={actionData?.message} />
          <div className="side-by-side">
            <Form method="post" className="panel stack">
              <input type="hidden" name="decision" value="accept" />
              <p>Accept when every field matches the evidence{item.kind === "insurance" ? " and the cover meets the minimum" : ""}.</p>
              <button type="submit" className="button" disabled={busy}>
                Accept
              </button>
            </Form>
            <Form method="post" noValidate className="panel stack">
              <input type="hidden" name="decision" value="reject" />
              <TextareaField name="reason" label="Reason for rejecting" hint="The trainer sees this. Say what is wrong and what to send instead." error={errors.reason} rows={4} />
              <button type="submit" className="button button--danger" disabled={busy}>
                Reject
              </button>
            </Form>
          </div>
        </section>
      )}
    </section>
  );
}
