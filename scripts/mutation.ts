/**
 * `npm run test:mutation [-- app/marking/rules.ts ...]`: mutation testing (StrykerJS) of the pure
 * rule modules that decide outcomes (ADR 0023). Each module is mutated on its own, against only
 * the unit tests that import it, with one test process at a time (the machine is shared); the
 * script prints each module's score and every surviving mutant, then a summary table, and exits
 * non-zero when a module scores below the target. Not part of `npm test`: a full run takes about
 * half an hour on two cores. Run it under `nice` (the npm script does).
 */
import fs from "node:fs";
import path from "node:path";
import type { LogLevel } from "@stryker-mutator/api/core";
import { Stryker } from "@stryker-mutator/core";

/** The modules whose rules decide who is certified. Add any new pure rule module here. */
export const RULE_MODULES = [
  "app/assessment/rules.ts",
  "app/certificates/eligibility.ts",
  "app/certificates/status.ts",
  "app/marking/rules.ts",
  "app/evidence/validation.ts",
  "app/policy/policy.ts",
  "app/agreement/standing.ts",
];

/** Every module must reach this mutation score (killed or timed out, over all valid mutants). */
const TARGET = 90;
const TEST_DIR = "tests/unit";

type MutantStatus = "Killed" | "Survived" | "NoCoverage" | "Timeout" | "CompileError" | "RuntimeError" | "Ignored" | "Pending";

interface Mutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  status: MutantStatus;
  testsCompleted?: number;
  location: { start: { line: number; column: number }; end: { line: number; column: number } };
}

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? walk(full) : [full];
  });
}

/** The unit test files that import `module` directly (through the `~/` alias or a relative path). */
export function testsImporting(module: string): string[] {
  const bare = module.replace(/^app\//, "").replace(/\.tsx?$/, "");
  const escaped = bare.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const pattern = new RegExp(`(?:from|import)\\s*\\(?\\s*["'](?:~\\/|(?:\\.\\.\\/)+app\\/)${escaped}(?:\\.tsx?)?["']`);
  return walk(TEST_DIR)
    .filter((file) => file.endsWith(".test.ts"))
    .filter((file) => pattern.test(fs.readFileSync(file, "utf8")))
    .sort();
}

/** The original source text a mutant replaced (its first line, trimmed to a readable length). */
function originalText(lines: string[], mutant: Mutant): string {
  const { start, end } = mutant.location;
  const text =
    start.line === end.line
      ? lines[start.line - 1]!.slice(start.column - 1, end.column - 1)
      : [lines[start.line - 1]!.slice(start.column - 1), ...lines.slice(start.line, end.line - 1), lines[end.line - 1]!.slice(0, end.column - 1)].join("\n");
  return oneLine(text);
}

function oneLine(text: string, max = 110): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

interface ModuleScore {
  module: string;
  tests: string[];
  score: number;
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  ignored: number;
  errors: number;
}

async function mutate(module: string): Promise<ModuleScore> {
  const tests = testsImporting(module);
  console.log(`\n=== ${module}\n    tests: ${tests.join(", ") || "(none import it)"}`);
  let mutants: Mutant[] = [];
  if (tests.length > 0) {
    // The test files are chosen through the vitest config, not Stryker's `testFiles`: with
    // `testFiles`, static mutants (module-level constants) are activated too late to take effect.
    // Pure tests first (see the config): a killed static mutant then costs only the fast files.
    const usesDatabase = (file: string) => /createTestDb|createSharedDatabase|openDatabase/.test(fs.readFileSync(file, "utf8"));
    process.env.ATA_MUTATION_TEST_FILES = [...tests.filter((t) => !usesDatabase(t)), ...tests.filter(usesDatabase)].join(",");
    const stryker = new Stryker({
      mutate: [module],
      testRunner: "vitest",
      plugins: ["@stryker-mutator/vitest-runner"],
      vitest: { configFile: "scripts/vitest.mutation.config.ts", related: false },
      coverageAnalysis: "perTest",
      concurrency: 1,
      // Generous: on a shared, niced machine a slow test (a database seeded in beforeAll, which the
      // dry run does not time) must not pass for a mutant that hangs; a real hang costs 30-odd s.
      timeoutMS: 30_000,
      timeoutFactor: 2,
      reporters: ["progress-append-only"],
      logLevel: "warn" as LogLevel, // a const enum: its values are these strings
      fileLogLevel: "off" as LogLevel,
      tempDirName: ".stryker-tmp",
      cleanTempDir: true,
      ignorePatterns: ["/build", "/public/build", "/test-results", "/playwright-report", "/tests/.tmp", "/tests/e2e", "/data", "/.cache", "/reports"],
      thresholds: { high: TARGET, low: 80, break: null },
    });
    mutants = (await stryker.runMutationTest()) as unknown as Mutant[];
  }
  // A mutant that stops the test files from loading at all (say, a schema builder replaced by
  // `() => undefined`, which throws when the module is imported) fails every test file, but
  // Stryker's vitest runner 9.6 sees no failed *test* and reports it "Survived" with no test
  // run. The tests did notice it: count it as killed, and list it so it can be checked.
  const unloadable = mutants.filter((m) => m.status === "Survived" && m.testsCompleted === 0);
  for (const m of unloadable) m.status = "Killed";
  const count = (...statuses: MutantStatus[]) => mutants.filter((m) => statuses.includes(m.status)).length;
  const killed = count("Killed");
  const timeout = count("Timeout");
  const survived = count("Survived");
  const noCoverage = count("NoCoverage");
  const valid = killed + timeout + survived + noCoverage;
  const score = valid === 0 ? 0 : ((killed + timeout) * 100) / valid;
  const lines = fs.readFileSync(module, "utf8").split("\n");
  const alive = mutants
    .filter((m) => m.status === "Survived" || m.status === "NoCoverage")
    .sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column);
  console.log(`\n--- ${module}: mutation score ${score.toFixed(2)}% (${killed} killed, ${timeout} timed out, ${survived} survived, ${noCoverage} not covered, ${count("Ignored")} disabled)`);
  for (const m of unloadable) {
    console.log(`    KILLED (no test file could load with it) ${module}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName}: ${originalText(lines, m)}  ->  ${oneLine(m.replacement ?? "")}`);
  }
  for (const m of mutants.filter((m) => m.status === "Ignored")) {
    console.log(`    disabled ${module}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName}: ${originalText(lines, m)}  ->  ${oneLine(m.replacement ?? "")}`);
  }
  for (const m of alive) {
    const where = `${module}:${m.location.start.line}:${m.location.start.column}`;
    console.log(`    ${m.status === "NoCoverage" ? "NOT COVERED" : "SURVIVED"} ${where} ${m.mutatorName}: ${originalText(lines, m)}  ->  ${oneLine(m.replacement ?? "")}`);
  }
  return { module, tests, score, killed, timeout, survived, noCoverage, ignored: count("Ignored"), errors: count("CompileError", "RuntimeError") };
}

