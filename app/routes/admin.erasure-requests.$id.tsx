import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { carryOutErasure } from "~/approval/approval.server";
import { requireRole } from "~/auth/guards.server";
import { ErrorSummary, Notice, TextareaField } from "~/components/form";
import { getDb } from "~/db.server";
import { getErasureReview, refuseErasureRequest } from "~/erasure/requests.server";
import { REFUSAL_REASON_MAX } from "~/erasure/policy";
import { serverClock } from "~/utils/clock.server";
import { formatMoment } from "~/utils/dates";
import { getEnv } from "~/utils/env.server";
import { formToObject, readForm } from "~/utils/forms";
import { replyRefusal } from "~/utils/result";

export const meta: MetaFunction = () => [{ title: "Erasure request · Approved Trainer Academy" }];

const requestId = (raw: string | undefined) => (/^\d{1,12}$/.test(raw ?? "") ? Number(raw) : 0);

const STATUS_TEXT = { pending: "Waiting for review", withdrawn: "Withdrawn by the trainer", refused: "Refused", carried_out: "Carried out" } as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const review = await getErasureReview(getDb(), requestId(params.id));
  if (!review) throw new Response("There is no such erasure request.", { status: 404, statusText: "Not Found" });
  return { review };
}

/** Carry out (the approval seam: one transaction, then files and credentials) or refuse with a reason. Audited. */
export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const id = requestId(params.id);
  const form = formToObject(await readForm(request));
  const now = serverClock();
  if (form.intent === "carry-out") {
    const result = await carryOutErasure(getDb(), admin, id, getEnv().PUBLIC_BASE_URL, now);
    return result.ok ? redirect(`/admin/erasure-requests/${id}?done=carried-out`) : replyRefusal(result);
  }
  if (form.intent === "refuse") {
    const result = await refuseErasureRequest(getDb(), admin, id, typeof form.reason === "string" ? form.reason : "", now);
    return result.ok ? redirect(`/admin/erasure-requests/${id}?done=refused`) : replyRefusal(result);
  }
  return data({ message: "Choose to carry out or refuse.", fieldErrors: {} as Record<string, string> }, { status: 400 });
}

export default function ErasureRequest() {
  const { review } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const done = actionData ? null : params.get("done");
  const pending = review.status === "pending";
  return (
    <section className="narrow" aria-labelledby="erasure-request-title">
      <p>
        <Link to="/admin/erasure-requests">Erasure requests</Link>
      </p>
      <h1 id="erasure-request-title">Erasure request {review.id}</h1>
      {done === "carried-out" ? <Notice>The erasure has been carried out. The account is closed and its certificate reads “No longer listed”.</Notice> : null}
      {done === "refused" ? <Notice>The request has been refused. The trainer has been told the reason.</Notice> : null}
      <ErrorSummary message={actionData?.message} fieldErrors={actionData?.fieldErrors} />
      <dl className="facts">
        <dt>Trainer</dt>
        <dd>{review.status === "carried_out" ? review.trainer.name : <Link to={`/trainers/${review.trainer.id}`}>{review.trainer.name}</Link>}</dd>
        <dt>Email address</dt>
        <dd>{review.trainer.email}</dd>
        <dt>Asked</dt>
        <dd>{formatMoment(review.requestedAt)}</dd>
        <dt>Status</dt>
        <dd>
          {STATUS_TEXT[review.status]}
          {review.decidedAt ? `, ${formatMoment(review.decidedAt)}` : ""}
          {review.refusalReason ? `. Reason: ${review.refusalReason}` : ""}
        </dd>
        <dt>Open concerns</dt>
        <dd>{review.openConcerns === 0 ? "None" : `${review.openConcerns} open: a ground to refuse or delay while it is investigated`}</dd>
        <dt>Certificates</dt>
        <dd>{review.certificates}</dd>
        <dt>Evidence files</dt>
        <dd>{review.evidenceFiles}</dd>
      </dl>
      {pending ? (
        <>
          <h2>Carry it out</h2>
          <p>
            In one step: the trainer’s certificates are revoked and read “No longer listed”; their name, email address, DBS details, evidence files, report texts,
            listing, notifications and sessions are erased. Marks, certificate facts and the audit trail are kept without the name. This cannot be undone.
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value="carry-out" />
            <button type="submit" className="button button--danger" disabled={busy}>
              Carry out the erasure
            </button>
          </Form>
          <h2>Refuse it</h2>
          <Form method="post" noValidate className="stack">
            <input type="hidden" name="intent" value="refuse" />
            <TextareaField
              name="reason"
              label="Reason"
              hint={`The trainer is shown this. At most ${REFUSAL_REASON_MAX} characters; no other person's details.`}
              rows={4}
              maxLength={REFUSAL_REASON_MAX}
              required
              error={actionData?.fieldErrors?.reason}
            />
            <div>
              <button type="submit" className="button button--secondary" disabled={busy}>
                Refuse the request
              </button>
            </div>
          </Form>
        </>
      ) : null}
    </section>
  );
}
