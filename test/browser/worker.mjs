// A module Web Worker that imports the one-file bundle, instantiates it synchronously (allowed in
// workers) and runs the fixture cases it is sent.
import * as api from "/build/browser.mjs";
import { runAll } from "./cases.mjs";

self.onmessage = ({ data }) => {
  try {
    const ready = api.isReady();
    api.initSync();
    self.postMessage({ ready, backend: api.backend(), results: runAll(api, data.cases) });
  } catch (e) {
    self.postMessage({ error: `${e?.name}: ${e?.message}` });
  }
};