async function main() {
  const requested = process.argv.slice(2).filter((a) => a !== "--");
  const modules = requested.length > 0 ? requested.map((m) => path.relative(process.cwd(), path.resolve(m))) : RULE_MODULES;
  for (const module of modules) {
    if (!fs.existsSync(module)) {
      console.error(`No such module: ${module}`);
      process.exit(2);
    }
  }
  const scores: ModuleScore[] = [];
  const failed: string[] = [];
  for (const module of modules) {
    try {
      scores.push(await mutate(module));
    } catch (error) {
      // One module's broken run (e.g. its tests fail before mutation) must not hide the others' scores.
      console.error(`\n--- ${module}: Stryker could not run: ${error instanceof Error ? error.message : String(error)}`);
      failed.push(module);
    }
  }

  console.log("\n=== Mutation scores (target ≥ " + TARGET + "% per module)");
  console.log("module".padEnd(36) + "score".padStart(8) + "killed".padStart(8) + "timeout".padStart(9) + "survived".padStart(10) + "no cov".padStart(8) + "disabled".padStart(10));
  for (const s of scores) {
    console.log(
      s.module.padEnd(36) +
        `${s.score.toFixed(2)}%`.padStart(8) +
        String(s.killed).padStart(8) +
        String(s.timeout).padStart(9) +
        String(s.survived).padStart(10) +
        String(s.noCoverage).padStart(8) +
        String(s.ignored).padStart(10),
    );
  }
  const below = scores.filter((s) => s.score < TARGET);
  if (below.length > 0) console.log(`\nBelow ${TARGET}%: ${below.map((s) => s.module).join(", ")}`);
  if (failed.length > 0) console.log(`\nCould not run: ${failed.join(", ")}`);
  if (below.length > 0 || failed.length > 0) process.exit(1);
}

await main();
