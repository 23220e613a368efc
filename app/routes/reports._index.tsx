import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { ErrorSummary } from "~/components/form";
import { getDb } from "~/db.server";
import { BarChart, percent } from "~/reports/charts";
import { parseProgrammeFilter, programmeDashboard } from "~/reports/programme.server";
import { getStaffWork, type QueueSummary } from "~/staff/work.server";
import { serverClock } from "~/utils/clock.server";
import { formatDate, formatMonth } from "~/utils/dates";

export const meta: MetaFunction = () => [{ title: "Reports · Approved Trainer Academy" }];

/** Admins see the programme; assessors see their own queues (issue 15). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "assessor", "admin");
  const db = getDb();
  const now = serverClock();
  if (user.role !== "admin") return { role: "assessor" as const, work: await getStaffWork(db, "assessor", now), dashboard: null, filter: null, applied: null, errors: null, today: now.toISOString() };
  const params = new URL(request.url).searchParams;
  const parsed = parseProgrammeFilter(params, now);
  const filter = parsed.ok ? parsed.value : { cohort: null, from: null, to: null };
  const raw = { cohort: params.get("cohort") ?? "", from: params.get("from") ?? "", to: params.get("to") ?? "" };
  return {
    role: "admin" as const,
    work: null,
    dashboard: await programmeDashboard(db, filter, now),
    filter: raw,
    applied: filter,
    errors: parsed.ok ? null : { message: parsed.message, fieldErrors: parsed.fieldErrors },
    today: now.toISOString(),
  };
}

function Queue({ name, summary, to }: { name: string; summary: QueueSummary; to: string }) {
  return (
    <tr>
      <th scope="row">
        <Link to={to}>{name}</Link>
      </th>
      <td>{summary.count.toLocaleString("en-GB")}</td>
      <td>{summary.oldestAge ?? "—"}</td>
    </tr>
  );
}

export default function Reports() {
  const data = useLoaderData<typeof loader>();
  if (data.role !== "admin" || !data.dashboard || !data.filter || !data.applied) {
    const work = data.work!;
    return (
      <section aria-labelledby="reports-title">
        <h1 id="reports-title">Your queues</h1>
        <QueueTable
          rows={[
            { name: "Evidence to verify", summary: work.evidence, to: "/assessor/verification" },
            { name: "Reports to mark", summary: work.toMark, to: "/marking" },
            { name: "Marks to moderate", summary: work.toModerate, to: "/marking?queue=moderate" },
          ]}
        />
        <p>
          <Link to="/reports/items">Assessment item analysis</Link>
        </p>
      </section>
    );
  }
  const { dashboard: d, filter, applied, errors } = data;
  const signedUp = d.funnel[0]!.count;
  const filtered = filter.cohort || filter.from || filter.to;
  const population = applied.cohort ? `Trainers who signed up in ${formatMonth(applied.cohort)}` : applied.from || applied.to ? "Trainers who signed up in the chosen dates" : "All trainers";
  return (
    <section aria-labelledby="reports-title">
      <h1 id="reports-title">Programme reports</h1>
      <p>
        The approval programme at {formatDate(data.today)}. <Link to="/reports/exports">Export data as CSV</Link> · <Link to="/reports/items">Assessment item analysis</Link>
      </p>
      <ErrorSummary message={errors?.message} fieldErrors={errors?.fieldErrors} />
      <Form method="get" className="list-filters report-filters" aria-label="Choose which trainers the funnel counts">
        <div className="field">
          <label htmlFor="report-cohort">Cohort (sign-up month)</label>
          <select id="report-cohort" name="cohort" defaultValue={filter.cohort} aria-invalid={errors?.fieldErrors.cohort ? true : undefined} aria-describedby={errors?.fieldErrors.cohort ? "report-cohort-error" : undefined}>
            <option value="">All trainers</option>
            {d.cohorts.map((m) => (
              <option key={m} value={m}>
                {formatMonth(m)}
              </option>
            ))}
          </select>
          {errors?.fieldErrors.cohort ? (
            <p className="field__error" id="report-cohort-error">
              {errors.fieldErrors.cohort}
            </p>
          ) : null}
        </div>
        {(["from", "to"] as const).map((name) => (
          <div className="field" key={name}>
            <label htmlFor={`report-${name}`}>{name === "from" ? "Signed up from" : "Signed up to"}</label>
            <input
              id={`report-${name}`}
              name={name}
              type="date"
              defaultValue={filter[name]}
              aria-invalid={errors?.fieldErrors[name] ? true : undefined}
              aria-describedby={errors?.fieldErrors[name] ? `report-${name}-error` : undefined}
            />
            {errors?.fieldErrors[name] ? (
              <p className="field__error" id={`report-${name}-error`}>
                {errors.fieldErrors[name]}
              </p>
            ) : null}
          </div>
        ))}
        <button type="submit" className="button button--small">
          Apply
        </button>
        {filtered ? <Link to="/reports">Clear filters</Link> : null}
      </Form>

      <h2>Approval funnel</h2>
      <p>
        {population}: how many have reached each
        step. Conversion is against the step before and against sign-up.
      </p>
      <BarChart
        title="Trainers reaching each step"
        summary={`${signedUp} signed up; ${d.funnel[d.funnel.length - 1]!.count} certified.`}
        valueHeading="Trainers"
        bars={d.funnel.map((s) => ({ label: s.label, value: s.count }))}
        max={signedUp}
      />
      <div className="table-wrap" role="region" aria-label="Funnel conversion" tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col">Trainers</th>
              <th scope="col">Of the step before</th>
              <th scope="col">Of those who signed up</th>
            </tr>
          </thead>
          <tbody>
            {d.funnel.map((s, i) => {
              const before = i === 0 ? null : d.funnel[i - 1]!.count;
              return (
                <tr key={s.key}>
                  <th scope="row">{s.label}</th>
                  <td>{s.count.toLocaleString("en-GB")}</td>
                  <td>{before ? percent(s.count / before) : "—"}</td>
                  <td>{signedUp ? percent(s.count / signedUp) : "—"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="report-grid">
        <p className="figure-card">
          <span className="figure-card__value">{d.timeToCertificate.medianDays === null ? "—" : `${d.timeToCertificate.medianDays} days`}</span> median from sign-up to first certificate
        </p>
        <p className="figure-card">
          <span className="figure-card__value">{d.timeToCertificate.p90Days === null ? "—" : `${d.timeToCertificate.p90Days} days`}</span> 90th percentile (9 in 10 were certified within this)
        </p>
        <p className="figure-card">
          <span className="figure-card__value">{d.timeToCertificate.certified.toLocaleString("en-GB")}</span> trainers certified
        </p>
      </div>

      <h2>Certificates today</h2>
      <BarChart
        title="Certificates by live status"
        summary={d.certificatesByStatus.map((s) => `${s.label}: ${s.count}`).join("; ")}
        valueHeading="Certificates"
        bars={d.certificatesByStatus.map((s) => ({ label: s.label, value: s.count }))}
      />
      <div className="report-grid">
        {d.expiring.map((e) => (
          <p className="figure-card" key={e.days}>
            <span className="figure-card__value">
              <Link to={`/admin/certificates?expiring=${e.days}&sort=expires`}>{e.count.toLocaleString("en-GB")}</Link>
            </span>{" "}
            valid certificates expire within {e.days} days
          </p>
        ))}
        <p className="figure-card">
          <span className="figure-card__value">{d.dbsRechecksOverdue.toLocaleString("en-GB")}</span> DBS re-checks overdue
        </p>
        <p className="figure-card">
          <span className="figure-card__value">{d.supervisionOverdue.toLocaleString("en-GB")}</span> supervisions overdue
        </p>
      </div>

      <h2>Work waiting</h2>
      <QueueTable
        rows={[
          { name: "Evidence to verify", summary: d.work.evidence, to: "/assessor/verification" },
          ...(d.work.dbs ? [{ name: "DBS details to decide", summary: d.work.dbs, to: "/admin/dbs" }] : []),
          { name: "Reports to mark", summary: d.work.toMark, to: "/marking" },
          { name: "Marks to moderate", summary: d.work.toModerate, to: "/marking?queue=moderate" },
          { name: "Disputed marks", summary: d.work.disputed, to: "/marking?queue=disputed" },
          { name: "Open concerns", summary: d.concerns, to: "/admin/concerns" },
        ]}
      />
    </section>
  );
}

function QueueTable({ rows }: { rows: { name: string; summary: QueueSummary; to: string }[] }) {
  return (
    <div className="table-wrap" role="region" aria-label="Queues" tabIndex={0}>
      <table>
        <thead>
          <tr>
            <th scope="col">Queue</th>
            <th scope="col">Waiting</th>
            <th scope="col">Oldest has waited</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <Queue key={r.name} {...r} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
