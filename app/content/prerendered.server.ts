import { getModule } from "./catalog.server";

/** A section part's name as the lesson loader gives it on a document request: `slug/section/index`. */
export function partName(slug: string, sectionId: string, index: number): string {
  return `${slug}/${sectionId}/${index}`;
}

/** The pre-rendered HTML of a named part (see `partName`), for the document the server renders. */
export function prerenderedPart(name: string): string | undefined {
  const [slug, sectionId, index] = name.split("/");
  const part = getModule(slug ?? "")?.sections.find((s) => s.id === sectionId)?.parts[Number(index)];
  return part && "html" in part ? part.html : undefined;
}
