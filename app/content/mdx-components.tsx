import { useId, type ReactNode } from "react";

/**
 * The only components lesson MDX may use (see content/README.md). They are rendered once, by
 * `npm run content:build`, into each section's static HTML (ADR 0041): nothing here runs per
 * request or in the browser. A knowledge check is not rendered here: it leaves a marker the build
 * splits the HTML around, and the lesson page renders the check itself as an interactive island
 * (app/components/knowledge-check.tsx).
 */

function Scenario({ title, children }: { title?: string; children: ReactNode }) {
  const id = useId();
  return (
    <aside className="scenario" aria-labelledby={id}>
      <p className="scenario__label" id={id}>
        Worked scenario{title ? `: ${title}` : ""}
      </p>
      {children}
    </aside>
  );
}

function Boundaries({ children }: { children: ReactNode }) {
  return <div className="boundaries">{children}</div>;
}

function Do({ children }: { children: ReactNode }) {
  return (
    <section className="boundaries__do">
      <h3>What you do</h3>
      {children}
    </section>
  );
}

function Dont({ children }: { children: ReactNode }) {
  return (
    <section className="boundaries__dont">
      <h3>What you don&rsquo;t do</h3>
      {children}
    </section>
  );
}

/** The marker a knowledge check leaves in the built HTML; `splitAtIslands` cuts there. */
function KnowledgeCheck({ id }: { id: string }) {
  return <template data-knowledge-check={id} />;
}

export const mdxComponents = { Scenario, Boundaries, Do, Dont, KnowledgeCheck };

const ISLAND = /<template data-knowledge-check="([^"]*)"><\/template>/g;

/** A section's static HTML with each knowledge check's place between the parts. */
export function splitAtIslands(html: string): ({ html: string } | { check: string })[] {
  const parts: ({ html: string } | { check: string })[] = [];
  let from = 0;
  for (const match of html.matchAll(ISLAND)) {
    const before = html.slice(from, match.index);
    if (before.trim()) parts.push({ html: before.trim() });
    parts.push({ check: match[1]! });
    from = match.index + match[0].length;
  }
  const rest = html.slice(from);
  if (rest.trim()) parts.push({ html: rest.trim() });
  return parts;
}
