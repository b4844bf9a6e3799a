// Type-checks a consumer's files against the built package, in process (a child tsc takes
// seconds); skipLibCheck: the consumer's code is what is checked, not the declarations' internals.
import { mkdirSync, writeFileSync } from "node:fs";
import ts from "typescript";

/** Writes `files` into `dir`, compiles them under node16 or bundler resolution, and returns each
 *  file's diagnostics as text ("" when it type-checks). */
export function typeCheck(
  dir: string,
  moduleKind: "node16" | "bundler",
  files: Record<string, string>,
): Record<string, string> {
  mkdirSync(dir, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(`${dir}/${f}`, text);
  const options: ts.CompilerOptions = {
    module: moduleKind === "node16" ? ts.ModuleKind.Node16 : ts.ModuleKind.ESNext,
    moduleResolution:
      moduleKind === "node16" ? ts.ModuleResolutionKind.Node16 : ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
  };
  const program = ts.createProgram(
    Object.keys(files).map((f) => `${dir}/${f}`),
    options,
  );
  const out: Record<string, string> = Object.fromEntries(Object.keys(files).map((f) => [f, ""]));
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const f = d.file ? d.file.fileName.slice(dir.length + 1) : "(global)";
    out[f] =
      `${out[f] ?? ""}TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}\n`;
  }
  return out;
}
