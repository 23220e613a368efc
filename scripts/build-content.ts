/**
 * `npm run content:build`: compiles every module in content/modules with mdx-bundler, once.
 * Validates frontmatter and every question (failing with file and line), extracts answers and
 * explanations into server-only data, strips them from what is compiled, and records a content
 * hash per module. Output (git-ignored) in content/.generated/:
 *   modules.json                 public: metadata, each section's static HTML (rendered once here with
 *                                the lesson components, split around its knowledge checks; ADR 0041),
 *                                knowledge checks without answers
 *   answer-bank.server.json      server-only: answer keys and explanations
 *   agreement.json               the scope of practice agreement (content/agreement/index.mdx), if present
 *   pages.json                   the public pages (content/pages/<slug>/index.mdx): privacy notice,
 *                                accessibility statement, terms of use, contact (ADR 0020)
 *
 * Each module, the agreement and each page get a human version label ("2026.2") from the versions.json beside
 * them; a changed hash gets the next label, written back (see scripts/lib/content/versions.ts).
 *
 * Options: --dir <content dir> (default content), --out <output dir> (default <dir>/.generated),
 *   --versions write|check|memory (default: write for ./content, memory for any other --dir;
 *   check fails instead of writing, for CI), --check (same as --versions check)
 */
import fs from "node:fs";
import path from "node:path";
import { bundleMDX } from "mdx-bundler";
import { getMDXComponent } from "mdx-bundler/client/index.js";
import { createElement, type ComponentType } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import remarkGfm from "remark-gfm";
import { mdxComponents, splitAtIslands } from "../app/content/mdx-components";
import { toPublicQuestion, type AnswerBank, type CompiledAgreement, type CompiledModule, type CompiledPage, type PublicCatalog } from "../app/content/types";
import { parseAgreement, parseModule, parsePage, type ParsedModule, type ParsedPage } from "./lib/content/parse";
import { applyLabel, type LabelMode } from "./lib/content/versions";

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(name);
  return index > -1 && process.argv[index + 1] ? process.argv[index + 1]! : fallback;
}

const contentDir = path.resolve(option("--dir", "content"));
const outDir = path.resolve(option("--out", path.join(contentDir, ".generated")));
const modulesDir = path.join(contentDir, "modules");
const labelMode: LabelMode = process.argv.includes("--check") ? "check" : (option("--versions", contentDir === path.resolve("content") ? "write" : "memory") as LabelMode);
if (!["write", "check", "memory"].includes(labelMode)) {
  console.error(`--versions must be write, check or memory (got "${labelMode}")`);
  process.exit(1);
}
const year = new Date().getUTCFullYear();

/**
 * Compiles MDX with mdx-bundler and renders it once, here, to static HTML with the real lesson
 * components (ADR 0041): no compiled code is kept, so neither the server nor the browser evaluates
 * any. `idPrefix` keeps the ids React gives (a scenario's label) unique on the page.
 */
async function renderMdx(source: string, idPrefix: string): Promise<string> {
  const result = await bundleMDX({
    source,
    mdxOptions(options) {
      options.remarkPlugins = [...(options.remarkPlugins ?? []), remarkGfm];
      return options;
    },
  });
  const Component = getMDXComponent(result.code) as ComponentType<{ components?: Record<string, unknown> }>;
  return renderToStaticMarkup(createElement(Component, { components: mdxComponents }), { identifierPrefix: idPrefix });
}

