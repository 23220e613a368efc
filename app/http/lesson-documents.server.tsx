import type { ServerBuild } from "@remix-run/node";
import type { RequestHandler } from "express";
import { renderToString } from "react-dom/server";
import { requireRole } from "~/auth/guards.server";
import { getDb } from "~/db.server";
import { lessonPageData } from "~/learning/lesson-page.server";
import { unreadCount } from "~/notifications/notify.server";
import { prerenderedPart } from "~/content/prerendered.server";
import { LessonView, PlainLessonLink, lessonTitle } from "~/components/lesson-view";
import { BaseMeta, PageFrame, PlainPostForm, SiteHeaderView, plainHeaderLink } from "~/components/site-chrome";
import { PrerenderedParts } from "~/components/static-html";
import { serverClock } from "~/utils/clock.server";
import { log } from "~/utils/log.server";
import { PRIVATE_NO_STORE, documentCsp } from "./security.server";
import { requestHeadOf } from "./request-head.server";

/** The lesson route's id in the build: the one page this handler renders. */
export const LESSON_ROUTE_ID = "routes/modules.$slug.$section";

/**
 * A signed-in trainer's lesson document, rendered before Remix (ADR 0054). A lesson document runs
 * no Remix in the browser (ADR 0047: its island hydrates the knowledge checks), so nothing needs
 * Remix's router on the server either: the page is the same components (`SiteHeaderView`,
 * `LessonView`, `PageFrame`) with plain links, from the same data (`lessonPageData`, the root's
 * `unreadCount`), behind the same guard (`requireRole`). It costs the session, the progress read
 * and a React render of the page, not Remix's request handling, route matching and router.
 *
 * Only the page as a trainer sees it is rendered here: anything the guard or the data refuses
 * (signed out, another role, an unknown section: a thrown `Response`), any other failure, posts and
 * data requests go on to Remix (`next`), which answers them as it always has.
 */
export function lessonDocuments(options: {
  build: ServerBuild;
  routeIdOf: (pathname: string) => string;
  /** The lesson island's script URL, null when the islands are not built (Remix's page then). */
  islandScript: () => string | null;
}): RequestHandler {
  // The root's links (the stylesheet, the icon): the same tags Remix's `<Links />` writes.
  const links = (options.build.routes.root?.module.links?.() ?? []) as unknown as Record<string, string>[];
  return async (req, res, next) => {
    if ((req.method !== "GET" && req.method !== "HEAD") || req.path.endsWith(".data")) return next();
    if (options.routeIdOf(req.path) !== LESSON_ROUTE_ID) return next();
    const script = options.islandScript();
    if (!script) return next();
    const segments = decodedSegments(req.path);
    // A malformed escape is the client's: Express's router answers it (400); nothing to log.
    if (!segments) return next();
    const [, , slug, section] = segments;
    let html: string;
    try {
      const user = await requireRole(requestHeadOf(req), "trainer");
      const db = getDb();
      // The lesson's data and the header's count, read together as Remix runs the two loaders.
      const [data, unread] = await Promise.all([lessonPageData(db, user.id, slug, section, { document: true, now: serverClock() }), unreadCount(db, user.id)]);
      const nonce = res.locals.cspNonce;
      html = renderToString(
        <html lang="en-GB">
          <head>
            <BaseMeta />
            <title>{lessonTitle(data)}</title>
            {links.map((link) => (
              <link key={link.href} {...link} />
            ))}
          </head>
          <PrerenderedParts.Provider value={prerenderedPart}>
            <PageFrame
              header={<SiteHeaderView user={{ name: user.name, role: user.role }} unread={unread} menuOpen={false} Link={plainHeaderLink(req.path)} Form={PlainPostForm} />}
              scripts={<script type="module" src={script} nonce={nonce} />}
            >
              <LessonView data={data} busy={false} Link={PlainLessonLink} CompleteForm={PlainPostForm} />
            </PageFrame>
          </PrerenderedParts.Provider>
        </html>,
      );
      res.setHeader("Content-Security-Policy", documentCsp({ nonce }));
    } catch (thrown) {
      // Remix answers whatever this page would not: the guard's redirect, the 404, an error page.
      // A failure of this path itself is logged, so Remix serving the page does not hide it.
      if (!(thrown instanceof Response)) log().error({ err: thrown }, "lesson document failed before Remix; Remix answers it");
      return next();
    }
    res.setHeader("Content-Type", "text/html; charset=utf-8");
    if (!res.hasHeader("Cache-Control")) res.setHeader("Cache-Control", PRIVATE_NO_STORE);
    res.end(`<!DOCTYPE html>${html}`);
  };
}

/** The path's segments, decoded; null when one holds a malformed escape. */
function decodedSegments(path: string): string[] | null {
  try {
    return path.split("/").map(decodeURIComponent);
  } catch {
    return null;
  }
}
