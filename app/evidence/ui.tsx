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

/**
 * An evidence file shown inline for staff checking it: an image as an image, a PDF in a frame
 * (the browser's own viewer). The file route sandboxes it and lets only our pages frame it.
 */
export function EvidencePreview({ id, name, mediaType, label }: { id: string; name: string; mediaType: string; label: string }) {
  const src = `/evidence/${id}/preview`;
  return (
    <figure className="evidence-preview">
      {mediaType === "application/pdf" ? (
        <iframe className="evidence-preview__frame" src={src} title={`${label}: ${name}`} />
      ) : (
        <img className="evidence-preview__image" src={src} alt={`${label}: ${name}`} />
      )}
      <figcaption>
        {label}:{" "}
        <Link to={`/evidence/${id}`} reloadDocument>
          download {name}
        </Link>
      </figcaption>
    </figure>
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
