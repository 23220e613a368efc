import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { Notice } from "~/components/form";
import { requireRole } from "~/auth/guards.server";
import { getDb } from "~/db.server";
import { formatDate } from "~/utils/dates";
import { VERIFICATION_KINDS, VERIFICATION_KIND_LABELS, type VerificationKind } from "~/evidence/kinds";
import { listVerificationQueue } from "~/evidence/verification.server";

export const meta: MetaFunction = () => [{ title: "Verification queue · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "assessor", "admin");
  const requested = new URL(request.url).searchParams.get("kind") ?? "";
  const kind = (VERIFICATION_KINDS as readonly string[]).includes(requested) ? (requested as VerificationKind) : undefined;
  return { kind: kind ?? "", items: await listVerificationQueue(getDb(), { kind }) };
}

export default function VerificationQueue() {
  const { kind, items } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <section aria-labelledby="queue-title">
      <h1 id="queue-title">Verification queue</h1>
      {params.get("decided") ? <Notice>Your decision has been recorded and the trainer has been told by email.</Notice> : null}
      <p>Qualifications and insurance waiting to be checked against their evidence, oldest first. DBS checks are handled by administrators.</p>
      <Form method="get" className="inline-form filters">
        <label htmlFor="queue-kind">Show</label>
        <select id="queue-kind" name="kind" defaultValue={kind}>
          <option value="">Everything</option>
          {VERIFICATION_KINDS.map((k) => (
            <option key={k} value={k}>
              {VERIFICATION_KIND_LABELS[k]}
            </option>
          ))}
        </select>
        <button type="submit" className="button button--small">
          Filter
        </button>
      </Form>
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">Submissions awaiting verification, oldest first</caption>
          <thead>
            <tr>
              <th scope="col">Submitted</th>
              <th scope="col">Kind</th>
              <th scope="col">Trainer</th>
              <th scope="col">Record</th>
            </tr>
          </thead>
          <tbody>
            {items.length === 0 ? (
              <tr>
                <td colSpan={4}>Nothing is waiting for verification.</td>
              </tr>
            ) : (
              items.map((item) => (
                <tr key={`${item.kind}-${item.id}`}>
                  <td>{formatDate(item.submittedAt)}</td>
                  <td>{VERIFICATION_KIND_LABELS[item.kind]}</td>
                  <td>
                    {item.trainerName} <span className="muted">({item.trainerEmail})</span>
                  </td>
                  <td>
                    <Link to={`/assessor/verification/${item.kind}/${item.id}`}>
                      {item.summary}
                      <span className="visually-hidden">: review {VERIFICATION_KIND_LABELS[item.kind].toLowerCase()} for {item.trainerName}</span>
                    </Link>
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
