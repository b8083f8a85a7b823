// One ESLint configuration for the whole repository: type-aware rules for TypeScript,
// with formatting left to Prettier (eslint-config-prettier turns the clashing rules off).
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import { defineConfig } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
  // tools/shared is linted where it is synced to, in each lesson; a program of another shape is
  // typechecked in the exercise folder it is copied into (tools/test/exercises.test.ts).
  {
    ignores: [
      "**/node_modules/**",
      "**/.turbo/**",
      "tools/shared/**",
      "tools/exercises/another-shape/**",
    ],
  },
  js.configs.recommended,
  {
    files: ["**/*.ts"],
    extends: [tseslint.configs.strictTypeChecked, tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Template literals with numbers are everywhere in log lines; they are safe.
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      // node:test's test() and describe() return promises that the runner itself awaits.
      "@typescript-eslint/no-floating-promises": [
        "error",
        {
          allowForKnownSafeCalls: [
            { from: "package", package: "node:test", name: ["test", "describe", "it", "suite"] },
          ],
        },
      ],
    },
  },
  { files: ["**/*.js"], languageOptions: { globals: globals.node } },
  prettier,
);
