/**
 * The vitest config `npm run test:mutation` runs each rule module's tests with: the project's
 * config, with `include` narrowed to the test files named in ATA_MUTATION_TEST_FILES (the unit
 * tests that import the module, set by scripts/mutation.ts). Narrowing here rather than through
 * Stryker's `testFiles` option matters: with `testFiles`, Stryker 9.6 activates a "static"
 * mutant (a module-level constant such as a label map) only after the module has been imported,
 * so the mutant never takes effect and is reported surviving whatever the tests assert.
 */
import { defineConfig } from "vitest/config";
import base from "../vitest.config";

const files = (process.env.ATA_MUTATION_TEST_FILES ?? "").split(",").filter(Boolean);
if (files.length === 0) throw new Error("ATA_MUTATION_TEST_FILES is empty: run this config through `npm run test:mutation`.");

export default defineConfig({ ...base, test: { ...base.test, include: files } });
