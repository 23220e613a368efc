/**
 * ADR 0048: a lesson document is rendered by Remix from a build holding only its branch of routes.
 * branchBuild keeps a route and its ancestors, in the routes and in the browser manifest alike;
 * islandDocuments sends a request there only when it is a GET or HEAD document of a route that
 * names a built island, as the full build's own matching (routeIdOf) resolves it; anything else
 * goes on to the full handler.
 */
import { describe, expect, it } from "vitest";
import type { ServerBuild } from "@remix-run/node";
import type { Request, RequestHandler, Response } from "express";
import { branchBuild, islandDocuments } from "~/http/island-documents.server";
import { routeIdOf, STATIC_ROUTE } from "~/http/request-log.server";

function route(id: string, parentId: string | undefined, handle?: unknown) {
  return { id, parentId, path: id, module: { handle } };
}
const routes = {
  root: route("root", undefined),
  "routes/modules.$slug": route("routes/modules.$slug", "root"),
  "routes/modules.$slug.$section": route("routes/modules.$slug.$section", "routes/modules.$slug", { island: "lesson" }),
  "routes/modules.$slug.assessment": route("routes/modules.$slug.assessment", "routes/modules.$slug"),
  "routes/notes": route("routes/notes", "root", { island: "notes" }),
  "routes/verify": route("routes/verify", "root"),
};
const build = {
  routes,
  assets: { version: "v1", url: "/build/manifest.js", entry: { module: "/build/entry.js", imports: [] }, routes: Object.fromEntries(Object.keys(routes).map((id) => [id, { id, module: `/build/${id}.js` }])) },
} as unknown as ServerBuild;

describe("branchBuild", () => {
  it("keeps a route and its ancestors, in the routes and in the manifest, and nothing else", () => {
    const branch = branchBuild(build, "routes/modules.$slug.$section");
    expect(Object.keys(branch.routes).sort()).toEqual(["root", "routes/modules.$slug", "routes/modules.$slug.$section"]);
    expect(Object.keys(branch.assets.routes).sort()).toEqual(Object.keys(branch.routes).sort());
    expect(branch.routes.root).toBe(build.routes.root);
    expect(branch.assets.version).toBe("v1");
    expect(Object.keys(build.routes)).toHaveLength(6);
  });

  it("refuses a route the build does not have", () => {
    expect(() => branchBuild(build, "routes/nope")).toThrow(/no route "routes\/nope"/);
  });
});

describe("islandDocuments", () => {
  const idOf: Record<string, string> = { "/modules/a/b": "routes/modules.$slug.$section", "/modules/a/assessment": "routes/modules.$slug.assessment", "/notes": "routes/notes", "/verify": "routes/verify" };
  function setUp(islands: Record<string, string> | null) {
    const made: string[][] = [];
    const served: string[] = [];
    const dispatch = islandDocuments({
      build,
      routeIdOf: (path) => idOf[path.replace(/\.data$/, "")] ?? "unmatched",
      builtIslands: () => islands,
      handlerFor: (branch) => {
        made.push(Object.keys(branch.routes).sort());
        const leaf = Object.keys(branch.routes).at(-1)!;
        return ((req: Request) => served.push(`${req.method} ${req.path} → ${leaf}`)) as unknown as RequestHandler;
      },
    });
    const send = (method: string, path: string) => {
      let passedOn = false;
      dispatch({ method, path } as Request, {} as Response, () => (passedOn = true));
      return passedOn ? "full build" : "branch";
    };
    return { made, served, send };
  }

  it("a lesson document (GET or HEAD) goes to its branch; its handler is made once", () => {
    const { made, served, send } = setUp({ lesson: "/islands/lesson-X.js" });
    expect(send("GET", "/modules/a/b")).toBe("branch");
    expect(send("HEAD", "/modules/a/b")).toBe("branch");
    expect(send("GET", "/modules/a/b")).toBe("branch");
    expect(made).toEqual([["root", "routes/modules.$slug", "routes/modules.$slug.$section"]]);
    expect(served).toHaveLength(3);
  });

  it("data requests, posts, other routes, unmatched paths and islands not built go to the full build", () => {
    const { made, send } = setUp({ lesson: "/islands/lesson-X.js" });
    expect(send("GET", "/modules/a/b.data")).toBe("full build");
    expect(send("POST", "/modules/a/b")).toBe("full build");
    expect(send("GET", "/modules/a/assessment")).toBe("full build");
    expect(send("GET", "/verify")).toBe("full build");
    expect(send("GET", "/nowhere")).toBe("full build");
    // The route names an island, but it is not built: the page then loads the Remix app, whose
    // manifest must be the whole site's.
    expect(send("GET", "/notes")).toBe("full build");
    expect(made).toEqual([]);
    expect(setUp(null).send("GET", "/modules/a/b")).toBe("full build");
  });
});

describe("the request log", () => {
  it("names the islands' scripts a static file, like the Remix build's", () => {
    const remixRouteId = () => "routes/$";
    expect(routeIdOf({ path: "/islands/lesson-ABC.js", route: undefined } as unknown as Request, remixRouteId)).toBe(STATIC_ROUTE);
    expect(routeIdOf({ path: "/build/root-ABC.js", route: undefined } as unknown as Request, remixRouteId)).toBe(STATIC_ROUTE);
  });
});
