/**
 * The lesson page's only script (ADR 0047): a lesson document is rendered by Remix on the server but
 * does not load the Remix app in the browser. This bundle (React DOM and the knowledge check, built
 * by scripts/build-islands.ts) hydrates each knowledge check on its own, opens the section list on
 * wide screens and gives the header's Menu button its behaviour; links and the "Mark complete" form
 * are plain HTML and need nothing.
 */
import { useEffect } from "react";
import { hydrateRoot } from "react-dom/client";
import { KnowledgeCheck, type KnowledgeCheckProps } from "~/components/knowledge-check";
import { openSectionListOnWideScreens } from "~/components/lesson-chrome";
import { enhanceMenuButton } from "./menu-button";

const islands = Array.from(document.querySelectorAll<HTMLElement>('[data-island="knowledge-check"]'));
let waiting = islands.length;

/** The page is interactive once every island has hydrated: the state tests (and the CSS) key on. */
function markHydrated() {
  document.documentElement.dataset.hydrated = "";
}

function Hydrated({ props }: { props: KnowledgeCheckProps }) {
  useEffect(() => {
    waiting -= 1;
    if (waiting === 0) markHydrated();
  }, []);
  return <KnowledgeCheck {...props} />;
}

const sectionList = document.querySelector<HTMLDetailsElement>(".lesson__toc-details");
if (sectionList) openSectionListOnWideScreens(sectionList);
enhanceMenuButton();
for (const element of islands) hydrateRoot(element, <Hydrated props={JSON.parse(element.dataset.props ?? "{}") as KnowledgeCheckProps} />);
if (islands.length === 0) markHydrated();
