import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/**", "public/build/**", "public/islands/**", "node_modules/**", "content/.generated/**", "test-results/**", "playwright-report/**", "tests/.tmp/**", ".stryker-tmp/**", "reports/**"] },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-imports": ["error", { patterns: [{ group: ["**/app/*", "~/*"], message: "db/ never imports from app/." }] }],
    },
  },
  { files: ["env.d.ts"], rules: { "@typescript-eslint/triple-slash-reference": "off" } },
  {
    files: ["app/**", "scripts/**", "tests/**"],
    rules: { "no-restricted-imports": "off" },
  },
  {
    // Settings are read in one place, validated at start (app/utils/env.server.ts); everything
    // else receives them as arguments or through getEnv(). Exceptions, below: command-line
    // tools that are not the server (bench, its governance-dashboard part bench-reports, bench:scale and bench:start read their own BENCH_* knobs, dev passes the
    // environment to its child processes, ensure-chromium reads CHROMIUM_PATH for the tests, test:mutation hands each
    // rule module's test files to vitest in Stryker's workers through ATA_MUTATION_TEST_FILES).
    files: ["app/**", "scripts/**"],
    ignores: ["app/utils/env.server.ts", "scripts/bench.ts", "scripts/bench-scale.ts", "scripts/bench-reports.ts", "scripts/bench-backup.ts", "scripts/bench-start.ts", "scripts/dev.ts", "scripts/ensure-chromium.ts", "scripts/mutation.ts", "scripts/vitest.mutation.config.ts"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read settings through getEnv() (app/utils/env.server.ts), where they are validated." }],
    },
  },
  {
    // Shared helpers sit at the bottom of the layers: they import only db/ and packages.
    files: ["app/utils/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["~/*", "!~/utils/*", "../*"], message: "app/utils/ imports only db/ and packages." }] }],
    },
  },
);
