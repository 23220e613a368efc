import { Link } from "@remix-run/react";
import { SECTION_STATUS_LABELS, type SectionStatus } from "./status";

const STATUS_CLASS: Record<SectionStatus, string> = {
  missing: "status--todo",
  submitted: "status--info",
  verified: "status--good",
  rejected: "status--bad",
  expiring_soon: "status--warn",
  expired: "status--bad",
};

/** A status in words; colour only supports it. */
export function StatusChip({ status }: { status: SectionStatus }) {
  return <span className={`status ${STATUS_CLASS[status]}`}>{SECTION_STATUS_LABELS[status]}</span>;
}

const RECORD_LABELS = { submitted: "Awaiting verification", verified: "Verified", rejected: "Rejected" } as const;
const RECORD_CLASS = { submitted: "status--info", verified: "status--good", rejected: "status--bad" } as const;

export function RecordStatus({ status }: { status: "submitted" | "verified" | "rejected" }) {
  return <span className={`status ${RECORD_CLASS[status]}`}>{RECORD_LABELS[status]}</span>;
}

export function EvidenceLink({ id, name }: { id: string | null; name: string | null }) {
  if (!id) return null;
  return (
    <Link to={`/evidence/${id}`} reloadDocument>
      {name ?? "evidence"}
      <span className="visually-hidden"> (download)</span>
    </Link>
  );
}

/** A qualification's certificate and, when there is one, its CPD evidence, as download links. */
export function QualificationEvidence({ q }: { q: { evidence_id: string | null; evidence_name: string | null; cpd_id: string | null; cpd_name: string | null } }) {
  return (
    <>
      Evidence: <EvidenceLink id={q.evidence_id} name={q.evidence_name} />
      {q.cpd_id ? (
        <>
          {" "}· CPD: <EvidenceLink id={q.cpd_id} name={q.cpd_name} />
        </>
      ) : null}
    </>
  );
}
