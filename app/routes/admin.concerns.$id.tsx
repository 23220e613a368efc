import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { CheckboxField, ErrorSummary, Notice, SelectField, TextareaField } from "~/components/form";
import { z } from "zod";
import { getDb } from "~/db.server";
import { closeConcern, concernCertificate, concernHandlers, getConcern, recordConcernStep, triageConcern } from "~/concerns/concerns.server";
import { CATEGORIES, RELATIONSHIPS, SEVERITIES, STAFF_RELATIONSHIP, closeSchema, noteSchema, triageSchema } from "~/concerns/validation";
import { reinstateCertificate, revokeCertificate, suspendCertificate, getTrainerCertificate } from "~/certificates/admin.server";
import { serverClock } from "~/utils/clock.server";
import { formatMoment } from "~/utils/dates";
import { formToObject, readForm, validate } from "~/utils/forms";
import { replyRefusal, type Refusal } from "~/utils/result";

export const meta: MetaFunction = () => [{ title: "Concern · Approved Trainer Academy" }];

const RELATIONSHIP_LABELS: Record<string, string> = { ...RELATIONSHIPS, [STAFF_RELATIONSHIP]: "Academy staff" };
const options = (o: Record<string, string>) => Object.entries(o).map(([value, label]) => ({ value, label }));
const concernId = (raw: string | undefined) => (/^\d{1,12}$/.test(raw ?? "") ? Number(raw) : 0);

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const db = getDb();
  const concern = await getConcern(db, concernId(params.id));
  if (!concern) throw new Response("There is no such concern.", { status: 404, statusText: "Not Found" });
  const certificate = await getTrainerCertificate(db, concern.trainer_user_id, serverClock());
  return { concern, certificate, handlers: await concernHandlers(db) };
}

const refused = (refusal: Refusal) => replyRefusal(refusal, { done: null });

