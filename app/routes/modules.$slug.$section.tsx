import {
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { requireRole } from "~/auth/guards.server";
import { serverClock } from "~/utils/clock.server";
import { shuffle } from "~/assessment/rules";
import { getModule } from "~/content/catalog.server";
import { LessonBody, LessonProvider } from "~/content/mdx-components";
import type { PublicQuestion } from "~/content/types";
import { getDb } from "~/db.server";
import {
  completeSection,
  recordSectionVisit,
} from "~/learning/progress.server";
import { readForm } from "~/utils/forms";

/** Lesson pages evaluate their precompiled MDX, so their CSP allows 'unsafe-eval' (ADR 0004). */
export const handle = { allowEval: true };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.section.title} · ${data.module.title}` : "Lesson" },
];

function findSection(slug: string | undefined, sectionId: string | undefined) {
  const module = getModule(slug ?? "");
  const index = module?.sections.findIndex((s) => s.id === sectionId) ?? -1;
  if (!module || index < 0)
    throw new Response("There is no such section.", { status: 404 });
  return { module, index, section: module.sections[index]! };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const { module, index, section } = findSection(params.slug, params.section);
  const db = getDb();
  const [done, lastVisit] = await Promise.all([
    db
      .selectFrom("section_progress")
      .select("section_id")
      .where("user_id", "=", user.id)
      .where("module_slug", "=", module.slug)
      .execute(),
    db
      .selectFrom("module_resume")
      .select("section_id")
      .where("user_id", "=", user.id)
      .where("module_slug", "=", module.slug)
      .executeTakeFirst(),
  ]);
  // Remember where the trainer is, without a write on every page view.
  if (lastVisit?.section_id !== section.id)
    await recordSectionVisit(
      db,
      user.id,
      module.slug,
      section.id,
      serverClock()
    );
  const completed = new Set(done.map((d) => d.section_id));
  const checks: Record<string, PublicQuestion> = {};
  for (const [id, question] of Object.entries(module.knowledgeChecks)) {
    // Shown in a fresh order on every view, so the authoring order (and the key's place in it) stays unseen.
    if (section.code.includes(JSON.stringify(id)))
      checks[id] = {
        ...question,
        options: shuffle(question.options, Math.random),
      };
  }
  const neighbour = (i: number) =>
    module.sections[i]
      ? { id: module.sections[i]!.id, title: module.sections[i]!.title }
      : null;
  return {
    module: { slug: module.slug, title: module.title },
    section: {
      id: section.id,
      title: section.title,
      code: section.code,
      number: index + 1,
      complete: completed.has(section.id),
    },
    toc: module.sections.map((s) => ({
      id: s.id,
      title: s.title,
      complete: completed.has(s.id),
    })),
    previous: neighbour(index - 1),
    next: neighbour(index + 1),
    checks,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const form = await readForm(request);
  const { module, index } = findSection(params.slug, params.section);
  if (form.get("intent") !== "complete")
    throw new Response("Unknown action.", { status: 400 });
  await completeSection(
    getDb(),
    user.id,
    module.slug,
    params.section!,
    serverClock()
  );
  const next = module.sections[index + 1];
  return redirect(
    next
      ? `/modules/${module.slug}/${next.id}`
      : `/modules/${module.slug}?completed=1`
  );
}

/** Where the lesson shows its section list beside the text (app.css, the same breakpoint). */
const WIDE_LESSON = "(min-width: 56.01rem)";

export default function Lesson() {
  const { module, section, toc, previous, next, checks } =
    useLoaderData<typeof loader>();
  const busy = useNavigation().state === "submitting";
  const done = toc.filter((t) => t.complete).length;
  const tocRef = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    if (tocRef.current && window.matchMedia(WIDE_LESSON).matches)
      tocRef.current.open = true;
  }, []);
  return (
    <div className="lesson">
      <nav className="lesson__toc" aria-labelledby="lesson-toc-title">
        <p className="lesson__module">
          <Link to={`/modules/${module.slug}`}>{module.title}</Link>
        </p>
        <h2 id="lesson-toc-title" className="lesson__toc-title">
          Sections
        </h2>
        {/* Folded on narrow screens (the text starts on the first screen); always open on wider ones. */}
        <details className="lesson__toc-details" ref={tocRef}>
          <summary className="lesson__toc-summary">
            {done} of {toc.length} complete
            <span className="visually-hidden">
              : show or hide the list of sections
            </span>
          </summary>
          <label htmlFor="lesson-progress" className="visually-hidden">
            Sections complete
          </label>
          <progress id="lesson-progress" max={toc.length} value={done}>
            {done} of {toc.length}
          </progress>
          <ol>
            {toc.map((t) => (
              <li key={t.id}>
                <Link
                  to={`/modules/${module.slug}/${t.id}`}
                  aria-current={t.id === section.id ? "page" : undefined}
                >
                  {t.title}
                </Link>
                {t.complete ? (
                  <span className="visually-hidden"> (complete)</span>
                ) : null}
                {t.complete ? (
                  <span aria-hidden="true" className="toc__tick">
                    ✓
                  </span>
                ) : null}
              </li>
            ))}
          </ol>
        </details>
      </nav>
      <article className="lesson__body prose" aria-labelledby="section-title">
        <p className="eyebrow">
          Section {section.number} of {toc.length}
        </p>
        <h1 id="section-title">{section.title}</h1>
        <LessonProvider value={{ slug: module.slug, checks }}>
          <LessonBody code={section.code} />
        </LessonProvider>
        <div className="lesson__footer">
          {!next && done === toc.length ? (
            <div className="alert alert--success lesson__finished">
              <p>
                <strong>All {toc.length} sections read.</strong> You are ready
                for the end-of-module assessment.
              </p>
              <p>
                <Link
                  className="button"
                  to={`/modules/${module.slug}/assessment`}
                >
                  Start the assessment
                </Link>
              </p>
            </div>
          ) : section.complete ? (
            <p className="status status--good">
              You have completed this section
            </p>
          ) : (
            <Form method="post">
              <input type="hidden" name="intent" value="complete" />
              <button type="submit" className="button" disabled={busy}>
                {next ? "Mark complete and continue" : "Mark complete"}
              </button>
            </Form>
          )}
          <nav aria-label="Section" className="pager">
            {previous ? (
              <Link to={`/modules/${module.slug}/${previous.id}`} rel="prev">
                ← {previous.title}
              </Link>
            ) : (
              <span />
            )}
            {next ? (
              <Link to={`/modules/${module.slug}/${next.id}`} rel="next">
                {next.title} →
              </Link>
            ) : done === toc.length ? (
              <span />
            ) : (
              <Link to={`/modules/${module.slug}/assessment`}>
                Go to the assessment →
              </Link>
            )}
          </nav>
        </div>
      </article>
    </div>
  );
}
