import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
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
  synthInto(outdir);
  return outdir;
}

function synthInto(outdir: string): void {
  const app = (JSON.parse(fs.readFileSync(path.join(ROOT, "cdktf.json"), "utf8")) as { app: string }).app.split(" ");
  const command = app[0] === "node" ? process.execPath : app[0];
  const env = { ...process.env, CDKTF_OUTDIR: outdir, PATH: path.dirname(process.execPath) };
  execFileSync(command, app.slice(1), { cwd: ROOT, env, stdio: "pipe" });
}

/** Folders that are not the app's source: dependencies (the lock file stands for them), outputs, tests, workflows. */
const NOT_SOURCE = new Set(["node_modules", ".git", "cdktf.out", "__tests__", ".github", "coverage", "reports", ".stryker-tmp", ".tmp"]);

/** A hash of every file the app could read: a different source is a different synth. */
function sourceHash(): string {
  const hash = createHash("sha256");
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!NOT_SOURCE.has(entry.name)) walk(file);
      } else if (entry.isFile()) {
        hash.update(`${path.relative(ROOT, file)}\0`).update(fs.readFileSync(file)).update("\0");
      }
    }
  };
  walk(ROOT);
  return hash.digest("hex").slice(0, 16);
}

/**
 * The output of {@link synthMain}, made once per source and shared by the
 * test files of a jest run (in the run's shared folder, see
 * scripts/jest-tmpdir.js): read it, never write to it or remove it. Outside
 * such a run, a fresh synth each time in a folder removed at exit.
 */
export function sharedSynth(): string {
  const shared = process.env.MINDMIRROR_JEST_SHARED;
  if (shared === undefined || !fs.existsSync(shared)) {
    const outdir = synthMain();
    process.on("exit", () => fs.rmSync(outdir, { recursive: true, force: true }));
    return outdir;
  }
  const target = path.join(shared, `synth-${sourceHash()}`);
  if (fs.existsSync(target)) return target;
  // Two workers may synth at once: each into its own folder, and the first rename wins.
  const mine = fs.mkdtempSync(path.join(shared, "synth-partial-"));
  try {
    synthInto(mine);
    fs.renameSync(mine, target);
  } catch (error) {
    fs.rmSync(mine, { recursive: true, force: true });
    if (!fs.existsSync(target)) throw error;
  }
  return target;
}
