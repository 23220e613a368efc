import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { isEmailConfirmed } from "~/auth/email-confirmation.server";
import { EmailConfirmationNotice } from "~/components/email-confirmation";
import { serverClock } from "~/utils/clock.server";
import { Notice } from "~/components/form";
import { getDb } from "~/db.server";
import { formatDate } from "~/utils/dates";
import { formatPence } from "~/utils/money";
import { getTrainerRequirements } from "~/evidence/requirements.server";
import { getOriginalViewing } from "~/evidence/dbs-original.server";
import { formatSlotTime } from "~/evidence/dbs-original";
import { EvidenceLink, QualificationEvidence, RecordStatus, StatusChip } from "~/evidence/ui";
import { LIMIT_BASIS_LABELS, QUALIFICATION_KIND_LABELS } from "~/evidence/validation";

export const meta: MetaFunction = () => [{ title: "Entry requirements · Approved Trainer Academy" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const [requirements, confirmed, viewing] = await Promise.all([
    getTrainerRequirements(getDb(), user.id, serverClock()),
    isEmailConfirmed(getDb(), user.id),
    getOriginalViewing(getDb(), user.id),
  ]);
  return { ...requirements, viewing, unconfirmedEmail: confirmed ? null : user.email };
}

const DONE: Record<string, string> = {
  qualification: "Your qualification has been submitted. An assessor will check it against your certificate.",
  insurance: "Your insurance has been submitted. An assessor will check it against your policy document.",
  dbs: "Your DBS details have been recorded. Show your original certificate to an assessor: choose a time or ask to be contacted below.",
};

export default function Requirements() {
  const { qualifications, insurance, dbs, status, policy, unconfirmedEmail, viewing } = useLoaderData<typeof loader>();
  const waitingForOriginal = viewing !== null && viewing.seen === null && !viewing.decided && !viewing.erased;
  const [params] = useSearchParams();
  const done = DONE[params.get("done") ?? ""];
  return (
    <section aria-labelledby="requirements-title">
      <h1 id="requirements-title">Entry requirements</h1>
      <p className="lede">
        Before any case work you need a verified personal training qualification, current insurance and an Enhanced DBS check recorded as suitable.
      </p>
      {done ? <Notice>{done}</Notice> : null}
      {unconfirmedEmail ? <EmailConfirmationNotice email={unconfirmedEmail} /> : null}

      <section className="requirement" aria-labelledby="qualifications-title">
        <div className="requirement__head">
          <h2 id="qualifications-title">Qualifications</h2>
          <StatusChip status={status.qualification.status} />
        </div>
        <p>{status.qualification.message}</p>
        {status.qualification.rejectionReason ? <p className="requirement__reason">Assessor&apos;s reason: {status.qualification.rejectionReason}</p> : null}
        <p>
          <Link className="button button--secondary" to="/requirements/qualifications/new">
            Add a qualification
          </Link>
        </p>
        {qualifications.length > 0 ? (
          <ul className="records" aria-label="Your qualifications">
            {qualifications.map((q) => (
              <li key={q.id}>
                <p>
                  <strong>{q.title}</strong> (Level {q.level}, {QUALIFICATION_KIND_LABELS[q.kind].toLowerCase()}) <RecordStatus status={q.status} />
                </p>
                <p className="muted">
                  {q.awarding_organisation} · qualification number {q.qualification_number} · certificate {q.certificate_number} · issued {formatDate(q.issue_date)}
                </p>
                <p>
                  <QualificationEvidence q={q} />
                </p>
                {q.status === "rejected" && q.rejection_reason ? <p className="requirement__reason">Reason: {q.rejection_reason}</p> : null}
              </li>
            ))}
          </ul>
        ) : null}
      </section>

      <section className="requirement" aria-labelledby="insurance-title">
        <div className="requirement__head">
          <h2 id="insurance-title">Insurance</h2>
          <StatusChip status={status.insurance.status} />
        </div>
        <p>{status.insurance.message}</p>
        {status.insurance.rejectionReason ? <p className="requirement__reason">Assessor&apos;s reason: {status.insurance.rejectionReason}</p> : null}
        <p className="muted">
          Minimum cover: public liability {formatPence(policy.minPublicLiabilityPence)}, professional indemnity {formatPence(policy.minProfessionalIndemnityPence)}.
        </p>
        <p>
          <Link className="button button--secondary" to="/requirements/insurance/new">
            {insurance.length > 0 ? "Submit a new or corrected policy" : "Add your insurance"}
          </Link>
        </p>
        {insurance.length > 0 ? (
          <ul className="records" aria-label="Your insurance policies">
            {insurance.map((p) => (
              <li key={p.id}>
                <p>
                  <strong>{p.insurer}</strong>, policy {p.policy_number} <RecordStatus status={p.status} />
                  {p.expired_at ? <span className="status status--bad">Ended</span> : null}
                </p>
                <p className="muted">
                  {formatDate(p.start_date)} to {formatDate(p.end_date)} · public liability {formatPence(p.public_liability_pence)} · professional indemnity{" "}
                  {formatPence(p.professional_indemnity_pence)} ({LIMIT_BASIS_LABELS[p.limit_basis].split(" (")[0]!.toLowerCase()})
                </p>
                <p>
                  Evidence: <EvidenceLink id={p.evidence_id} name={p.evidence_name} />
                </p>
                {p.status === "rejected" && p.rejection_reason ? <p className="requirement__reason">Reason: {p.rejection_reason}</p> : null}
              </li>
            ))}
          </ul>
        ) : null}
      </section>

      <section className="requirement" aria-labelledby="dbs-title">
        <div className="requirement__head">
          <h2 id="dbs-title">Enhanced DBS check</h2>
          <StatusChip status={status.dbs.status} />
        </div>
        <p>{status.dbs.message}</p>
        {dbs ? <p className="muted">Details recorded on {formatDate(dbs.created_at)}. For your privacy the certificate details are visible only to administrators.</p> : null}
        {viewing?.seen && !viewing.decided ? (
          <p>
            {viewing.seen.by ?? "An assessor"} saw your original certificate on {formatDate(viewing.seen.on)}. An administrator will now record the decision.
          </p>
        ) : null}
        {waitingForOriginal ? (
          <p>
            {viewing.slot
              ? `Booked: ${formatSlotTime(viewing.slot.starts_at)} with ${viewing.slot.assessor_name}.`
              : viewing.contactRequestedAt
                ? viewing.contact
                  ? `${viewing.contact.name} will contact you to arrange a time.`
                  : "You asked to be contacted; an assessor will take it on."
                : "Next: arrange to show your original certificate, in person or by video call."}{" "}
            <Link className={viewing.slot || viewing.contactRequestedAt ? undefined : "button"} to="/requirements/dbs-original">
              {viewing.slot || viewing.contactRequestedAt ? "See or change the arrangement" : "Arrange to show your original certificate"}
            </Link>
          </p>
        ) : null}
        <p>
          <Link className="button button--secondary" to="/requirements/dbs">
            {dbs ? "Record a new DBS certificate" : "Record your DBS check"}
          </Link>
        </p>
      </section>
    </section>
  );
}
