import fs from "node:fs";
import path from "node:path";
import { contentBuildDir } from "./catalog.server";
import type { CompiledPage } from "./types";

/**
 * The public pages (privacy notice, accessibility statement, terms of use, contact), compiled by
 * the content build from content/pages/<slug>/index.mdx into pages.json and read once (ADR 0020).
 */
declare global {
  var __academyPages: { dir: string; pages: Record<string, CompiledPage> } | undefined;
}

export function getPage(slug: string): CompiledPage | null {
  const dir = contentBuildDir();
  if (globalThis.__academyPages?.dir !== dir) {
    const file = path.join(dir, "pages.json");
    globalThis.__academyPages = { dir, pages: fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, CompiledPage>) : {} };
  }
  return globalThis.__academyPages.pages[slug] ?? null;
}

/** What a page's route returns: the compiled text and its version, or a 404 when it is not built. */
export function pageOr404(slug: string) {
  const page = getPage(slug);
  if (!page) throw new Response("This page is not available.", { status: 404 });
  return { title: page.title, summary: page.summary, lastReviewed: page.lastReviewed, versionLabel: page.versionLabel, html: page.html };
}