async function main() {
  const started = Date.now();
  const folders = fs.existsSync(modulesDir)
    ? fs.readdirSync(modulesDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
    : [];
  if (folders.length === 0) {
    console.error(`${modulesDir}: no module folders found`);
    process.exit(1);
  }

  const parsed: { folder: string; file: string; module: ParsedModule }[] = [];
  for (const folder of folders) {
    const file = path.join(modulesDir, folder, "index.mdx");
    const relative = path.relative(process.cwd(), file);
    if (!fs.existsSync(file)) {
      parsed.push({ folder, file: relative, module: { frontmatter: null, contentHash: "", sections: [], questions: [], reportTask: null, markingKey: null, frontmatterAt: () => `${relative}:1`, errors: [`${relative}:1:1: missing index.mdx`], warnings: [] } });
      continue;
    }
    parsed.push({ folder, file: relative, module: parseModule(relative, fs.readFileSync(file, "utf8"), folder) });
  }

  // Question ids are unique across the whole programme.
  const owners = new Map<string, string>();
  for (const { module } of parsed) {
    for (const q of module.questions) {
      const other = owners.get(q.id);
      if (other && !other.startsWith(q.source.split(":")[0]!)) module.errors.push(`${q.source}:1: question id "${q.id}" is already used at ${other}`);
      owners.set(q.id, q.source);
    }
  }
  const orders = new Map<number, string>();
  for (const { file, module } of parsed) {
    const order = module.frontmatter?.order;
    if (order === undefined) continue;
    if (orders.has(order)) module.errors.push(`${file}:1:1: order ${order} is already used by ${orders.get(order)}`);
    orders.set(order, file);
  }

  const agreementFile = path.join(contentDir, "agreement", "index.mdx");
  const agreementSource = fs.existsSync(agreementFile) ? fs.readFileSync(agreementFile, "utf8") : null;
  const agreement = agreementSource === null ? null : parseAgreement(path.relative(process.cwd(), agreementFile), agreementSource);

  const pagesDir = path.join(contentDir, "pages");
  const pageFolders = fs.existsSync(pagesDir) ? fs.readdirSync(pagesDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort() : [];
  const pages: { slug: string; file: string; source: string; page: ParsedPage }[] = [];
  for (const slug of pageFolders) {
    const file = path.relative(process.cwd(), path.join(pagesDir, slug, "index.mdx"));
    if (!/^[a-z0-9-]+$/.test(slug)) {
      pages.push({ slug, file, source: "", page: { frontmatter: null, version: "", errors: [`${file}:1:1: page folder names are lower-case letters, digits and hyphens`] } });
      continue;
    }
    if (!fs.existsSync(file)) {
      pages.push({ slug, file, source: "", page: { frontmatter: null, version: "", errors: [`${file}:1:1: missing index.mdx`] } });
      continue;
    }
    const source = fs.readFileSync(file, "utf8");
    pages.push({ slug, file, source, page: parsePage(file, source) });
  }

  const errors = [...parsed.flatMap((p) => p.module.errors), ...(agreement?.errors ?? []), ...pages.flatMap((p) => p.page.errors)];
  const labels = new Map<string, ReturnType<typeof applyLabel>>();
  if (errors.length === 0) {
    for (const { folder, file, module } of parsed) {
      const source = fs.readFileSync(file, "utf8");
      labels.set(folder, applyLabel({ file, source, contentHash: module.contentHash, authored: module.frontmatter!.versionLabel ?? null, mode: labelMode, year }));
    }
    if (agreement && agreementSource !== null) {
      const file = path.relative(process.cwd(), agreementFile);
      labels.set("(agreement)", applyLabel({ file, source: agreementSource, contentHash: agreement.version, authored: agreement.frontmatter!.versionLabel ?? null, mode: labelMode, year }));
    }
    for (const { slug, file, source, page } of pages) {
      labels.set(`(page ${slug})`, applyLabel({ file, source, contentHash: page.version, authored: page.frontmatter!.versionLabel ?? null, mode: labelMode, year }));
    }
    for (const outcome of labels.values()) {
      if (outcome.error) errors.push(outcome.error);
      for (const written of outcome.wrote) console.log(`  ✎ ${written}: version ${outcome.label}`);
    }
  }
  for (const warning of parsed.flatMap((p) => p.module.warnings)) console.warn(`  warning: ${warning}`);
  if (errors.length > 0) {
    console.error(`Content build failed with ${errors.length} error${errors.length === 1 ? "" : "s"}:\n`);
    for (const error of errors) console.error(`  ${error}`);
    process.exit(1);
  }

  const catalog: PublicCatalog = { builtAt: new Date().toISOString(), modules: [] };
  const bank: AnswerBank = { builtAt: catalog.builtAt, questions: {}, banks: {}, reportTasks: {} };
  for (const { folder, module } of parsed) {
    const frontmatter = module.frontmatter!;
    const moduleStarted = Date.now();
    const sections = [];
    for (const [index, section] of module.sections.entries()) {
      if (process.stdout.isTTY) process.stdout.write(`\r  ${folder}: compiling section ${index + 1}/${module.sections.length}…`.padEnd(70));
      sections.push({ id: section.id, title: section.title, words: section.words, parts: splitAtIslands(await renderMdx(section.source, `${section.id}-`)) });
    }
    const checks = module.questions.filter((q) => q.kind === "knowledge-check");
    const summative = module.questions.filter((q) => q.kind === "summative");
    const label = labels.get(folder)!;
    const compiled: CompiledModule = {
      ...frontmatter,
      contentHash: module.contentHash,
      versionLabel: label.label,
      versionHistory: label.history,
      sections,
      knowledgeChecks: Object.fromEntries(checks.map((q) => [q.id, toPublicQuestion(q)])),
      bankSize: summative.length,
      words: sections.reduce((sum, s) => sum + s.words, 0),
      reportTask: module.reportTask,
    };
    catalog.modules.push(compiled);
    for (const q of module.questions) bank.questions[q.id] = q;
    bank.banks[frontmatter.slug] = summative.map((q) => q.id);
    if (module.reportTask) bank.reportTasks[frontmatter.slug] = module.reportTask;
    if (module.markingKey) (bank.markingKeys ??= {})[frontmatter.slug] = module.markingKey;
    process.stdout.write(
      `${process.stdout.isTTY ? "\r" : ""}  ✓ ${folder}: ${sections.length} sections, ${compiled.words.toLocaleString("en-GB")} words, ${checks.length} knowledge checks, ${summative.length} questions in the bank (${frontmatter.questionsPerAttempt} per attempt, pass mark ${frontmatter.passMark}%)${module.reportTask ? `, written task with ${module.reportTask.rubric.length} rubric criteria` : ""}, version ${label.label} (${module.contentHash.slice(0, 12)}) — ${Date.now() - moduleStarted} ms\n`,
    );
  }
  catalog.modules.sort((a, b) => a.order - b.order);

  fs.mkdirSync(outDir, { recursive: true });
  if (agreement && agreementSource !== null) {
    const body = agreementSource.replace(/^---\n[\s\S]*?\n---\n/, "");
    const label = labels.get("(agreement)")!;
    const compiledAgreement: CompiledAgreement = { ...agreement.frontmatter!, version: agreement.version, versionLabel: label.label, versionHistory: label.history, html: await renderMdx(body, "agreement-") };
    fs.writeFileSync(path.join(outDir, "agreement.json"), JSON.stringify(compiledAgreement));
    console.log(`  ✓ agreement: version ${label.label} (${agreement.version.slice(0, 12)})`);
  }
  const compiledPages: Record<string, CompiledPage> = {};
  for (const { slug, source, page } of pages) {
    const label = labels.get(`(page ${slug})`)!;
    const body = source.replace(/^---\n[\s\S]*?\n---\n/, "");
    compiledPages[slug] = { ...page.frontmatter!, slug, version: page.version, versionLabel: label.label, versionHistory: label.history, html: await renderMdx(body, `${slug}-`) };
    console.log(`  ✓ page ${slug}: version ${label.label} (${page.version.slice(0, 12)})`);
  }
  fs.writeFileSync(path.join(outDir, "pages.json"), JSON.stringify(compiledPages));
  fs.writeFileSync(path.join(outDir, "modules.json"), JSON.stringify(catalog));
  fs.writeFileSync(path.join(outDir, "answer-bank.server.json"), JSON.stringify(bank));
  console.log(`Content built: ${catalog.modules.length} modules in ${Date.now() - started} ms → ${path.relative(process.cwd(), outDir)}/`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
