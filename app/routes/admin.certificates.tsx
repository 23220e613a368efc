import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireRole } from "~/auth/guards.server";
import { reinstateCertificate, revokeCertificate, suspendCertificate } from "~/certificates/admin.server";
import { listCertificatePage, parseCertificateListQuery } from "~/certificates/list.server";
import { Pagination, SearchField, SortHeader } from "~/components/pagination";
import { formatDate } from "~/utils/dates";
import { STATUS_LABELS, type CertificateStatus } from "~/certificates/status";
import { serverClock } from "~/utils/clock.server";
import { getDb } from "~/db.server";
import { FormError, Notice } from "~/components/form";
import { formToObject, readForm, validate } from "~/utils/forms";

export const meta: MetaFunction = () => [{ title: "Certificates · Approved Trainer Academy" }];

const STATUSES = Object.keys(STATUS_LABELS) as CertificateStatus[];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const query = parseCertificateListQuery(new URL(request.url).searchParams);
  const page = await listCertificatePage(getDb(), query, serverClock());
  return { page, q: query.q, status: query.status ?? "", expiring: query.expiringWithinDays ? String(query.expiringWithinDays) : "", sort: query.sort, direction: query.direction };
}

const schema = z.object({
  intent: z.enum(["suspend", "reinstate", "revoke"], { error: "Choose an action." }),
  id: z.string().regex(/^[a-z2-7]{32}$/, "That certificate ID is not valid."),
  reason: z.string().trim().min(10, "Give a reason of at least 10 characters; it goes in the audit trail.").max(1000, "Keep the reason to 1,000 characters or fewer."),
});

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const parsed = validate(schema, formToObject(await readForm(request)));
  if (!parsed.ok) return data({ error: parsed.message ?? Object.values(parsed.fieldErrors)[0]!, done: null, id: null }, { status: 400 });
  const { intent, id, reason } = parsed.value;
  const act = intent === "suspend" ? suspendCertificate : intent === "reinstate" ? reinstateCertificate : revokeCertificate;
  const result = await act(getDb(), admin.id, id, reason, serverClock());
  if (!result.ok) return data({ error: result.message, done: null, id }, { status: result.status });
  return { error: null, done: `Certificate ${intent === "suspend" ? "suspended" : intent === "reinstate" ? "reinstated" : "revoked"}.`, id };
}

export default function AdminCertificates() {
  const { page, q, status, expiring, sort, direction } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pager = { ...page, shown: page.items.length };
  return (
    <section aria-labelledby="certs-title">
      <h1 id="certs-title">Certificates</h1>
      <FormError error={actionData?.error ?? undefined} />
      {actionData?.done ? <Notice>{actionData.done}</Notice> : null}
      <Form method="get" className="list-filters" role="search" aria-label="Find certificates">
        <SearchField id="cert-search" label="Search by trainer name or certificate ID" value={q} />
        <div className="field">
          <label htmlFor="filter-status">Status</label>
          <select id="filter-status" name="status" defaultValue={status}>
            <option value="">Any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-expiring">Expiring</label>
          <select id="filter-expiring" name="expiring" defaultValue={expiring}>
            <option value="">Any time</option>
            <option value="30">In the next 30 days</option>
            <option value="60">In the next 60 days</option>
          </select>
        </div>
        <input type="hidden" name="sort" value={sort} />
        <input type="hidden" name="dir" value={direction} />
        <button type="submit" className="button button--small">
          Filter
        </button>
      </Form>
      <Pagination page={pager} label="Pages of certificates" noun="certificates" />
      <div className="table-wrap" role="region" aria-label="Certificates" tabIndex={0}>
        <table className="cert-table">
          <caption className="visually-hidden">
            {describeFilters(q, status, expiring)}; select a column heading to sort by it
          </caption>
          <thead>
            <tr>
              <SortHeader sortKey="name" current={sort} direction={direction}>
                Trainer
              </SortHeader>
              <SortHeader sortKey="status" current={sort} direction={direction}>
                Status
              </SortHeader>
              <SortHeader sortKey="issued" current={sort} direction={direction}>
                Issued
              </SortHeader>
              <SortHeader sortKey="expires" current={sort} direction={direction}>
                Expires
              </SortHeader>
              <th scope="col">Certificate</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {page.items.length === 0 ? (
              <tr>
                <td colSpan={6}>No certificates match.</td>
              </tr>
            ) : (
              page.items.map((c) => <CertificateRow key={c.id} c={c} />)
            )}
          </tbody>
        </table>
      </div>
      <Pagination page={pager} label="Pages of certificates, below the table" noun="certificates" />
    </section>
  );
}

/** The table's caption says which certificates it holds, so a screen reader (and a test) hears the filters that apply. */
function describeFilters(q: string, status: string, expiring: string): string {
  const parts = ["Certificates"];
  if (status) parts.push(`with the status ${STATUS_LABELS[status as CertificateStatus] ?? status}`);
  if (expiring) parts.push(`expiring in the next ${expiring} days`);
  if (q) parts.push(`matching “${q}”`);
  return parts.join(", ");
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>["page"]["items"][number];

function CertificateRow({ c }: { c: Row }) {
  return (
    <tr data-certificate={c.id}>
      <td>{c.trainerName}</td>
      <td>
        <span className={`status ${c.live.status === "valid" ? "status--good" : c.live.status === "superseded" ? "status--todo" : "status--bad"}`}>{STATUS_LABELS[c.live.status]}</span>
        {c.live.reason && c.live.status !== "valid" ? <span className="muted"> {c.live.reason}</span> : null}
        {c.suspensionReason ? <p>Suspension reason: {c.suspensionReason}</p> : null}
        {c.revocationReason ? <p>Revocation reason: {c.revocationReason}</p> : null}
      </td>
      <td>{formatDate(c.issuedAt)}</td>
      <td>{formatDate(c.expiresOn)}</td>
      <td>
        <Link to={`/verify/${c.id}`} reloadDocument>
          <code>{c.id.slice(0, 8)}</code>
          <span className="visually-hidden">: verification page for {c.trainerName}</span>
        </Link>
      </td>
      <td>
        {c.live.status !== "revoked" && c.live.status !== "superseded" ? (
          <details className="cert-actions">
            <summary>
              {c.suspensionReason ? "Reinstate or revoke" : "Suspend or revoke"}
              <span className="visually-hidden"> the certificate of {c.trainerName}</span>
            </summary>
            <Form method="post" className="stack">
              <input type="hidden" name="id" value={c.id} />
              <div className="field">
                <label htmlFor={`reason-${c.id}`}>Reason (recorded in the audit trail)</label>
                <textarea id={`reason-${c.id}`} name="reason" required rows={2} />
              </div>
              <div className="inline-form">
                {c.suspensionReason ? (
                  <button type="submit" name="intent" value="reinstate" className="button button--small">
                    Reinstate
                  </button>
                ) : (
                  <button type="submit" name="intent" value="suspend" className="button button--small button--secondary">
                    Suspend
                  </button>
                )}
                <button type="submit" name="intent" value="revoke" className="button button--small button--danger">
                  Revoke (final)
                </button>
              </div>
            </Form>
          </details>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
    </tr>
  );
}
