import { readFileSync } from "node:fs";
import { defineConfig } from "vitest/config";

// Tests import src/ directly; like esbuild's `binary` loader in the build, this inlines the
// .wasm files as Uint8Array modules.
const wasmBytes = {
  name: "wasm-bytes",
  enforce: "pre" as const,
  load(id: string) {
    if (!id.endsWith(".wasm")) return null;
    const b64 = readFileSync(id).toString("base64");
    return `export default Uint8Array.from(atob(${JSON.stringify(b64)}), (c) => c.charCodeAt(0));`;
  },
};

export default defineConfig({
  plugins: [wasmBytes],
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
