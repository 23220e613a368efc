import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { knowledgeCheckReply } from "~/assessment/attempts.server";
import { requireRole } from "~/auth/guards.server";
import { serverClock } from "~/utils/clock.server";
import { shuffle } from "~/assessment/rules";
import { findSection } from "~/content/catalog.server";
import { partName } from "~/content/prerendered.server";
import { KnowledgeCheckIsland } from "~/components/knowledge-check";
import { openSectionListOnWideScreens } from "~/components/lesson-chrome";
import { StaticHtml } from "~/components/static-html";
import type { PublicQuestion } from "~/content/types";
import { getDb } from "~/db.server";
import {
  completeSection,
  readLessonProgress,
  recordSectionVisit,
} from "~/learning/progress.server";
import { readForm } from "~/utils/forms";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.section.title} · ${data.module.title}` : "Lesson" },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const { module, index, section } = findSection(params.slug, params.section);
  const db = getDb();
  const { completed, lastVisited } = await readLessonProgress(db, user.id, module.slug);
  // Remember where the trainer is, without a write on every page view.
  if (lastVisited !== section.id)
    await recordSectionVisit(
      db,
      user.id,
      module.slug,
      section.id,
      serverClock()
    );
  // The section's pre-rendered HTML as it is, and each knowledge check in it, its options in a
  // fresh order on every view, so the authoring order (and the key's place in it) stays unseen.
  // A document carries the HTML once, in the page: its data names each part instead (ADR 0046).
  const document = context?.documentRequest === true;
  const parts: ({ html: string } | { part: string } | { check: PublicQuestion })[] = [];
  for (const [i, part] of section.parts.entries()) {
    if ("html" in part) parts.push(document ? { part: partName(module.slug, section.id, i) } : part);
    else {
      const question = module.knowledgeChecks[part.check];
      if (question) parts.push({ check: { ...question, options: shuffle(question.options, Math.random) } });
    }
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
      parts,
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
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "trainer");
  const form = await readForm(request);
  const { module, index } = findSection(params.slug, params.section);
  if (form.get("intent") === "check") {
    // A knowledge check posted without JavaScript, graded on the server (the key never reaches the
    // page before): the page's action data. With JavaScript the island posts to `check` (ADR 0047).
    const { reply, status } = knowledgeCheckReply(module.slug, form);
    return data(reply, { status });
  }
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

/**
 * A document of this page hydrates only its islands (the knowledge checks and the page chrome's
 * few behaviours), not the Remix app: see ADR 0047 and app/islands/lesson.tsx.
 */
export const handle = { island: "lesson" };

export default function Lesson() {
  const { module, section, toc, previous, next } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const reply = actionData && "questionId" in actionData ? actionData : undefined;
  const busy = useNavigation().state === "submitting";
  const done = toc.filter((t) => t.complete).length;
  const tocRef = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    if (tocRef.current) openSectionListOnWideScreens(tocRef.current);
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
        {section.parts.map((part, i) =>
          "html" in part ? (
            <StaticHtml key={i} html={part.html} />
          ) : "part" in part ? (
            <StaticHtml key={i} part={part.part} />
          ) : (
            <KnowledgeCheckIsland
              key={part.check.id}
              question={part.check}
              action={`/modules/${module.slug}/${section.id}`}
              reply={reply?.questionId === part.check.id ? reply : undefined}
            />
          )
        )}
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
