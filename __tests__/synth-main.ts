import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const ROOT = path.join(__dirname, "..");

/**
 * Runs the real app, as `cdktf synth` does (cdktf.json's app command), into a
 * temp folder, with only node on the PATH: the pipeline has `tofu`, not
 * `terraform`, so synth must not need any Terraform binary. The caller
 * removes the folder.
 */
export function synthMain(): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "mindmirror-synth-"));
  const app = (JSON.parse(fs.readFileSync(path.join(ROOT, "cdktf.json"), "utf8")) as { app: string }).app.split(" ");
  const command = app[0] === "node" ? process.execPath : app[0];
  const env = { ...process.env, CDKTF_OUTDIR: outdir, PATH: path.dirname(process.execPath) };
  execFileSync(command, app.slice(1), { cwd: ROOT, env, stdio: "pipe" });
  return outdir;
}
