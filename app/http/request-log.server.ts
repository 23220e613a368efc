import { randomUUID } from "node:crypto";
import { matchRoutes, type AgnosticRouteObject } from "@remix-run/router";
import type { ServerBuild } from "@remix-run/node";
import type { NextFunction, Request, Response } from "express";
import type { Logger } from "pino";
import { LruCache } from "~/utils/lru";

/**
 * The route id of a request, for logs and metrics (ADR 0036): a Remix route's id
 * (`routes/reset-password.$token`), an Express route's pattern (`/verify/:id`), or `static` and
 * `health`, never the raw path, which carries tokens and ids. Bounded, so it can label metrics.
 */
type RouteTree = AgnosticRouteObject[];

function routeTree(build: ServerBuild, parentId?: string): RouteTree {
  return Object.values(build.routes)
    .filter((route) => route.parentId === parentId)
    .map((route) =>
      route.index
        ? { id: route.id, index: true as const, path: route.path, caseSensitive: route.caseSensitive }
        : { id: route.id, path: route.path, caseSensitive: route.caseSensitive, children: routeTree(build, route.id) },
    );
}

/** Paths whose route id is remembered (see below). */
export const ROUTE_ID_CACHE_ENTRIES = 2_000;

/**
 * Resolves request paths to Remix route ids. In development the build is a loader: resolved once.
 * `matchRoutes` flattens and ranks all the routes on every call (about 5% of a lesson request's
 * time, issue 14), so the answer is remembered per path in a bounded LRU cache: lesson pages,
 * a trainer's own attempt and the like repeat, and a path always resolves to the same route.
 */
export function remixRouteIds(build: ServerBuild | (() => Promise<ServerBuild>)) {
  let tree: RouteTree | undefined;
  if (typeof build === "function") void build().then((b) => (tree = routeTree(b))).catch(() => undefined);
  else tree = routeTree(build);
  const known = new LruCache<string, string>(ROUTE_ID_CACHE_ENTRIES);
  return (pathname: string): string => {
    if (!tree) return "remix";
    const cached = known.get(pathname);
    if (cached !== undefined) return cached;
    // Single fetch: /x.data is /x's data, /_root.data the home page's.
    const path = pathname === "/_root.data" ? "/" : pathname.replace(/\.data$/, "");
    const matches = matchRoutes(tree, path);
    const id = matches?.at(-1)?.route.id ?? "unmatched";
    known.set(pathname, id);
    return id;
  };
}

export const STATIC_ROUTE = "static";
const HEALTH_PATHS = new Set(["/healthz", "/readyz"]);

/** The route id of a finished request (see above). */
export function routeIdOf(req: Request, remixRouteId: (pathname: string) => string): string {
  if (HEALTH_PATHS.has(req.path)) return req.path.slice(1);
  const pattern = (req.route as { path?: unknown } | undefined)?.path;
  if (pattern === "*" || pattern === undefined) {
    if (req.path.startsWith("/build/") || req.path.startsWith("/islands/") || req.path === "/favicon.svg" || req.path === "/robots.txt") return STATIC_ROUTE;
    return remixRouteId(req.path);
  }
  return Array.isArray(pattern) ? String(pattern[0]) : String(pattern);
}

/** A request id from the proxy (`X-Request-Id`) when it looks like one, else a new one. */
function requestId(req: Request): string {
  const given = req.get("x-request-id");
  return given && /^[A-Za-z0-9._-]{8,64}$/.test(given) ? given : randomUUID();
}

export interface RequestObserver {
  (request: { route: string; method: string; status: number; seconds: number }): void;
}

/**
 * One log line per request when its response is finished (or the client went away): request id,
 * method, route id, status, duration and process (pid, in every line). Health checks log at
 * debug, so they stay out of the log at the default level. `observe` feeds the metrics.
 */
export function requestLog(options: { logger: () => Logger; remixRouteId: (pathname: string) => string; observe?: RequestObserver }) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    const id = requestId(req);
    res.setHeader("X-Request-Id", id);
    let done = false;
    const finish = (aborted: boolean) => {
      if (done) return;
      done = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeIdOf(req, options.remixRouteId);
      const status = aborted && !res.headersSent ? 499 : res.statusCode;
      options.observe?.({ route, method: req.method, status, seconds });
      const line = { req: { id, method: req.method, route }, res: { status }, ms: Math.round(seconds * 10_000) / 10, ...(aborted ? { aborted: true } : {}) };
      const logger = options.logger();
      if (HEALTH_PATHS.has(req.path)) logger.debug(line, "request");
      else if (status >= 500) logger.error(line, "request");
      else logger.info(line, "request");
    };
    res.on("finish", () => finish(false));
    res.on("close", () => finish(!res.writableFinished));
    next();
  };
}
