import type { MetaFunction } from "@remix-run/node";
import { StaticHtml } from "~/components/static-html";
import { formatDate } from "~/utils/dates";

export interface ContentPageData {
  title: string;
  summary: string;
  lastReviewed: string;
  versionLabel: string;
  /** Rendered once by the content build (ADR 0041). */
  html: string;
}

/** Title and description of a content page, from its frontmatter. */
export const contentPageMeta: MetaFunction = ({ data }) => {
  const page = data as ContentPageData | undefined;
  return [{ title: `${page?.title ?? "Page"} · Approved Trainer Academy` }, { name: "description", content: page?.summary ?? "" }];
};

/** A page written in content/pages (ADR 0020): its HTML rendered once by the content build, like a lesson's (ADR 0041). */
export function ContentPage({ page }: { page: ContentPageData }) {
  return (
    <article className="lesson__body prose" aria-labelledby="page-title">
      <h1 id="page-title">{page.title}</h1>
      <p className="muted">
        Version {page.versionLabel} · last reviewed {formatDate(page.lastReviewed)}
      </p>
      <StaticHtml html={page.html} />
    </article>
  );
}
