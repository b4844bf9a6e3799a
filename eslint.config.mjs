// ESLint's and typescript-eslint's recommended rules over the TypeScript and JavaScript of the
// repository. Not assembly/: AssemblyScript decorates plain functions (`@inline function`), which
// no TypeScript parser accepts.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
  { ignores: ["build/", "docs/api/", "assembly/", "bench/results/"] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      // `{} extends O` is how the option types ask whether O has no required key.
      "@typescript-eslint/no-empty-object-type": ["error", { allowObjectTypes: "always" }],
    },
  },
);
