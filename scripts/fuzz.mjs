// `npm run fuzz -- --cases N --seed S`: bundles the fuzzer (test/fuzz/, TypeScript) with esbuild
// and runs its campaign against the built package (build/index.mjs). Options: test/fuzz/cli.ts.
import { build } from "esbuild";

const outfile = "build/fuzz/cli.mjs";
await build({
  entryPoints: ["test/fuzz/cli.ts"],
  bundle: true,
  platform: "node",
  format: "esm",
  outfile,
  logLevel: "warning",
});
const { main } = await import(new URL(`../${outfile}`, import.meta.url));
const api = await import(new URL("../build/index.mjs", import.meta.url));
process.exitCode = await main(api, process.argv.slice(2));
