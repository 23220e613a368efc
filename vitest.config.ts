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
    globalSetup: ["tests/unit/global-setup.ts"],
    env: { CONTENT_BUILD_DIR: "tests/.tmp/content-unit", EVIDENCE_DIR: "tests/.tmp/evidence-unit" },
  },
});
