import { fileURLToPath } from "node:url";
import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config";

// The API suites again, with `src/index` replaced by the minified browser bundle (run after a
// build: `npx vitest run --config vitest.bundle.config.ts`): the check that what esbuild ships
// (minified, the SIMD build inlined, the scalar one imported from build/wasm-loss.scalar.mjs)
// behaves as the sources do. math.test.ts (raw exports through src/loader) and the suites that
// already load the built files are left out.
export default mergeConfig(
  base,
  defineConfig({
    resolve: {
      alias: [
        {
          find: /^(\.\.\/)+src\/index$/,
          replacement: fileURLToPath(new URL("./build/browser.mjs", import.meta.url)),
        },
      ],
    },
    test: {
      exclude: [
        "test/math.test.ts",
        "test/browser.test.ts",
        "test/examples.test.ts",
        "test/package.test.ts",
        "test/install.test.ts",
        "test/docs.test.ts",
        "test/size.test.ts",
        "test/tfjs/**", // the adapter imports src/index itself; its built form is checked by test/tfjs/package.test.ts
        // Threads need a cross-origin-isolated page: the bundle's are tested in Chromium (browser.test.ts).
        "test/threads.test.ts",
      ],
    },
  }),
);
