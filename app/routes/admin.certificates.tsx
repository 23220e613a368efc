import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireRole } from "~/auth/guards.server";
import { listCertificates, reinstateCertificate, revokeCertificate, suspendCertificate } from "~/certificates/admin.server";
import { STATUS_LABELS, type CertificateStatus } from "~/certificates/status";
import { serverClock } from "~/utils/clock.server";
import { getDb } from "~/db.server";
import { FormError, Notice } from "~/components/form";
import { formToObject, validate } from "~/utils/forms";

export const meta: MetaFunction = () => [{ title: "Certificates · Approved Trainer Academy" }];

const STATUSES = Object.keys(STATUS_LABELS) as CertificateStatus[];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const url = new URL(request.url);
  const status = STATUSES.find((s) => s === url.searchParams.get("status"));
  const expiring = ["30", "60"].includes(url.searchParams.get("expiring") ?? "") ? Number(url.searchParams.get("expiring")) : undefined;
  const certificates = await listCertificates(getDb(), { status, expiringWithinDays: expiring }, serverClock());
  return { certificates, status: status ?? "", expiring: expiring ? String(expiring) : "" };
}

const schema = z.object({
  intent: z.enum(["suspend", "reinstate", "revoke"], { error: "Choose an action." }),
  id: z.string().regex(/^[a-z2-7]{32}$/, "That certificate ID is not valid."),
  reason: z.string().trim().min(10, "Give a reason of at least 10 characters; it goes in the audit trail.").max(1000, "Keep the reason under 1,000 characters."),
});

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const parsed = validate(schema, formToObject(await request.formData()));
  if (!parsed.ok) return data({ error: parsed.message ?? Object.values(parsed.fieldErrors)[0]!, done: null, id: null }, { status: 400 });
  const { intent, id, reason } = parsed.value;
  const act = intent === "suspend" ? suspendCertificate : intent === "reinstate" ? reinstateCertificate : revokeCertificate;
  const result = await act(getDb(), admin.id, id, reason, serverClock());
  if (!result.ok) return data({ error: result.message, done: null, id }, { status: result.status });
  return { error: null, done: `Certificate ${intent === "suspend" ? "suspended" : intent === "reinstate" ? "reinstated" : "revoked"}.`, id };
}

export default function AdminCertificates() {
  const { certificates, status, expiring } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <section aria-labelledby="certs-title">
      <h1 id="certs-title">Certificates</h1>
      <FormError error={actionData?.error ?? undefined} />
      {actionData?.done ? <Notice>{actionData.done}</Notice> : null}
      <Form method="get" className="inline-form filters">
        <label htmlFor="filter-status">Status</label>
        <select id="filter-status" name="status" defaultValue={status}>
          <option value="">Any status</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABELS[s]}
            </option>
          ))}
        </select>
        <label htmlFor="filter-expiring">Expiring</label>
        <select id="filter-expiring" name="expiring" defaultValue={expiring}>
          <option value="">Any time</option>
          <option value="30">In the next 30 days</option>
          <option value="60">In the next 60 days</option>
        </select>
        <button type="submit" className="button button--small">
          Filter
        </button>
      </Form>
      {certificates.length === 0 ? (
        <p>No certificates match.</p>
      ) : (
        <ul className="cert-list">
          {certificates.map((c) => (
            <li key={c.id} className="card">
              <h2 className="cert-list__name">{c.trainerName}</h2>
              <p>
                <span className={`status ${c.live.status === "valid" ? "status--good" : c.live.status === "superseded" ? "status--todo" : "status--bad"}`}>{STATUS_LABELS[c.live.status]}</span>{" "}
                {c.live.reason && c.live.status !== "valid" ? <span className="muted">{c.live.reason}</span> : null}
              </p>
              <p className="muted">
                Issued {c.issuedAt.slice(0, 10)} · expires {c.expiresOn} · <Link to={`/verify/${c.id}`} reloadDocument>verification page</Link>
              </p>
              {c.suspensionReason ? <p>Suspension reason: {c.suspensionReason}</p> : null}
              {c.revocationReason ? <p>Revocation reason: {c.revocationReason}</p> : null}
              {c.live.status !== "revoked" && c.live.status !== "superseded" ? (
                <Form method="post" className="stack cert-actions">
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
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