/**
 * Triage, notes, actions and closing. Suspending or reinstating the trainer's current certificate
 * goes through the certificates' own functions (audited there), then onto the concern's timeline.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const db = getDb();
  const now = serverClock();
  const id = concernId(params.id);
  const form = formToObject(await readForm(request));
  const done = (text: string) => data({ done: text, message: null, fieldErrors: {} as Record<string, string> });
  switch (form.intent) {
    case "triage": {
      const parsed = validate(triageSchema, form);
      if (!parsed.ok) return refused(parsed);
      const result = await triageConcern(db, admin.id, id, parsed.value, now);
      return result.ok ? done("Triage saved.") : refused(result);
    }
    case "note": {
      const parsed = validate(noteSchema, form);
      if (!parsed.ok) return refused(parsed);
      const result = await recordConcernStep(db, admin.id, id, "note", parsed.value.note, now);
      return result.ok ? done("Note added.") : refused(result);
    }
    case "suspend":
    case "reinstate": {
      const target = await concernCertificate(db, id);
      if (!target.ok) return refused(target);
      const current = await getTrainerCertificate(db, target.value.trainerUserId, now);
      if (!current) return refused({ ok: false, status: 409, message: "The trainer has no certificate.", fieldErrors: {} });
      const reason = form.intent === "suspend" ? "Under review following a concern." : "Concern reviewed; reinstated.";
      // A suspension from a concern reads "Suspended — under review" in public (ADR 0027).
      const acted = form.intent === "suspend" ? await suspendCertificate(db, admin.id, current.id, reason, now, "under_review") : await reinstateCertificate(db, admin.id, current.id, reason, now);
      if (!acted.ok) return refused(acted);
      const step = await recordConcernStep(db, admin.id, id, form.intent === "suspend" ? "suspended" : "reinstated", `Certificate ${current.id}: ${reason}`, now);
      return step.ok ? done(form.intent === "suspend" ? "Certificate suspended." : "Certificate reinstated.") : refused(step);
    }
    case "revoke": {
      const parsed = validate(revokeSchema, form);
      if (!parsed.ok) return refused(parsed);
      const target = await concernCertificate(db, id);
      if (!target.ok) return refused(target);
      const current = await getTrainerCertificate(db, target.value.trainerUserId, now);
      if (!current) return refused({ ok: false, status: 409, message: "The trainer has no certificate.", fieldErrors: {} });
      const acted = await revokeCertificate(db, admin.id, current.id, parsed.value.revokeReason, now);
      if (!acted.ok) return refused(acted);
      const step = await recordConcernStep(db, admin.id, id, "revoked", `Certificate ${current.id}: ${parsed.value.revokeReason}`, now);
      return step.ok ? done("Certificate revoked.") : refused(step);
    }
    case "close": {
      const parsed = validate(closeSchema, form);
      if (!parsed.ok) return refused(parsed);
      const result = await closeConcern(db, admin.id, id, parsed.value.outcome, now);
      return result.ok ? done("Concern closed.") : refused(result);
    }
    default:
      return refused({ ok: false, status: 400, message: "Choose an action.", fieldErrors: {} });
  }
}

const revokeSchema = z.object({
  revokeReason: z.string({ error: "Give the reason for revoking." }).trim().min(10, "Give the reason for revoking in at least 10 characters.").max(2000, "Keep the reason to 2,000 characters or fewer."),
  confirmRevoke: z.literal("on", { error: "Tick to confirm: revocation is final." }),
});

const KIND_LABELS: Record<string, string> = { raised: "Raised", raised_by_staff: "Raised by a member of staff (no email confirmation needed)", confirmed: "Confirmed by the person who raised it", triaged: "Triaged", note: "Note", suspended: "Certificate suspended", reinstated: "Certificate reinstated", revoked: "Certificate revoked", closed: "Closed" };

export default function ConcernPage() {
  const { concern, certificate, handlers } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors: Record<string, string> = actionData?.fieldErrors ?? {};
  const open = concern.status === "open";
  return (
    <section aria-labelledby="concern-title">
      <p>
        <Link to="/admin/concerns">All concerns</Link>
      </p>
      <h1 id="concern-title">Concern {concern.reference}</h1>
      {concern.category === "safeguarding" ? (
        <div className="alert alert--error" role="note">
          <p>
            <strong>Safeguarding first.</strong> If anyone may be at risk, follow the safeguarding route before anything else: refer to the local authority&rsquo;s
            safeguarding team (999 if there is immediate danger), and record the referral here as a note.
          </p>
        </div>
      ) : null}
      {actionData?.done ? <Notice>{actionData.done}</Notice> : null}
      <ErrorSummary message={actionData?.message} fieldErrors={actionData?.fieldErrors} />
      <dl className="facts">
        <dt>Trainer</dt>
        <dd>{concern.trainerName}</dd>
        <dt>Certificate now</dt>
        <dd>{certificate ? `${certificate.live.status}${certificate.live.reason ? ` (${certificate.live.reason})` : ""}` : "None"}</dd>
        <dt>Status</dt>
        <dd>{open ? "Open" : `Closed ${formatMoment(concern.closed_at)}`}</dd>
        <dt>Category</dt>
        <dd>{CATEGORIES[concern.category as keyof typeof CATEGORIES] ?? concern.category}</dd>
        <dt>Severity</dt>
        <dd>{concern.severity ? SEVERITIES[concern.severity as keyof typeof SEVERITIES] : "Not triaged"}</dd>
        <dt>Handler</dt>
        <dd>{concern.handlerName ?? "Nobody yet"}</dd>
        <dt>Raised by</dt>
        <dd>
          {concern.raiser_name}
          {concern.raiser_organisation ? `, ${concern.raiser_organisation}` : ""} ({RELATIONSHIP_LABELS[concern.relationship] ?? concern.relationship}),{" "}
          {concern.raiser_email}
        </dd>
        <dt>When it happened</dt>
        <dd>{concern.happened_when}</dd>
        <dt>What happened</dt>
        <dd className="register-entry__profile">{concern.what_happened}</dd>
        {concern.outcome ? (
          <>
            <dt>Outcome</dt>
            <dd className="register-entry__profile">{concern.outcome}</dd>
          </>
        ) : null}
      </dl>
      {open ? (
        <>
          <h2>Triage</h2>
          <Form method="post" noValidate className="stack">
            <input type="hidden" name="intent" value="triage" />
            <SelectField name="severity" label="Severity" placeholder="Choose" defaultValue={concern.severity ?? ""} options={options(SEVERITIES)} error={errors.severity} />
            <SelectField name="handlerId" label="Handler" placeholder="Choose" defaultValue={concern.handler_user_id ? String(concern.handler_user_id) : ""} options={handlers.map((h) => ({ value: String(h.id), label: h.name }))} error={errors.handlerId} />
            <button type="submit" className="button">
              Save triage
            </button>
          </Form>
          <h2>Actions on the certificate</h2>
          <div className="inline-form">
            <Form method="post">
              <input type="hidden" name="intent" value="suspend" />
              <button type="submit" className="button button--secondary">
                Suspend the certificate while under review
              </button>
            </Form>
            <Form method="post">
              <input type="hidden" name="intent" value="reinstate" />
              <button type="submit" className="button button--secondary">
                Reinstate the certificate
              </button>
            </Form>
          </div>
          <h3>Revoke the certificate</h3>
          <Form method="post" noValidate className="stack">
            <input type="hidden" name="intent" value="revoke" />
            <TextareaField name="revokeReason" label="Reason for revoking" hint="Kept in the audit trail; the public page says only “Revoked”." rows={2} error={errors.revokeReason} />
            <CheckboxField name="confirmRevoke" label="I understand revocation is final: the certificate can never be valid again." error={errors.confirmRevoke} />
            <button type="submit" className="button button--secondary">
              Revoke the certificate
            </button>
          </Form>
          <h2>Add a note</h2>
          <Form method="post" noValidate className="stack">
            <input type="hidden" name="intent" value="note" />
            <TextareaField name="note" label="Note" hint="Advice given, supervision actions agreed, referrals made." rows={3} error={errors.note} />
            <button type="submit" className="button">
              Add the note
            </button>
          </Form>
          <h2>Close the concern</h2>
          <Form method="post" noValidate className="stack">
            <input type="hidden" name="intent" value="close" />
            <TextareaField
              name="outcome"
              label="Outcome"
              hint="What was decided and why. The trainer is told this outcome: do not name the person who raised the concern. Closing is final."
              rows={3}
              error={errors.outcome}
            />
            <button type="submit" className="button">
              Close with this outcome
            </button>
          </Form>
        </>
      ) : null}
      <h2>Timeline</h2>
      <ol className="timeline">
        {concern.timeline.map((e) => (
          <li key={e.id}>
            <strong>{KIND_LABELS[e.kind] ?? e.kind}</strong>, {formatMoment(e.occurred_at)}
            {e.actorName ? ` by ${e.actorName}` : ""}
            {e.note ? <p className="register-entry__profile">{e.note}</p> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
