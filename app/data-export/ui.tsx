import { Form, Link } from "@remix-run/react";
import { formatMoment } from "~/utils/dates";
import { EXPORT_LIFETIME_DAYS } from "./rules";
import type { ExportSummary } from "./exports.server";

/** The account page's "Your data" section (trainers): ask for a copy, see earlier requests (ADR 0033). */
export function DataExportAccountSection() {
  return (
    <>
      <h2 id="your-data">Your data</h2>
      <p>
        You can have a copy of everything the academy holds about you: your profile, entry requirements with the files you uploaded, assessment attempts and
        answers, reports and released feedback, agreements, certificates and credentials, supervision, and the audit entries about you. We prepare it as one ZIP
        file and email you a link, which works for {EXPORT_LIFETIME_DAYS} days and only when you are signed in.
      </p>
      <Form method="post" action="/account/data-export" className="inline-form">
        <input type="hidden" name="intent" value="request" />
        <button type="submit" className="button button--secondary">
          Ask for a copy of my data
        </button>
      </Form>
      <p>
        <Link to="/account/data-export">Your data requests</Link>: where each stands.
      </p>
    </>
  );
}

export type ExportListItem = ExportSummary;

const STATE_WORDS: Record<ExportListItem["state"], string> = {
  preparing: "Being prepared: the link will be emailed",
  ready: "Ready: the link was emailed",
  expired: "Expired: the file has been deleted",
  failed: "Could not be prepared: ask again, or contact the academy",
};

export function sizeLabel(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** The newest requests, each with where it stands (the link itself is only in the email). */
export function DataExportList({ exports, caption }: { exports: ExportListItem[]; caption: string }) {
  if (exports.length === 0) return <p>No requests yet.</p>;
  return (
    <div className="table-wrap">
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Asked</th>
          <th scope="col">Where it stands</th>
          <th scope="col">Link works until</th>
          <th scope="col">Reason</th>
        </tr>
      </thead>
      <tbody>
        {exports.map((e) => (
          <tr key={e.id}>
            <td>{formatMoment(e.requestedAt)}</td>
            <td>
              {STATE_WORDS[e.state]}
              {e.state === "ready" && e.sizeBytes !== null ? ` (${sizeLabel(e.sizeBytes)})` : ""}
            </td>
            <td>{e.expiresAt && e.state === "ready" ? formatMoment(e.expiresAt) : "—"}</td>
            <td>{e.reason ?? "Asked by the trainer"}</td>
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}
