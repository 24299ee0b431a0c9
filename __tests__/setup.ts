import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Testing } from "../lib/cdk";
import { setupJest } from "cdktf/lib/testing/adapters/jest";

setupJest();

// Testing.app() and Testing.fullSynth() create temp outdirs that cdktf never
// removes; remove the ones this test file created once it is done.
const created: string[] = [];
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
afterAll(() => {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});
