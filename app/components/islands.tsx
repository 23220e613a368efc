import { createContext, useContext } from "react";
import { useMatches } from "@remix-run/react";

/**
 * The built page islands (name → script URL, from build/islands.json), given by entry.server
 * while it renders a document; absent in the browser, where the Remix app renders as usual.
 */
export const IslandScripts = createContext<Readonly<Record<string, string>> | null>(null);

/**
 * The island script of the page being rendered on the server, when its route names one
 * (`export const handle = { island: "lesson" }`): the page then loads that script instead of the
 * Remix app (ADR 0047). Undefined for every other page, in the browser, and when the islands are
 * not built (the page then hydrates with Remix as before).
 */
export function useIslandScript(): string | undefined {
  const scripts = useContext(IslandScripts);
  const matches = useMatches();
  if (!scripts) return undefined;
  const name = matches.map((m) => (m.handle as { island?: string } | undefined)?.island).find((n) => n !== undefined);
  return name === undefined ? undefined : scripts[name];
}
