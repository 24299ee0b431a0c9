/**
 * A bad edit to the environments, the catalog or the tfvars files the app
 * reads, applied to the loaded modules so tests can run the real app on it
 * without touching the repository: in this process (runPatched) or in a
 * child (fixtures/patched-main.ts, which reads the patch as JSON from
 * MINDMIRROR_TEST_PATCH).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SERVICES } from "../catalog";
import { ENVIRONMENTS } from "../environments";
import { runApp } from "../main";

export interface AppPatch {
  /** By environment name, a deep partial of its config. */
  readonly environments?: Record<string, unknown>;
  /** By service name, a deep partial of its catalog entry. */
  readonly catalog?: Record<string, unknown>;
  /** By path from the repository root (`environments/<env>.auto.tfvars`), the contents the app reads instead. */
  readonly files?: Record<string, string>;
}

export const ROOT = path.join(__dirname, "..");

/** Applies the environments and catalog parts of `patch` in place; returns the function that puts them back. */
export function applyPatch(patch: AppPatch): () => void {
  const undo: (() => void)[] = [];
  const merge = (target: Record<string, unknown>, changes: Record<string, unknown>): void => {
    for (const [key, value] of Object.entries(changes)) {
      const current = target[key];
      if (value !== null && typeof value === "object" && !Array.isArray(value) && current !== null && typeof current === "object" && !Array.isArray(current)) {
        merge(current as Record<string, unknown>, value as Record<string, unknown>);
      } else {
        const had = Object.prototype.hasOwnProperty.call(target, key);
        undo.push(() => (had ? (target[key] = current) : delete target[key]));
        target[key] = value;
      }
    }
  };
  for (const [name, changes] of Object.entries(patch.environments ?? {})) {
    const env = ENVIRONMENTS.find((e) => e.name === name);
    if (!env) throw new Error(`patch names no environment ${name}`);
    merge(env as unknown as Record<string, unknown>, changes as Record<string, unknown>);
  }
  for (const [name, changes] of Object.entries(patch.catalog ?? {})) {
    const service = SERVICES.find((s) => s.name === name);
    if (!service) throw new Error(`patch names no service ${name}`);
    merge(service as unknown as Record<string, unknown>, changes as Record<string, unknown>);
  }
  return () => undo.reverse().forEach((step) => step());
}

/**
 * A copy of environments/'s tfvars files with the `files` of `patch` in place
 * of theirs, and the function that removes it; undefined when the patch has no files.
 */
export function tfvarsCopy(patch: AppPatch): { dir: string; remove: () => void } | undefined {
  const files = Object.entries(patch.files ?? {});
  if (files.length === 0) return undefined;
  const source = path.join(ROOT, "environments");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "app-patch-tfvars-"));
  for (const file of fs.readdirSync(source).filter((f) => f.endsWith(".auto.tfvars"))) fs.copyFileSync(path.join(source, file), path.join(dir, file));
  for (const [file, text] of files) {
    if (path.dirname(file) !== "environments" || !file.endsWith(".auto.tfvars")) throw new Error(`patch file ${file} is not an environments/<env>.auto.tfvars`);
    fs.writeFileSync(path.join(dir, path.basename(file)), text);
  }
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** What a run of the app printed and returned. */
export interface AppRunResult {
  readonly code: number;
  readonly stderr: string[];
}

/** Runs the app (main.ts's runApp) in this process on `patch`, into `outdir`, and puts everything back. */
export function runPatched(outdir: string, patch: AppPatch = {}, options: { readonly debug?: boolean; readonly verbose?: boolean } = {}): AppRunResult {
  const stderr: string[] = [];
  const restore = applyPatch(patch);
  const tfvars = tfvarsCopy(patch);
  try {
    const code = runApp({
      outdir,
      debug: options.debug ?? false,
      verbose: options.verbose ?? false,
      // As the entry point writes them: each line, a stack trace spanning several.
      stderr: (line) => stderr.push(...line.split("\n").filter(Boolean)),
      ...(tfvars === undefined ? {} : { tfvarsDir: tfvars.dir }),
    });
    return { code, stderr };
  } finally {
    tfvars?.remove();
    restore();
  }
}
