import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "~/auth/guards.server";
import { serverClock } from "~/utils/clock.server";
import { getModule, versionLabel } from "~/content/catalog.server";
import { getDb } from "~/db.server";
import { getModuleProgress } from "~/learning/progress.server";
import { ModuleStateBadge } from "~/components/module-state";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.module.title ?? "Module"} · Approved Trainer Academy` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const module = getModule(params.slug ?? "");
  if (!module) throw new Response("There is no such module.", { status: 404 });
  const progress = (await getModuleProgress(getDb(), user.id, serverClock())).find((p) => p.slug === module.slug)!;
  return {
    module: {
      slug: module.slug,
      title: module.title,
      summary: module.summary,
      learningOutcomes: module.learningOutcomes,
      estimatedMinutes: module.estimatedMinutes,
      passMark: module.passMark,
      questionsPerAttempt: module.questionsPerAttempt,
      version: versionLabel(module.contentHash),
      versionNotes: module.versionNotes,
      sections: module.sections.map((s) => ({ id: s.id, title: s.title })),
    },
    progress,
  };
}

export default function ModuleOverview() {
  const { module, progress } = useLoaderData<typeof loader>();
  const started = progress.sectionsDone > 0 || progress.state !== "not-started";
  // Every section read and not yet passed: the assessment is the next thing to do.
  const readyForAssessment = progress.sectionsDone === progress.sectionsTotal && progress.state !== "passed";
  return (
    <article aria-labelledby="module-title" className="module-overview">
      <p className="eyebrow">Mandatory module</p>
      <h1 id="module-title">{module.title}</h1>
      <p className="lede">{module.summary}</p>
      <p>
        <ModuleStateBadge state={progress.state} /> <span className="muted">About {module.estimatedMinutes} minutes · version {module.version}</span>
      </p>
      {readyForAssessment ? (
        <div className="alert alert--success" role="status">
          <p>
            <strong>All {progress.sectionsTotal} sections read.</strong> You are ready for the end-of-module assessment.
          </p>
        </div>
      ) : null}
      <p>
        {readyForAssessment ? (
          <>
            <Link className="button" to={`/modules/${module.slug}/assessment`}>
              Start the assessment
            </Link>{" "}
            <Link className="button button--secondary" to={`/modules/${module.slug}/${module.sections[0]!.id}`} reloadDocument>
              Read the sections again
            </Link>
          </>
        ) : (
          <>
            <Link className="button" to={`/modules/${module.slug}/${progress.resumeSectionId}`} reloadDocument>
              {started ? "Continue where you left off" : "Start the module"}
            </Link>{" "}
            <Link className="button button--secondary" to={`/modules/${module.slug}/assessment`}>
              End-of-module assessment
            </Link>
          </>
        )}
      </p>
      <div className="progress-summary">
        <label htmlFor="module-progress">
          {progress.sectionsDone} of {progress.sectionsTotal} sections complete
        </label>
        <progress id="module-progress" max={progress.sectionsTotal} value={progress.sectionsDone}>
          {progress.percent}%
        </progress>
      </div>
      <h2>What you will be able to do</h2>
      <ul>
        {module.learningOutcomes.map((o) => (
          <li key={o}>{o}</li>
        ))}
      </ul>
      <h2 id="toc-title">Sections</h2>
      <ol className="toc" aria-labelledby="toc-title">
        {module.sections.map((s) => (
          <li key={s.id}>
            <Link to={`/modules/${module.slug}/${s.id}`} reloadDocument>
              {s.title}
            </Link>
            {progress.completedSectionIds.includes(s.id) ? <span className="status status--good toc__done">Complete</span> : null}
          </li>
        ))}
      </ol>
      <h2>The assessment</h2>
      <p>
        {module.questionsPerAttempt} questions drawn from a larger bank, in a random order. The pass mark is {module.passMark}%. You can save answers as you go
        and review them before you submit.
      </p>
      <p className="muted">What changed in this version: {module.versionNotes}</p>
    </article>
  );
}
