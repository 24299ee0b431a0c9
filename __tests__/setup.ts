import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Testing as TestingApi } from "../lib/cdk";
import { setupJest } from "cdktf/lib/testing/adapters/jest";

setupJest();

// cdktf records a stack trace for every token it creates (the app does so
// without source maps). Under jest every trace would be source-mapped frame
// by frame, which took 40% of a test file that builds stacks: record it as
// the app does, unmapped.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const stackTrace = require("cdktf/lib/tokens/private/stack-trace") as { captureStackTrace: (below?: unknown) => string[] };
const captureMapped = stackTrace.captureStackTrace;
/** V8's own format: a first line, then `    at <frame>` per frame. */
const unmapped = (error: unknown, frames: NodeJS.CallSite[]) => [String(error), ...frames.map((frame) => `    at ${frame}`)].join("\n");
stackTrace.captureStackTrace = function captureStackTrace(below?: unknown): string[] {
  const prepare = Error.prepareStackTrace;
  Error.prepareStackTrace = unmapped;
  try {
    return captureMapped(below ?? captureStackTrace);
  } finally {
    Error.prepareStackTrace = prepare;
  }
};

// Testing.app() and Testing.fullSynth() create temp outdirs that cdktf never
// removes; remove the ones this test file created once it is done. Patched
// when a test file first loads cdktf: 27 of them never do, and loading it
// costs each a third of a second.
const created: string[] = [];
function removeTestingOutdirs(Testing: typeof TestingApi): void {
  const app = Testing.app.bind(Testing);
  Testing.app = (options = {}) => {
    if (options.outdir) return app(options);
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "cdktf.outdir."));
    created.push(outdir);
    return app({ ...options, outdir });
  };
  const fullSynth = Testing.fullSynth.bind(Testing);
  Testing.fullSynth = (stack) => {
    const outdir = fullSynth(stack);
    created.push(outdir);
    return outdir;
  };
}
let loadingCdktf = false;
jest.mock("cdktf", () => {
  // cdktf's own modules require its index while it loads: they get it as node would, half loaded.
  if (loadingCdktf) return jest.requireActual("cdktf");
  loadingCdktf = true;
  try {
    const cdktf = jest.requireActual<{ Testing: typeof TestingApi }>("cdktf");
    removeTestingOutdirs(cdktf.Testing);
    return cdktf;
  } finally {
    loadingCdktf = false;
  }
});
afterAll(() => {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
