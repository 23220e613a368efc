import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { getModule, listModules } from "~/content/catalog.server";
import { getDb } from "~/db.server";
import { BarChart, percent } from "~/reports/charts";
import { analyseModuleVersion, analysedVersions } from "~/reports/item-analysis.server";
import { FEW_ATTEMPTS, FLAG_LABELS, TOO_EASY, TOO_HARD } from "~/reports/item-flags";
import { formatDate } from "~/utils/dates";

export const meta: MetaFunction = () => [{ title: "Item analysis · Reports · Approved Trainer Academy" }];

/** Assessors and admins only: per-question statistics over submitted attempts (issue 15). */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "assessor", "admin");
  const params = new URL(request.url).searchParams;
  const modules = listModules()
    .filter((m) => m.questionsPerAttempt > 0)
    .map((m) => ({ slug: m.slug, title: m.title }));
  const slug = modules.find((m) => m.slug === params.get("module"))?.slug ?? null;
  if (!slug) return { modules, slug: null, versions: [], versionId: null, analysis: null };
  const db = getDb();
  const history = getModule(slug)?.versionHistory ?? {};
  const versions = (await analysedVersions(db, slug)).map((v) => ({ ...v, label: history[v.contentHash] ?? v.contentHash.slice(0, 8) }));
  const requested = Number(params.get("version"));
  const chosen = versions.find((v) => v.id === requested) ?? versions.find((v) => v.attempts > 0) ?? versions[0] ?? null;
  const analysis = chosen ? await analyseModuleVersion(db, slug, chosen.id) : null;
  return { modules, slug, versions, versionId: chosen?.id ?? null, analysis };
}

const signed = (r: number | null) => (r === null ? "—" : r.toFixed(2));

export default function ItemAnalysis() {
  const { modules, slug, versions, versionId, analysis } = useLoaderData<typeof loader>();
  const version = versions.find((v) => v.id === versionId);
  const title = modules.find((m) => m.slug === slug)?.title;
  return (
    <section aria-labelledby="items-title">
      <p className="no-print">
        <Link to="/reports">Reports</Link>
      </p>
      <h1 id="items-title">Assessment item analysis{title ? `: ${title}` : ""}</h1>
      <p>
        For each question of a module version, over submitted attempts: the <strong>facility index</strong> (the share who answered it correctly), the <strong>discrimination index</strong> (how
        well answering it correctly goes with doing well on the rest of the test, from −1 to 1; above 0.3 is good), and how often each option was chosen. Items are flagged when too easy
        (facility above {TOO_EASY}), too hard (below {TOO_HARD}), when they discriminate negatively, or when fewer than {FEW_ATTEMPTS} attempts make the figures unreliable.
      </p>
      <Form method="get" className="list-filters report-filters" aria-label="Choose a module and version">
        <div className="field">
          <label htmlFor="items-module">Module</label>
          <select id="items-module" name="module" defaultValue={slug ?? ""}>
            <option value="">Choose a module</option>
            {modules.map((m) => (
              <option key={m.slug} value={m.slug}>
                {m.title}
              </option>
            ))}
          </select>
        </div>
        {versions.length > 0 ? (
          <div className="field">
            <label htmlFor="items-version">Content version</label>
            <select id="items-version" name="version" defaultValue={versionId ?? ""}>
              {versions.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.label} (published {formatDate(v.publishedAt)}, {v.attempts.toLocaleString("en-GB")} attempts)
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <button type="submit" className="button button--small">
          Show
        </button>
      </Form>
      {!slug ? <p>Choose a module to see its questions&rsquo; statistics.</p> : null}
      {slug && (!analysis || analysis.attempts === 0) ? <p>No submitted attempts at this version yet.</p> : null}
      {analysis && analysis.attempts > 0 && version ? (
        <>
          <h2>Version {version.label}</h2>
          <div className="report-grid">
            <p className="figure-card">
              <span className="figure-card__value">{analysis.attempts.toLocaleString("en-GB")}</span> submitted attempts
            </p>
            <p className="figure-card">
              <span className="figure-card__value">{percent(analysis.passed / analysis.attempts)}</span> passed
            </p>
            <p className="figure-card">
              <span className="figure-card__value">{analysis.items.filter((i) => i.flags.some((f) => f !== "few-attempts")).length}</span> questions flagged
            </p>
          </div>
          <BarChart
            title="Score distribution"
            summary={`Scores of ${analysis.attempts} attempts in ten bands; the largest band is ${(() => {
              const top = [...analysis.histogram].sort((a, b) => b.count - a.count)[0]!;
              return `${top.from}–${top.to}% with ${top.count}`;
            })()}.`}
            valueHeading="Attempts"
            bars={analysis.histogram.map((b) => ({ label: `${b.from}–${b.to}%`, value: b.count }))}
          />
          <h2>Pass rate by attempt number</h2>
          <div className="table-wrap" role="region" aria-label="Pass rate by attempt number" tabIndex={0}>
            <table>
              <thead>
                <tr>
                  <th scope="col">Attempt</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Passed</th>
                  <th scope="col">Pass rate</th>
                </tr>
              </thead>
              <tbody>
                {analysis.byAttemptNumber.map((row) => (
                  <tr key={row.attemptNumber}>
                    <th scope="row">{ordinal(row.attemptNumber)}</th>
                    <td>{row.attempts.toLocaleString("en-GB")}</td>
                    <td>{row.passed.toLocaleString("en-GB")}</td>
                    <td>{percent(row.passed / row.attempts)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h2>Questions</h2>
          <div className="table-wrap" role="region" aria-label="Question statistics" tabIndex={0}>
            <table className="item-table">
              <thead>
                <tr>
                  <th scope="col">Question</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Facility</th>
                  <th scope="col">Discrimination</th>
                  <th scope="col">Options chosen</th>
                  <th scope="col">Flags</th>
                </tr>
              </thead>
              <tbody>
                {analysis.items.map((item) => (
                  <tr key={item.questionId} id={`item-${item.questionId}`}>
                    <th scope="row">
                      <code>{item.questionId}</code> {item.prompt.length > 160 ? `${item.prompt.slice(0, 159)}…` : item.prompt}
                    </th>
                    <td>{item.attempts.toLocaleString("en-GB")}</td>
                    <td>{percent(item.facility)}</td>
                    <td>{signed(item.discrimination)}</td>
                    <td>
                      <ul className="plain-list">
                        {item.options.map((o) => (
                          <li key={o.id}>
                            {percent(o.rate)} {o.text}
                            {o.correct ? <strong> (key)</strong> : null}
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td>{item.flags.length === 0 ? "None" : item.flags.map((f) => <span key={f} className="flag">{FLAG_LABELS[f]}</span>)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </section>
  );
}

function ordinal(n: number): string {
  const words = ["First", "Second", "Third", "Fourth", "Fifth", "Sixth", "Seventh", "Eighth", "Ninth", "Tenth"];
  return words[n - 1] ?? `Attempt ${n}`;
}
