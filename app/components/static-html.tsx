/**
 * Trusted HTML written by `npm run content:build` from the repository's own MDX (never anything
 * a person typed): inserted as it is, and not re-rendered by React in the browser.
 */
export function StaticHtml({ html }: { html: string }) {
  return <div className="prose-part" dangerouslySetInnerHTML={{ __html: html }} />;
}
