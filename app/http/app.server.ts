import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import type { Env } from "~/utils/env.server";
import { STATIC_CSP, privateByDefault, rejectCrossSiteRequests, securityHeaders } from "./security.server";
import { drainUnreadBodies } from "./request-bodies.server";
import { verifyHandler } from "~/certificates/verify-http.server";
import { credentialHandler, issuerHandler, statusListHandler } from "~/certificates/credentials/http.server";
import { getDb } from "~/db.server";
import { contentBuildDir } from "~/content/catalog.server";
import { healthzHandler, readyzHandler } from "./health.server";
import { closeConnectionsWhenStopping } from "./shutdown.server";
import { remixRouteIds, requestLog, type RequestObserver } from "./request-log.server";
import { islandDocuments } from "./island-documents.server";
import { lessonDocuments } from "./lesson-documents.server";
import { islandScripts } from "~/content/islands.server";
import { log, requestLineLog } from "~/utils/log.server";
import { answerSaveHandler } from "~/assessment/answer-save-http.server";

export interface HttpAppOptions {
  env: Env;
  /** The Remix server build, or (in development) a function that loads the newest one. */
  build: ServerBuild | (() => Promise<ServerBuild>);
  publicDir?: string;
  /** Told about every finished request (route id, method, status, seconds): the metrics. */
  observe?: RequestObserver;
}

/**
 * The HTTP layer around Remix: security headers on every response, refusal of cross-site
 * state-changing requests before any action runs, long-lived caching for fingerprinted assets.
 */
export function createHttpApp({ env, build, publicDir = path.resolve("public"), observe }: HttpAppOptions) {
  const app = express();
  app.disable("x-powered-by");
  // A hop count or a list of proxy addresses, never `true`: trusting every hop would let a
  // client choose its own address with X-Forwarded-For (and so escape the per-IP limits).
  app.set("trust proxy", env.TRUST_PROXY);

  // One structured line per request, with its route id (ADR 0036).
  const routeIdOf = remixRouteIds(build);
  app.use(requestLog({ logger: requestLineLog, remixRouteId: routeIdOf, observe }));
  app.use(closeConnectionsWhenStopping());
  app.use(securityHeaders({ hsts: env.secureCookies }));
  // Health checks: before everything else that could refuse or slow them (ADR 0035).
  app.get("/healthz", healthzHandler);
  app.get("/readyz", readyzHandler({ db: getDb, contentDir: contentBuildDir }));
  app.use(privateByDefault());
  app.use(drainUnreadBodies());
  app.use(rejectCrossSiteRequests(env.PUBLIC_BASE_URL, (line) => log().warn(line)));

  const setStaticHeaders = (res: express.Response) => res.setHeader("Content-Security-Policy", STATIC_CSP);
  app.use("/build", express.static(path.join(publicDir, "build"), { immutable: true, maxAge: "1y", index: false, setHeaders: setStaticHeaders }));
  // The page islands' scripts (scripts/build-islands.ts, ADR 0047): fingerprinted names, like /build.
  app.use("/islands", express.static(path.join(publicDir, "islands"), { immutable: true, maxAge: "1y", index: false, setHeaders: setStaticHeaders }));
  // Only the few top-level public files, so ordinary page requests never touch the file system.
  const topLevelFiles = express.static(publicDir, { maxAge: "1h", index: false, setHeaders: setStaticHeaders });
  app.get(["/favicon.svg", "/robots.txt"], topLevelFiles);

  // The stylesheet's fingerprinted address, from the root route's links.
  let cssHref: string | undefined;
  const stylesheet = async () => {
    if (cssHref !== undefined && typeof build !== "function") return cssHref;
    const current = typeof build === "function" ? await build() : build;
    const links = (current.routes.root?.module.links?.() ?? []) as { rel?: string; href?: string }[];
    cssHref = links.find((l) => l.rel === "stylesheet")?.href ?? "";
    return cssHref;
  };
  app.get(["/verify/:id", "/verify/:id/:part"], verifyHandler({ cssHref: stylesheet, limit: { perMinute: env.VERIFY_RATE_LIMIT_PER_MINUTE, processes: env.ACADEMY_WORKERS }, links: { baseUrl: env.PUBLIC_BASE_URL } }));
  // Open Badges 3.0: status lists, credentials at their ids, and the pinned issuer (ADR 0013).
  app.get("/credentials/status/:listId", statusListHandler);
  app.get("/credentials/:credentialId", credentialHandler);
  app.get(["/issuer", "/issuer.json"], issuerHandler(stylesheet));
  // The attempt page's autosave, before Remix: the request a trainer makes most often (ADR 0050).
  app.post("/attempts/:attemptId/answers", answerSaveHandler());

  const remixHandler = (remixBuild: typeof build) =>
    createRequestHandler({
      build: remixBuild,
      mode: env.NODE_ENV === "development" ? "development" : "production",
      getLoadContext: (req, res) => ({
        cspNonce: res.locals.cspNonce,
        clientIp: req.ip ?? req.socket.remoteAddress ?? "unknown",
        documentRequest: !req.path.endsWith(".data"),
      }),
    });
  // A lesson document is rendered from its own branch of routes (ADR 0048); in development the
  // build changes under the server, so every request takes the whole build.
  if (typeof build !== "function") {
    // A signed-in trainer's lesson document is rendered before Remix (ADR 0054).
    app.use(lessonDocuments({ build, routeIdOf, islandScript: () => islandScripts()?.lesson ?? null }));
    app.use(islandDocuments({ build, routeIdOf, builtIslands: islandScripts, handlerFor: remixHandler }));
  }
  app.all("*", remixHandler(build));
  return app;
}
