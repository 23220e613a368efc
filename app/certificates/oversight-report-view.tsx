/**
 * The oversight report as a page (issue 15 item 4, ADR 0043): the one component the trainer's
 * preview, the admin's preview and the recipient's page all render, so what the trainer approves
 * is what the recipient reads.
 */
import { formatDate } from "~/utils/dates";
import type { OversightReport } from "./oversight-report";
import type { PublicCertificateView } from "./public.server";

function CertificateFacts({ cert, headingLevel }: { cert: PublicCertificateView; headingLevel: 3 | 4 }) {
  const H = headingLevel === 3 ? "h3" : "h4";
  return (
    <>
      <div className={`verify-status verify-status--${cert.status}`}>
        <p className="verify-status__label">Status on the day of this report</p>
        <p className="verify-status__value">
          {cert.statusLabel}
          {cert.reason && cert.status !== "valid" ? <span className="verify-status__reason">— {cert.reason}</span> : null}
        </p>
      </div>
      <dl className="facts">
        <dt>Certificate ID</dt>
        <dd>
          <a href={`/verify/${cert.id}`}>
            <code>{cert.id}</code>
          </a>
        </dd>
        <dt>Issued</dt>
        <dd>{formatDate(cert.issuedOn)}</dd>
        <dt>Expires</dt>
        <dd>
          {formatDate(cert.expiresOn)} ({cert.expiryBasis})
        </dd>
      </dl>
      <H>Status history</H>
      <ol className="status-history">
        {cert.history.map((e, i) => (
          <li key={i}>
            <time dateTime={e.on}>{formatDate(e.on)}</time> {e.label}
          </li>
        ))}
      </ol>
    </>
  );
}

export function OversightReportView({ report }: { report: OversightReport }) {
  const cert = report.certificate;
  return (
    <article className="oversight-report" aria-labelledby="oversight-report-name">
      <p className="eyebrow">Oversight report · Medical-Legal Approved Trainer</p>
      <h2 id="oversight-report-name">{report.trainerName}</h2>
      <p className="muted">Prepared on {formatDate(report.preparedOn)}. The page is read when it is opened, so the status is always the current one.</p>

      <h3>Certificate</h3>
      {cert ? <CertificateFacts cert={cert} headingLevel={4} /> : <p>No certificate has been issued to this trainer.</p>}

      {cert ? (
        <>
          <h3>Training completed</h3>
          <div className="table-wrap" role="region" aria-label="Training completed" tabIndex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">Module</th>
                  <th scope="col">Passed</th>
                  <th scope="col">Content version</th>
                </tr>
              </thead>
              <tbody>
                {cert.modules.map((m) => (
                  <tr key={m.title}>
                    <td>{m.title}</td>
                    <td>{formatDate(m.passedOn)}</td>
                    <td>{m.version}</td>
                  </tr>
                ))}
                {cert.reportTaskPassedOn ? (
                  <tr>
                    <td>Written report task (marked by an assessor)</td>
                    <td>{formatDate(cert.reportTaskPassedOn)}</td>
                    <td>—</td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </div>
          <h3>Scope of practice</h3>
          <div className="boundaries">
            <section className="boundaries__do" aria-label="This trainer may">
              <h4>This trainer may</h4>
              <ul>
                {cert.scope.may.map((item) => (
                  <li key={item}>{item}</li>
                ))}
              </ul>
            </section>
            <section className="boundaries__dont" aria-label="This trainer may not">
              <h4>This trainer may not</h4>
              <ul>
                {cert.scope.mayNot.map((item) => (
                  <li key={item}>{item}</li>
                ))}
              </ul>
            </section>
          </div>
        </>
      ) : null}

      <h3>Supervision</h3>
      <p>{report.supervision.assigned ? "A supervisor from the academy’s assessors is assigned." : "No supervisor is assigned."}</p>
      {report.supervision.sessionDates.length > 0 ? (
        <>
          <p>Sessions held ({report.supervision.sessionDates.length}), dates only:</p>
          <ul className="oversight-report__dates">
            {report.supervision.sessionDates.map((d, i) => (
              <li key={i}>
                <time dateTime={d}>{formatDate(d)}</time>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>No supervision sessions are recorded yet.</p>
      )}

      {report.earlier.length > 0 ? (
        <>
          <h3>Earlier certificates</h3>
          {report.earlier.map((c) => (
            <section key={c.id} aria-label={`Certificate issued ${formatDate(c.issuedOn)}`} className="oversight-report__earlier">
              <CertificateFacts cert={c} headingLevel={4} />
            </section>
          ))}
        </>
      ) : null}

      <h3>About this report</h3>
      <p className="muted">
        It holds what the public verification page shows, plus the dates of supervision sessions. It never holds contact details, criminal-record (DBS) details, what was discussed in supervision, or any
        concern raised.
      </p>
    </article>
  );
}
