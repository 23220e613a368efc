/**
 * ADR 0054: a signed-in trainer's lesson document is rendered by the HTTP layer before Remix, from
 * the lesson's own data, components and guard. Served here by a real Express app with real
 * sessions on a real database; whatever the page would not show a trainer (signed out, another
 * role, an unknown section) and every other kind of request goes on to the next handler (Remix),
 * which is a stub here that says it was reached.
 */
import express from "express";
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DB } from "~db/connection";
import { sessionCookieName } from "~/auth/cookies.server";
import { createSession } from "~/auth/session.server";
import { enrolKnownSecondFactor } from "~/auth/two-factor.server";
import { getModule, registerModuleVersions } from "~/content/catalog.server";
import { LESSON_ROUTE_ID, lessonDocuments } from "~/http/lesson-documents.server";
import { readLessonProgress } from "~/learning/progress.server";
import { createTestDb, createUser } from "../helpers/db";
import { serveOnLoopback } from "../helpers/loopback-app";

const slug = "safeguarding";
let db: DB;
const saved = globalThis.__academyDb;
let close: () => Promise<void>;
let base: string;
let island: string | null = "/islands/lesson-TEST.js";
let trainer: { id: number; name: string };
let assessorId: number;

const build = { routes: { root: { module: { links: () => [{ rel: "stylesheet", href: "/build/_assets/app-TEST.css" }] } } } } as unknown as ServerBuild;

beforeAll(async () => {
  db = await createTestDb();
  globalThis.__academyDb = db;
  await registerModuleVersions(db, new Date());
  const user = await createUser(db, { role: "trainer", name: "Dee <Trainer>" });
  trainer = { id: user.id, name: "Dee <Trainer>" };
  assessorId = (await createUser(db, { role: "assessor" })).id;
  // Enrolled, so the guard refuses the assessor for the role, not for a missing second factor.
  await enrolKnownSecondFactor(db, assessorId, new Uint8Array(20).fill(7), new Date());
  const app = express();
  app.use((_req, res, next) => {
    res.locals.cspNonce = "TESTNONCE";
    next();
  });
  app.use(lessonDocuments({ build, routeIdOf: (path) => (/^\/modules\/[^/]+\/[^/]+\/?$/i.test(path) && !path.endsWith("/assessment") ? LESSON_ROUTE_ID : "routes/other"), islandScript: () => island }));
  app.all("*", (req, res) => res.status(299).send(`remix ${req.method} ${req.path}`));
  ({ base, close } = await serveOnLoopback(app));
});

afterAll(async () => {
  await close();
  globalThis.__academyDb = saved;
  await db.destroy();
});

async function cookieFor(userId: number): Promise<string> {
  return `${sessionCookieName()}=${await createSession(db, userId, new Date())}`;
}

describe("lesson documents before Remix", () => {
  const module = getModule(slug)!;
  const section = module.sections[1]!;
  const path = `/modules/${slug}/${section.id}`;

  it("renders a trainer's lesson: title, the section's words, its checks, the island script with the nonce, the headers", async () => {
    const response = await fetch(base + path, { headers: { cookie: await cookieFor(trainer.id) } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    expect(response.headers.get("content-security-policy")).toContain("'nonce-TESTNONCE'");
    const html = await response.text();
    expect(html.startsWith('<!DOCTYPE html><html lang="en-GB"><head><meta charSet="utf-8"/>')).toBe(true);
    expect(html).toContain(`<title>${section.title.replaceAll("'", "&#x27;")} · ${module.title}</title>`);
    expect(html).toContain('<link rel="stylesheet" href="/build/_assets/app-TEST.css"/>');
    expect(html).toContain('<script type="module" src="/islands/lesson-TEST.js" nonce="TESTNONCE"></script>');
    expect(html).toContain("Dee &lt;Trainer&gt;");
    expect(html).toContain(`data-part="${slug}/${section.id}/0"`);
    expect(html).toContain('data-island="knowledge-check"');
    expect(html).toContain(`aria-current="page" href="${path}"`);
    // The visit is remembered, as the route's loader does.
    expect((await readLessonProgress(db, trainer.id, slug)).lastVisited).toBe(section.id);
  });

  it("answers HEAD like GET, without a body", async () => {
    const response = await fetch(base + path, { method: "HEAD", headers: { cookie: await cookieFor(trainer.id) } });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
  });

  it("leaves to Remix what a trainer's lesson is not: signed out, another role, an unknown section or module, a bad escape", async () => {
    const cookie = await cookieFor(trainer.id);
    for (const [who, url] of [
      ["", path],
      [await cookieFor(assessorId), path],
      [cookie, `/modules/${slug}/no-such-section`],
      [cookie, `/modules/no-such-module/${section.id}`],
    ] as const) {
      const response = await fetch(base + url, { headers: who ? { cookie: who } : {}, redirect: "manual" });
      expect(response.status, `${url} as ${who || "nobody"}`).toBe(299);
    }
    // A malformed escape is not rendered either: it goes on, and Express's router answers 400 for
    // it before any route, as it does for every path.
    expect((await fetch(`${base}/modules/${slug}/%E0%A4%A`, { headers: { cookie } })).status).toBe(400);
  });

  it("leaves posts, data requests, other routes and a build without islands to Remix", async () => {
    const cookie = await cookieFor(trainer.id);
    expect((await fetch(base + path, { method: "POST", headers: { cookie } })).status).toBe(299);
    expect((await fetch(`${base}${path}.data`, { headers: { cookie } })).status).toBe(299);
    expect((await fetch(`${base}/modules/${slug}/assessment`, { headers: { cookie } })).status).toBe(299);
    island = null;
    try {
      expect((await fetch(base + path, { headers: { cookie } })).status).toBe(299);
    } finally {
      island = "/islands/lesson-TEST.js";
    }
  });
});
