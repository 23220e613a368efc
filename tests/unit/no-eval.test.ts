import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EVIDENCE_PREVIEW_CSP, STATIC_CSP, documentCsp } from "~/http/security.server";
import type { CompiledAgreement, CompiledPage, PublicCatalog } from "~/content/types";

/**
 * Issue 14 item 1, ADR 0041: lessons, the agreement and the content pages are rendered to HTML by
 * the content build, so no page needs 'unsafe-eval' and nothing evaluates compiled MDX. (The built
 * browser assets are scanned by tests/e2e/lessons-prerendered.spec.ts, after `npm run build`.)
 */

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" || entry.name.startsWith(".") ? [] : listFiles(file);
    return [file];
  });
}

/** What mdx-bundler's compiled output looks like, and how it would be evaluated. */
const COMPILED_MDX = /_createMdxContent|MDXContent|jsx_runtime|_jsx\(|new Function|getMDXComponent/;

describe("no 'unsafe-eval' in any Content-Security-Policy", () => {
  it("the document policy never allows evaluation, in production or development", () => {
    for (const csp of [documentCsp({ nonce: "n" }), documentCsp({ nonce: "n", devSocket: "ws://localhost:*" })]) {
      expect(csp).toContain("script-src 'self' 'nonce-n'");
      expect(csp).not.toMatch(/unsafe-eval|wasm-unsafe-eval|unsafe-inline/);
    }
    for (const csp of [STATIC_CSP, EVIDENCE_PREVIEW_CSP]) expect(csp).not.toContain("unsafe-eval");
  });

  it("no source that sets a header (the app, the server, the deployment files) names 'unsafe-eval' or an opt-in to it", () => {
    const files = [...listFiles("app"), ...listFiles("deploy"), ...listFiles("scripts")].filter((f) => /\.(ts|tsx|js|mjs|conf|cfg|yml|yaml|json|sh)$/.test(f) || !path.extname(f));
    expect(files.length).toBeGreaterThan(100);
    const offenders = files.filter((f) => /unsafe-eval|allowEval/.test(fs.readFileSync(f, "utf8")));
    expect(offenders).toEqual([]);
  });

  it("nothing in app/ (which the browser bundle is made from) evaluates compiled MDX or strings as code", () => {
    const offenders = listFiles("app").filter((f) => /mdx-bundler|getMDXComponent|new Function\(|\beval\(/.test(fs.readFileSync(f, "utf8")));
    expect(offenders).toEqual([]);
  });
});

describe("the content build renders HTML, not code", () => {
  it("every section, the agreement and every page are static HTML; knowledge checks are places between the parts", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "academy-content-html-"));
    try {
      execFileSync(path.resolve("node_modules/.bin/tsx"), ["scripts/build-content.ts", "--out", out, "--versions", "memory"], { stdio: "pipe" });
      const raw = fs.readFileSync(path.join(out, "modules.json"), "utf8");
      expect(raw).not.toMatch(COMPILED_MDX);
      const catalog = JSON.parse(raw) as PublicCatalog;
      let checks = 0;
      for (const module of catalog.modules) {
        for (const section of module.sections) {
          expect(section).not.toHaveProperty("code");
          expect(section.parts.length, section.id).toBeGreaterThan(0);
          for (const part of section.parts) {
            if ("check" in part) {
              checks += 1;
              expect(module.knowledgeChecks[part.check], part.check).toBeTruthy();
            } else {
              expect(part.html).toMatch(/^</);
              expect(part.html).not.toContain("<template");
            }
          }
        }
        // Every knowledge check of the module has its place in exactly one section.
        const placed = module.sections.flatMap((s) => s.parts.flatMap((p) => ("check" in p ? [p.check] : [])));
        expect([...placed].sort()).toEqual(Object.keys(module.knowledgeChecks).sort());
      }
      expect(checks).toBeGreaterThan(3);
      // The lesson components are rendered into the HTML (a worked scenario, with its label's id).
      expect(raw).toMatch(/<aside class=\\"scenario\\" aria-labelledby=\\":[a-z0-9-]+-R[^"\\]*:\\"><p class=\\"scenario__label\\"/);
      const agreement = JSON.parse(fs.readFileSync(path.join(out, "agreement.json"), "utf8")) as CompiledAgreement;
      expect(agreement.html).toMatch(/^<h2>/);
      expect(agreement).not.toHaveProperty("code");
      const pages = JSON.parse(fs.readFileSync(path.join(out, "pages.json"), "utf8")) as Record<string, CompiledPage>;
      expect(Object.keys(pages).length).toBeGreaterThan(3);
      for (const page of Object.values(pages)) {
        expect(page).not.toHaveProperty("code");
        expect(page.html).toMatch(/^</);
      }
      expect(fs.readFileSync(path.join(out, "agreement.json"), "utf8") + fs.readFileSync(path.join(out, "pages.json"), "utf8")).not.toMatch(COMPILED_MDX);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  }, 90_000);
});
