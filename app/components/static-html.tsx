import { createContext, useContext, useState } from "react";

/**
 * Where the server finds a pre-rendered part by its name (`slug/section/index`) while it renders a
 * document: set by entry.server (app/content/prerendered.server.ts). Absent in the browser.
 */
export const PrerenderedParts = createContext<((part: string) => string | undefined) | null>(null);

/** The pre-rendered element a part was written into, in the page the server sent. */
function shownPart(part: string): string | undefined {
  if (typeof document === "undefined") return undefined;
  for (const element of document.querySelectorAll<HTMLElement>("[data-part]")) if (element.dataset.part === part) return element.innerHTML;
  return undefined;
}

/**
 * Trusted HTML written by `npm run content:build` from the repository's own MDX (never anything
 * a person typed): inserted as it is, and not re-rendered by React in the browser.
 *
 * A document carries the HTML once (ADR 0046): the loader then names the part (`part`) instead of
 * sending its HTML again in the page's data; the server renders it from the content build
 * (`PrerenderedParts`), and the browser, hydrating, takes it from the element the server wrote.
 * Data requests (a client-side navigation) carry the HTML itself (`html`).
 */
export function StaticHtml({ html, part }: { html?: string; part?: string }) {
  const lookup = useContext(PrerenderedParts);
  // Read once, when the element is first rendered (hydration): React leaves the DOM as it is.
  const [fromPage] = useState(() => (html === undefined && part && !lookup ? shownPart(part) : undefined));
  const content = html ?? (part ? (lookup ? lookup(part) : fromPage) : undefined) ?? "";
  return <div className="prose-part" data-part={part} dangerouslySetInnerHTML={{ __html: content }} />;
}
