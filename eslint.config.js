import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/**", "public/build/**", "node_modules/**", "content/.generated/**", "test-results/**", "playwright-report/**", "tests/.tmp/**"] },
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
    // Shared helpers sit at the bottom of the layers: they import only db/ and packages.
    files: ["app/utils/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["~/*", "!~/utils/*", "../*"], message: "app/utils/ imports only db/ and packages." }] }],
    },
  },
);
