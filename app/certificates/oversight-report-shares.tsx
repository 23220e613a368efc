/**
 * The recipient form and the list of a trainer's oversight-report links, for the trainer's page and
 * the admin's (ADR 0043). The actions are the pages' own; this is the markup they share.
 */
import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { Field } from "~/components/form";
import { formatDate, formatMoment } from "~/utils/dates";
import { SHARE_LIFETIME_DAYS, SHARE_STATE_LABELS, type ShareSummary } from "./oversight-report";

export function RecipientForm({ errors, submitLabel, busy, children }: { errors: Record<string, string>; submitLabel: string; busy: boolean; children?: ReactNode }) {
  return (
    <Form method="post" noValidate className="stack">
      <input type="hidden" name="intent" value="share" />
      <Field name="recipientName" label="Recipient’s name" autoComplete="off" error={errors.recipientName} />
      <Field name="recipientOrganisation" label="Recipient’s organisation" hint="For example the case management company or the firm of solicitors." autoComplete="off" error={errors.recipientOrganisation} />
      <Field name="recipientEmail" label="Recipient’s email address" type="email" autoComplete="off" hint={`They get a link that works for ${SHARE_LIFETIME_DAYS} days.`} error={errors.recipientEmail} />
      {children}
      <button type="submit" className="button" disabled={busy}>
        {submitLabel}
      </button>
    </Form>
  );
}

function opened(share: ShareSummary): string {
  if (share.viewCount === 0) return "not opened yet";
  return `opened ${share.viewCount === 1 ? "once" : `${share.viewCount} times`}, last ${formatMoment(share.lastViewedAt!)}`;
}

/** The links, newest first, with the buttons the viewer may use on each (`actions`). */
export function SharesTable({ label, shares, actions }: { label: string; shares: ShareSummary[]; actions: (share: ShareSummary) => ReactNode }) {
  if (shares.length === 0) return <p>No report has been sent yet.</p>;
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      <table>
        <thead>
          <tr>
            <th scope="col">Recipient</th>
            <th scope="col">State</th>
            <th scope="col">Dates</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {shares.map((s) => (
            <tr key={s.id}>
              <td>
                {s.recipientName}, {s.recipientOrganisation}
                <br />
                <span className="muted">{s.recipientEmail}</span>
              </td>
              <td>
                {SHARE_STATE_LABELS[s.state]}
                {s.requestedByAdmin ? <span className="muted"> (asked for by an admin)</span> : null}
              </td>
              <td>
                {s.sentAt ? `Sent ${formatDate(s.sentAt)}; ${s.state === "sent" ? `works until ${formatDate(s.expiresAt!)}` : "no longer works"}; ${opened(s)}` : `Asked ${formatDate(s.createdAt)}`}
              </td>
              <td>{actions(s)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A one-button form posting `intent` for one share. */
export function ShareButton({ intent, share, label, secondary }: { intent: string; share: ShareSummary; label: string; secondary?: boolean }) {
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="shareId" value={share.id} />
      <button type="submit" className={secondary ? "button button--secondary" : "button"} aria-label={`${label}: ${share.recipientName}`}>
        {label}
      </button>
    </Form>
  );
}
