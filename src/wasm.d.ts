// The build inlines both WebAssembly binaries (esbuild's `binary` loader; vitest.config.ts does
// the same for the tests), so one import works in Node, browsers and workers with no file paths.
declare module "*.wasm" {
  const bytes: Uint8Array<ArrayBuffer>;
  export default bytes;
}
