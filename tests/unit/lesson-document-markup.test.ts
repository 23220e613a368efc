import { createElement as h, type ReactNode } from "react";
import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { Link } from "@remix-run/react";
import { describe, expect, it } from "vitest";
import { LessonView, PlainLessonLink } from "~/components/lesson-view";
import { PlainPostForm, RemixHeaderLink, RemixPostForm, SiteHeaderView, plainHeaderLink } from "~/components/site-chrome";
import type { LessonPageData } from "~/learning/lesson-page.server";
import { ADMIN_SETTINGS } from "~/navigation";
import type { Role } from "~db/schema";

/**
 * A lesson document rendered before Remix (ADR 0054) uses plain anchors and forms where the Remix
 * app uses `NavLink`, `Link` and `Form`. Both render here, the Remix ones inside a real data router
 * at the same address, and must give the same markup (Remix's `data-discover` hint aside: it only
 * serves Remix's own client, which a lesson document does not load).
 */
async function inRouter(pathname: string, element: ReactNode): Promise<string> {
  const handler = createStaticHandler([{ id: "page", path: "*", element }]);
  const context = await handler.query(new Request(`http://academy.test${pathname}`));
  if (context instanceof Response) throw new Error("no page");
  return renderToString(h(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, context), context, hydrate: false }));
}

const withoutDiscover = (html: string) => html.replaceAll(' data-discover="true"', "");

const users: ({ name: string; role: Role } | null)[] = [null, { name: "Ann <Trainer>", role: "trainer" }, { name: "Bea Assessor", role: "assessor" }, { name: "Cy Admin", role: "admin" }];
const paths = ["/", "/dashboard", "/modules", "/modules/safeguarding/types-of-abuse", "/notifications", "/login", "/verify", "/admin/concerns/12", ADMIN_SETTINGS[0]!.to, "/trainers", "/agreement"];

describe("the site header without the router", () => {
  it("is the Remix app's header, for every role, on pages where each kind of entry is current", async () => {
    let compared = 0;
    for (const user of users)
      for (const pathname of paths)
        for (const unread of [0, 3, 120]) {
          const props = { user, unread, menuOpen: false };
          const remix = await inRouter(pathname, h(SiteHeaderView, { ...props, Link: RemixHeaderLink, Form: RemixPostForm }));
          const plain = renderToString(h(SiteHeaderView, { ...props, Link: plainHeaderLink(pathname), Form: PlainPostForm }));
          expect(plain, `${user?.role ?? "signed out"} on ${pathname}`).toBe(withoutDiscover(remix));
          compared++;
        }
    expect(compared).toBe(users.length * paths.length * 3);
  });

  it("marks the current entry (the test can tell a wrong link from a right one)", () => {
    const html = renderToString(h(SiteHeaderView, { user: users[1]!, unread: 0, menuOpen: false, Link: plainHeaderLink("/modules/safeguarding/x"), Form: PlainPostForm }));
    expect(html).toContain('<a aria-current="page" class="active" href="/modules">Modules</a>');
    expect(html).toContain('<a href="/dashboard">Dashboard</a>');
  });
});

function lesson(overrides: Partial<{ complete: string[]; section: number }> = {}): LessonPageData {
  const ids = ["one", "two", "three"];
  const complete = new Set(overrides.complete ?? []);
  const index = overrides.section ?? 1;
  const neighbour = (i: number) => (ids[i] ? { id: ids[i]!, title: `Section ${ids[i]}` } : null);
  return {
    module: { slug: "safeguarding", title: "Safeguarding" },
    section: {
      id: ids[index]!,
      title: `Section ${ids[index]}`,
      number: index + 1,
      complete: complete.has(ids[index]!),
      parts: [
        { html: "<p>Words &amp; more</p>" },
        { check: { id: "kc-1", type: "single", prompt: ["Which one?"], options: [{ id: "a1", text: "A" }, { id: "b2", text: "B" }], caseStudy: null } },
      ],
    },
    toc: ids.map((id) => ({ id, title: `Section ${id}`, complete: complete.has(id) })),
    previous: neighbour(index - 1),
    next: neighbour(index + 1),
  };
}

describe("the lesson without the router", () => {
  const cases: [string, LessonPageData][] = [
    ["a middle section, nothing complete", lesson()],
    ["the first section, itself complete", lesson({ section: 0, complete: ["one"] })],
    ["the last section, not all complete", lesson({ section: 2, complete: ["one"] })],
    ["the last section, all complete", lesson({ section: 2, complete: ["one", "two", "three"] })],
  ];
  for (const [name, data] of cases)
    it(`is the lesson route's markup: ${name}`, async () => {
      const path = `/modules/${data.module.slug}/${data.section.id}`;
      const remix = await inRouter(path, h(LessonView, { data, busy: false, Link, CompleteForm: RemixPostForm }));
      const plain = renderToString(h(LessonView, { data, busy: false, Link: PlainLessonLink, CompleteForm: PlainPostForm }));
      expect(plain).toBe(withoutDiscover(remix));
      expect(plain).toContain(`href="/modules/safeguarding/`);
    });
});
