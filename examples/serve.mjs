// A tiny static file server for the example pages and the browser tests: serves the repository
// root on 127.0.0.1 (only build/, examples/, test/browser/ and tfjs's bundle), so that a page can
// `import … from "/build/browser.mjs"`. Modules need http(s); file:// pages cannot import them.
//
//   node examples/serve.mjs [port] [--isolated]     then open the printed address
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
// tfjs's ES module bundle is served for the wasm-loss/tfjs page (examples/tfjs/).
const SERVED = ["build/", "examples/", "test/browser/", "node_modules/@tensorflow/tfjs/dist/"];
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".gz": "application/gzip",
  ".wasm": "application/wasm",
};

/** The headers that make a page cross-origin isolated, which shared memory (threads) needs. */
const ISOLATION = {
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-embedder-policy": "require-corp",
};

/** Starts the server on `port` (0: a free one) and resolves with its address and a `close()`.
 *  With `isolated`, every response carries the cross-origin isolation headers. */
export function serve(port = 0, { isolated = false } = {}) {
  const server = createServer(async (req, res) => {
    let path = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname).replace(/^\/+/, "");
    if (path === "") path = "examples/";
    if (path.endsWith("/")) path += "index.html";
    path = normalize(path);
    if (!SERVED.some((p) => path.startsWith(p)) || path.includes("..")) {
      res.writeHead(404).end("not served");
      return;
    }
    try {
      const body = await readFile(join(ROOT, path));
      res.writeHead(200, {
        "content-type": TYPES[extname(path)] ?? "application/octet-stream",
        "cache-control": "no-store",
        ...(isolated ? ISOLATION : {}),
      });
      res.end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const { port: p } = server.address();
      resolve({
        url: `http://127.0.0.1:${p}`,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // --isolated: serve with the cross-origin isolation headers (pages can then use threads).
  const { url } = await serve(Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 8080), {
    isolated: process.argv.includes("--isolated"),
  });
  console.log(
    `wasm-loss examples at ${url}/examples/  (lesson: ${url}/examples/lesson/; Ctrl-C to stop)`,
  );
}
