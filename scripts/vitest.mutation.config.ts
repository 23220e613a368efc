/**
 * The vitest config `npm run test:mutation` runs each rule module's tests with: the project's
 * config, with `include` narrowed to the test files named in ATA_MUTATION_TEST_FILES (the unit
 * tests that import the module, set by scripts/mutation.ts), run in that order. Narrowing here
 * rather than through Stryker's `testFiles` option matters: with `testFiles`, Stryker 9.6
 * activates a "static" mutant (a module-level constant such as a label map) only after the
 * module has been imported, so the mutant never takes effect and is reported surviving whatever
 * the tests assert. The order matters for speed only: a static mutant runs every file, and the
 * run stops at the first failure, so the files without a database go first.
 */
import { BaseSequencer, type TestSpecification } from "vitest/node";
import { defineConfig } from "vitest/config";
import path from "node:path";
import base from "../vitest.config";

const files = (process.env.ATA_MUTATION_TEST_FILES ?? "").split(",").filter(Boolean);
if (files.length === 0) throw new Error("ATA_MUTATION_TEST_FILES is empty: run this config through `npm run test:mutation`.");
const rank = (spec: TestSpecification) => {
  const index = files.findIndex((f) => path.resolve(f) === spec.moduleId);
  return index === -1 ? files.length : index;
};

class GivenOrder extends BaseSequencer {
  override async sort(specs: TestSpecification[]): Promise<TestSpecification[]> {
    return [...specs].sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({ ...base, test: { ...base.test, include: files, sequence: { sequencer: GivenOrder } } });
