import type { ServerBuild } from "@remix-run/node";
import type { RequestHandler } from "express";

/**
 * The build cut down to one route and its ancestors: the routes Remix matches against and the
 * browser manifest's entries for them (React's server render builds its route tree from both, and
 * needs them to agree). Only for pages that send no manifest to the browser (ADR 0048).
 */
export function branchBuild(build: ServerBuild, leafId: string): ServerBuild {
  const routes: ServerBuild["routes"] = {};
  const manifest: ServerBuild["assets"]["routes"] = {};
  for (let id: string | undefined = leafId; id !== undefined; id = build.routes[id]?.parentId) {
    const route = build.routes[id];
    const entry = build.assets.routes[id];
    if (!route || !entry) throw new Error(`The build has no route "${id}".`);
    routes[id] = route;
    manifest[id] = entry;
  }
  return { ...build, routes, assets: { ...build.assets, routes: manifest } };
}

/** The island a route's module names (`export const handle = { island: "lesson" }`), if any. */
function islandOf(build: ServerBuild, routeId: string): string | undefined {
  const handle = build.routes[routeId]?.module.handle as { island?: unknown } | undefined;
  return typeof handle?.island === "string" ? handle.island : undefined;
}

/**
 * Island documents through a Remix handler over their own branch only (ADR 0048). Remix matches
 * every request against all the site's routes, three times for a document (its handler, its data
 * router, React's render), ranking all of them on each call: about a quarter of a lesson page's CPU.
 * A document of a route that names a built island (ADR 0047) sends no route manifest to the
 * browser, so Remix may render it from a build holding only that route and its ancestors: the same
 * branch the full build would match, at the cost of matching two or three routes.
 *
 * `routeIdOf` is the full build's own matching (the request log's, remembered per path), so a path
 * goes to a branch only when the full build would give it that route. Everything else (data
 * requests, posts, other routes, islands not built) goes on to the full handler (`next`).
 */
export function islandDocuments(options: {
  build: ServerBuild;
  routeIdOf: (pathname: string) => string;
  builtIslands: () => Readonly<Record<string, string>> | null;
  handlerFor: (build: ServerBuild) => RequestHandler;
}): RequestHandler {
  const handlers = new Map<string, RequestHandler | null>();
  const handlerOf = (routeId: string): RequestHandler | null => {
    let handler = handlers.get(routeId);
    if (handler === undefined) {
      const island = islandOf(options.build, routeId);
      handler = island !== undefined && options.builtIslands()?.[island] ? options.handlerFor(branchBuild(options.build, routeId)) : null;
      handlers.set(routeId, handler);
    }
    return handler;
  };
  return (req, res, next) => {
    if ((req.method !== "GET" && req.method !== "HEAD") || req.path.endsWith(".data")) return next();
    const handler = handlerOf(options.routeIdOf(req.path));
    return handler ? handler(req, res, next) : next();
  };
}
