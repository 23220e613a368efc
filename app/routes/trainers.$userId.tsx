import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { unlockAssessment } from "~/assessment/attempts.server";
import { requireRole } from "~/auth/guards.server";
import { serverClock } from "~/utils/clock.server";
import { getDb } from "~/db.server";
import { raiseConcernAsStaff } from "~/concerns/concerns.server";
import { RaiseConcernForm } from "~/concerns/staff-form";
import { staffConcernSchema } from "~/concerns/validation";
import { findTrainer, getTrainerOverview } from "~/staff/trainer-overview.server";
import { CertificateStatusChip, InsuranceRows, Part, QualificationRows, SectionChip, Table, certificateHistory } from "~/staff/trainer-overview-ui";
import { TRAINER_STATUS_LABELS, trainerStatus } from "~/marking/labels";
import { FormError, Notice } from "~/components/form";
import { ModuleStateBadge } from "~/components/module-state";
import { formToObject, readForm, validate } from "~/utils/forms";
import { formatDate, formatMoment } from "~/utils/dates";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.trainer.name ?? "Trainer"} · Trainers · Approved Trainer Academy` }];

async function trainerOr404(userId: string | undefined) {
  const id = Number(userId);
  const trainer = Number.isSafeInteger(id) && id > 0 ? await findTrainer(getDb(), id) : undefined;
  if (!trainer) throw new Response("There is no such trainer.", { status: 404 });
  return trainer;
}

/** Everything about one trainer, for assessors and admins (issue 13 item 10). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireRole(request, "assessor", "admin");
  const trainer = await trainerOr404(params.userId);
  return { trainer, viewerRole: staff.role, ...(await getTrainerOverview(getDb(), trainer, staff.role, serverClock())) };
}

const unlockSchema = z.object({
  slug: z.string().min(1),
  reason: z.string().trim().min(10, "Give a reason of at least 10 characters (it goes in the audit trail).").max(1000, "Keep the reason to 1,000 characters or fewer."),
});

type ActionReply = { fieldErrors: Record<string, string>; error: string | null; done: boolean; slug: string; concern: { reference: string; id: number } | null; concernErrors: Record<string, string> };
const reply = (r: Partial<ActionReply>, status = 200) => data<ActionReply>({ fieldErrors: {}, error: null, done: false, slug: "", concern: null, concernErrors: {}, ...r }, { status });

/** Unlocking an assessment, or (intent "concern") raising a concern about this trainer (issue 12: staff can raise concerns). */
export async function action({ request, params }: ActionFunctionArgs) {
  const staff = await requireRole(request, "assessor", "admin");
  const form = formToObject(await readForm(request));
  const trainer = await trainerOr404(params.userId);
  if (form.intent === "concern") {
    const parsed = validate(staffConcernSchema, form);
    if (!parsed.ok) return reply({ concernErrors: parsed.fieldErrors }, 400);
    const raised = await raiseConcernAsStaff(getDb(), staff, trainer.id, parsed.value, serverClock());
    if (!raised.ok) return reply({ error: raised.message }, raised.status);
    return reply({ concern: raised.value });
  }
  const parsed = validate(unlockSchema, form);
  if (!parsed.ok) return reply({ fieldErrors: parsed.fieldErrors }, 400);
  const result = await unlockAssessment(getDb(), { actorId: staff.id, trainerId: trainer.id, slug: parsed.value.slug, reason: parsed.value.reason }, serverClock());
  if (!result.ok) return reply({ error: result.message, slug: parsed.value.slug }, result.status);
  return reply({ done: true, slug: parsed.value.slug });
}

export default function TrainerProgress() {
  const { trainer, viewerRole, requirements, dbsRecordLink, modules, attempts, submissions, acceptances, certificates, currentCertificate, audit } = useLoaderData<typeof loader>();
  const { status } = requirements;
  const actionData = useActionData<typeof action>();
  return (
    <section aria-labelledby="trainer-title">
      <p className="eyebrow">
        <Link to="/trainers">Trainers</Link>
      </p>
      <h1 id="trainer-title">{trainer.name}</h1>
      <p className="muted">
        {trainer.email} · {trainer.email_confirmed_at ? "email address confirmed" : "email address not confirmed yet"} · joined {formatDate(trainer.created_at)}
        {trainer.disabled_at ? ` · account disabled ${formatDate(trainer.disabled_at)}` : ""}
      </p>
      <nav aria-label="On this page">
        <ul className="inline-list">
          {[
            ["part-requirements", "Entry requirements"],
            ["part-modules", "Modules"],
            ["part-attempts", "Attempts"],
            ["part-report", "Written report"],
            ["part-agreement", "Agreement"],
            ["part-certificate", "Certificate"],
            ["part-concern", "Raise a concern"],
            ["part-audit", "Audit entries"],
          ].map(([id, label]) => (
            <li key={id}>
              <a href={`#${id}`}>{label}</a>
            </li>
          ))}
        </ul>
      </nav>
      <FormError error={actionData?.error ?? undefined} />
      {actionData?.done ? <Notice>Assessment unlocked. The trainer can start a new attempt now.</Notice> : null}
      <h2 id="part-requirements">Entry requirements</h2>
      <Part id="req-qualifications" title="Qualifications" status={<SectionChip status={status.qualification.status} />}>
        <QualificationRows rows={requirements.qualifications} />
      </Part>
      <Part id="req-insurance" title="Insurance" status={<SectionChip status={status.insurance.status} />}>
        <InsuranceRows rows={requirements.insurance} />
      </Part>
      <Part id="req-dbs" title="Enhanced DBS check" status={<SectionChip status={status.dbs.status} />}>
        {requirements.dbs ? (
          <p>
            Recorded {formatDate(requirements.dbs.recordedAt)}
            {requirements.dbs.decidedAt ? `; decided ${formatDate(requirements.dbs.decidedAt)}` : "; no decision yet"}
            {requirements.dbs.recheckDueOn ? `; re-check due ${formatDate(requirements.dbs.recheckDueOn)}` : ""}.{" "}
            {dbsRecordLink ? <Link to={dbsRecordLink}>Open the DBS record</Link> : "Only administrators see the certificate details."}
          </p>
        ) : (
          <p>No DBS check recorded.</p>
        )}
      </Part>
      <h2 id="part-modules">Modules</h2>
      <ul className="cards cards--two">
        {modules.map((m) => (
          <li key={m.slug} className="card">
            <h3>{m.title}</h3>
            <p>
              <ModuleStateBadge state={m.state} />
            </p>
            <label htmlFor={`p-${m.slug}`}>
              {m.sectionsDone} of {m.sectionsTotal} sections complete
            </label>
            <progress id={`p-${m.slug}`} max={m.sectionsTotal} value={m.sectionsDone} />
            <p className="muted">
              {m.passedAt ? `Passed ${formatDate(m.passedAt)} (${m.passedPercent}%), version ${m.passedVersion}` : `${m.attemptsTaken === 0 ? "No attempts" : m.attemptsTaken === 1 ? "1 attempt" : `${m.attemptsTaken} attempts`} submitted`}
            </p>
            {m.retakeMessage && m.retakeMessage.startsWith("This assessment is locked") ? (
              <Form method="post" className="stack">
                <input type="hidden" name="slug" value={m.slug} />
                <div className={`field${actionData?.fieldErrors.reason ? " field--error" : ""}`}>
                  <label htmlFor={`reason-${m.slug}`}>Reason for unlocking</label>
                  {actionData?.fieldErrors.reason ? (
                    <p className="field__error" id={`reason-${m.slug}-error`}>
                      {actionData.fieldErrors.reason}
                    </p>
                  ) : null}
                  <textarea id={`reason-${m.slug}`} name="reason" required aria-describedby={actionData?.fieldErrors.reason ? `reason-${m.slug}-error` : undefined} />
                </div>
                <button type="submit" className="button button--small">
                  Unlock the assessment
                </button>
              </Form>
            ) : null}
          </li>
        ))}
      </ul>
      <h2 id="part-attempts">Attempts</h2>
      {attempts.length === 0 ? (
        <p>No attempts yet.</p>
      ) : (
        <div className="table-wrap" role="region" aria-label="Trainer details" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">Module</th>
                <th scope="col">Started</th>
                <th scope="col">Result</th>
                <th scope="col">Version</th>
              </tr>
            </thead>
            <tbody>
              {attempts.map((a) => (
                <tr key={a.id}>
                  <td>{a.title}</td>
                  <td>{formatMoment(a.started_at)}</td>
                  <td>
                    {a.submitted_at === null ? (
                      "In progress"
                    ) : (
                      <Link to={`/attempts/${a.id}/result`}>
                        {a.percent}% — {a.passed ? "passed" : "not passed"}
                      </Link>
                    )}
                  </td>
                  <td>{a.versionLabel}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2 id="part-report">Written report</h2>
      {submissions.length === 0 ? (
        <p>No report submitted.</p>
      ) : (
        <Table label="Report submissions" head={["Submission", "Submitted", "Status", "Marks"]}>
          {submissions.map((s) => (
            <tr key={s.id}>
              <td>
                <Link to={`/marking/${s.id}`}>
                  Version {s.version} ({s.candidateNumber})
                </Link>
                <br />
                <span className="muted">{s.wordCount.toLocaleString("en-GB")} words</span>
              </td>
              <td>{formatMoment(s.submittedAt)}</td>
              <td>
                {TRAINER_STATUS_LABELS[trainerStatus(s.status as Parameters<typeof trainerStatus>[0], s.outcome as Parameters<typeof trainerStatus>[1])].split(":")[0]}
                {s.releasedAt ? <span className="muted"> (released {formatDate(s.releasedAt)})</span> : null}
              </td>
              <td>
                {s.marks.length === 0
                  ? "Not marked yet"
                  : s.marks.map((m, i) => (
                      <span key={i} className="block">
                        {m.role === "moderator" ? "Moderation" : "Mark"}: {m.outcome === "pass" ? "pass" : "refer"} by {m.by ?? "a former assessor"}, {formatDate(m.at)}
                        {m.released ? " (released)" : ""}
                      </span>
                    ))}
              </td>
            </tr>
          ))}
        </Table>
      )}
      <h2 id="part-agreement">Scope of practice agreement</h2>
      {acceptances.length === 0 ? (
        <p>Not accepted yet.</p>
      ) : (
        <ul>
          {acceptances.map((a) => (
            <li key={a.id}>
              Accepted {formatMoment(a.accepted_at)} as &ldquo;{a.typed_name}&rdquo; (version {a.versionLabel})
            </li>
          ))}
        </ul>
      )}
      <h2 id="part-certificate">Certificate</h2>
      {currentCertificate ? (
        <p>
          Current certificate <Link to={`/verify/${currentCertificate.id}`}>{currentCertificate.id}</Link>: <CertificateStatusChip live={currentCertificate.live} />
        </p>
      ) : (
        <p>No certificate issued.</p>
      )}
      {certificates.length > 0 ? (
        <ol className="stack" aria-label="Certificate history, newest first">
          {certificates.map((c) => (
            <li key={c.id}>
              <code>{c.id}</code>: {certificateHistory(c)}
            </li>
          ))}
        </ol>
      ) : null}
      <p>
        <Link to={`/supervision/${trainer.id}`}>Supervision record</Link> (its supervisor and admins; admins assign the supervisor there).
      </p>
      {viewerRole === "admin" ? (
        <p>
          <Link to={`/trainers/${trainer.id}/oversight-report`}>Oversight report for a commissioner</Link> (sent only after the trainer approves it).
          <br />
          <Link to={`/trainers/${trainer.id}/data-export`}>Data export for a subject access request</Link> (everything held about them, as a ZIP; audited).
        </p>
      ) : null}
      <h2 id="part-concern">Raise a concern</h2>
      <RaiseConcernForm hasCertificate={certificates.length > 0} errors={actionData?.concernErrors ?? {}} raised={actionData?.concern ?? null} viewerIsAdmin={viewerRole === "admin"} />
      <h2 id="part-audit">Audit entries</h2>
      {audit.length === 0 ? (
        <p>No audit entries.</p>
      ) : (
        <Table label="Audit entries about this trainer, newest first" head={["When", "Action", "By", "Subject"]}>
          {audit.map((e) => (
            <tr key={e.id}>
              <td>{formatMoment(e.at)}</td>
              <td>
                <code>{e.action}</code>
              </td>
              <td>{e.actor ?? "the system"}</td>
              <td>
                {e.subjectType.replace(/_/g, " ")} {e.subjectId}
              </td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}
