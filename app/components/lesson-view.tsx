import type { ReactNode, RefObject } from "react";
import type { CheckReply } from "~/content/types";
import type { LessonPageData } from "~/learning/lesson-page.server";
import { KnowledgeCheckIsland } from "~/components/knowledge-check";
import { StaticHtml } from "~/components/static-html";
import type { PostForm } from "~/components/site-chrome";

/** A link of the lesson: Remix's `Link` in the app, a plain anchor in a lesson document rendered before Remix. */
export type LessonLink = (props: { to: string; rel?: string; className?: string; "aria-current"?: "page"; children: ReactNode }) => ReactNode;

export function PlainLessonLink({ to, rel, className, "aria-current": current, children }: Parameters<LessonLink>[0]) {
  return (
    <a rel={rel} className={className} aria-current={current} href={to}>
      {children}
    </a>
  );
}

/** The lesson page's title. */
export function lessonTitle(data: Pick<LessonPageData, "module" | "section">): string {
  return `${data.section.title} · ${data.module.title}`;
}

/**
 * A lesson: the module's section list with progress, the section's text and knowledge checks, and
 * "Mark complete" with the pager. Rendered by the lesson route inside the Remix app, and by the
 * HTTP layer for a lesson document (ADR 0054), with the same data (`lessonPageData`).
 */
export function LessonView({
  data: { module, section, toc, previous, next },
  reply,
  busy,
  tocRef,
  Link,
  CompleteForm,
}: {
  data: LessonPageData;
  /** A knowledge check's feedback after a plain (no-JavaScript) post. */
  reply?: CheckReply;
  busy: boolean;
  tocRef?: RefObject<HTMLDetailsElement>;
  Link: LessonLink;
  /** The "Mark complete" form, posting to this lesson. */
  CompleteForm: PostForm;
}) {
  const done = toc.filter((t) => t.complete).length;
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
            <CompleteForm action={`/modules/${module.slug}/${section.id}`}>
              <input type="hidden" name="intent" value="complete" />
              <button type="submit" className="button" disabled={busy}>
                {next ? "Mark complete and continue" : "Mark complete"}
              </button>
            </CompleteForm>
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
