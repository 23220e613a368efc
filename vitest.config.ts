import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: {
      "~db": path.resolve("db"),
      "~": path.resolve("app"),
    },
  },
  test: {
    include: ["tests/unit/**/*.test.ts"],
    environment: "node",
    pool: "forks",
    // A safety net, not a timed assertion: on two shared cores a test that signs credentials or
    // talks to PostgreSQL can take several seconds; a hung test still fails.
    testTimeout: 30_000,
    globalSetup: ["tests/unit/global-setup.ts"],
    env: { CONTENT_BUILD_DIR: "tests/.tmp/content-unit", EVIDENCE_DIR: "tests/.tmp/evidence-unit" },
  },
});
