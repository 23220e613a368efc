import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { STATUS_LABELS, type LiveStatus } from "~/certificates/status";
import { EvidenceLink, QualificationEvidence, RecordStatus, StatusChip } from "~/evidence/ui";
import type { SectionStatus } from "~/evidence/status";
import { QUALIFICATION_KIND_LABELS } from "~/evidence/validation";
import { formatDate, formatMoment } from "~/utils/dates";
import { formatPence } from "~/utils/money";

/** A titled part of the trainer page; a region so it can be found and skipped to. */
export function Part({ id, title, status, children }: { id: string; title: string; status?: ReactNode; children: ReactNode }) {
  return (
    <section className="requirement" aria-labelledby={id}>
      <div className="requirement__head">
        <h3 id={id}>{title}</h3>
        {status}
      </div>
      {children}
    </section>
  );
}

/** A table in a scrollable, focusable region (wide tables scroll on small screens). */
export function Table({ label, head, children }: { label: string; head: string[]; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      <table>
        <thead>
          <tr>
            {head.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

interface Qualification {
  id: number;
  kind: keyof typeof QUALIFICATION_KIND_LABELS;
  level: number;
  title: string;
  awarding_organisation: string;
  status: "submitted" | "verified" | "rejected";
  rejection_reason: string | null;
  evidence_id: string | null;
  evidence_name: string | null;
  cpd_id: string | null;
  cpd_name: string | null;
}

export function QualificationRows({ rows }: { rows: Qualification[] }) {
  if (rows.length === 0) return <p>No qualification submitted.</p>;
  return (
    <ul className="records" aria-label="Qualifications submitted">
      {rows.map((q) => (
        <li key={q.id}>
          <p>
            <strong>{q.title}</strong> (Level {q.level}, {QUALIFICATION_KIND_LABELS[q.kind].toLowerCase()}, {q.awarding_organisation}) <RecordStatus status={q.status} />
          </p>
          <p>
            <QualificationEvidence q={q} />
            {q.status === "submitted" ? (
              <>
                {" "}· <Link to={`/assessor/verification/qualification/${q.id}`}>Verify</Link>
              </>
            ) : null}
          </p>
          {q.rejection_reason ? <p className="requirement__reason">Reason: {q.rejection_reason}</p> : null}
        </li>
      ))}
    </ul>
  );
}

interface Insurance {
  id: number;
  insurer: string;
  policy_number: string;
  start_date: string;
  end_date: string;
  public_liability_pence: number;
  professional_indemnity_pence: number;
  status: "submitted" | "verified" | "rejected";
  rejection_reason: string | null;
  expired_at: string | null;
  evidence_id: string | null;
  evidence_name: string | null;
}

export function InsuranceRows({ rows }: { rows: Insurance[] }) {
  if (rows.length === 0) return <p>No insurance submitted.</p>;
  return (
    <ul className="records" aria-label="Insurance policies submitted">
      {rows.map((p) => (
        <li key={p.id}>
          <p>
            <strong>{p.insurer}</strong>, policy {p.policy_number} <RecordStatus status={p.status} />
            {p.expired_at ? <span className="status status--bad">Ended</span> : null}
          </p>
          <p className="muted">
            {formatDate(p.start_date)} to {formatDate(p.end_date)} · public liability {formatPence(p.public_liability_pence)} · professional indemnity {formatPence(p.professional_indemnity_pence)}
          </p>
          <p>
            Evidence: <EvidenceLink id={p.evidence_id} name={p.evidence_name} />
            {p.status === "submitted" ? (
              <>
                {" "}· <Link to={`/assessor/verification/insurance/${p.id}`}>Verify</Link>
              </>
            ) : null}
          </p>
          {p.rejection_reason ? <p className="requirement__reason">Reason: {p.rejection_reason}</p> : null}
        </li>
      ))}
    </ul>
  );
}

export function SectionChip({ status }: { status: SectionStatus }) {
  return <StatusChip status={status} />;
}

export function CertificateStatusChip({ live }: { live: LiveStatus }) {
  const tone = live.status === "valid" ? "status--good" : live.status === "superseded" ? "status--todo" : "status--bad";
  return (
    <span className={`status ${tone}`}>
      {STATUS_LABELS[live.status]}
      {live.reason && live.status !== "valid" ? `: ${live.reason}` : ""}
    </span>
  );
}

interface CertificateRow {
  id: string;
  issued_at: string;
  expires_on: string;
  superseded_at: string | null;
  suspended_at: string | null;
  suspension_reason: string | null;
  revoked_at: string | null;
  revocation_reason: string | null;
  decisions: { what: "suspended" | "reinstated" | "revoked"; at: string; reason: string | null }[];
}

/** What happened to each certificate, in words: issue, every staff decision with its reason (oldest first), supersession. */
export function certificateHistory(c: CertificateRow): string {
  const parts = [`Issued ${formatMoment(c.issued_at)}, expires ${formatDate(c.expires_on)}`];
  for (const d of c.decisions) parts.push(`${d.what} ${formatMoment(d.at)}${d.reason ? ` (${d.reason})` : ""}`);
  // A suspension or revocation recorded before the audit trail named it still shows.
  if (c.suspended_at && !c.decisions.some((d) => d.what === "suspended")) parts.push(`suspended ${formatMoment(c.suspended_at)}${c.suspension_reason ? ` (${c.suspension_reason})` : ""}`);
  if (c.superseded_at) parts.push(`superseded ${formatMoment(c.superseded_at)}`);
  if (c.revoked_at && !c.decisions.some((d) => d.what === "revoked")) parts.push(`revoked ${formatMoment(c.revoked_at)}${c.revocation_reason ? ` (${c.revocation_reason})` : ""}`);
  return parts.join("; ");
}
