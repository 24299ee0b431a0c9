/**
 * rollback: "Option 1" of the deployment diagrams. Restores an environment's
 * tfvars file from an earlier commit and shows which images change; the
 * workflow (or a person) then commits it or opens the pull request.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { SERVICES } from "../catalog";
import type { EnvironmentConfig } from "../environments";
import { tfvarsProblems } from "../lib/images";
import { imageVariableName, tfvarsFile } from "../lib/naming";
import { readTfvars } from "../lib/tfvars";
import { type Command, type CommandSpec, findEnvironment, type Flags, main, OperationError, required, UsageError, withDefaults, envOption, dirOption } from "./cli";
import { writeAtomically } from "./file-update";

type Key = "env" | "to" | "dir" | "image-check";

/**
 * Whether an image reference still exists in its registry. The command asks
 * gcloud; tests pass their own.
 */
export type ImageLookup = (reference: string) => boolean;

/** Flags and help of `rollback`. */
export const ROLLBACK: CommandSpec<Key> = {
  name: "rollback",
  usage: "--env <env> --to <git-ref> [--dir <folder>]",
  summary: [
    "Restores <dir>/<env>.auto.tfvars exactly as it was at --to (git show <ref>:<file>), after checking",
    "that every image in it is valid for its service and that each image it changes still exists in the",
    "registry (gcloud artifacts docker images describe), and prints each image change (variable: old -> new).",
    "It overwrites uncommitted edits of that file, and neither commits nor pushes: commit the file or open",
    "the pull request, then let the pipeline apply it.",
  ].join("\n"),
  options: {
    env: envOption("environment to roll back"),
    to: { value: "<git-ref>", description: "commit, tag or branch holding the wanted file, e.g. HEAD~1" },
    dir: dirOption("(inside a git work tree) holding the tfvars files"),
    "image-check": { value: "<gcloud|off>", description: "how to check the restored images exist; off skips the check", default: "gcloud" },
  },
  exitCodes: {
    failed: "git or gcloud failed (e.g. --dir is not in a git work tree, no credentials) or the file could not be written",
    usage: "bad flag, unknown ref, no such file at the ref, or a file at the ref that is not deployable (an invalid or deleted image); nothing was written",
  },
};

/** One image variable's value before and after; `undefined` where it was not set. */
export interface ImageDiff {
  readonly variable: string;
  readonly from: string | undefined;
  readonly to: string | undefined;
}

/** What a rollback did. */
export interface RollbackResult {
  /** Path of the file inside the repository: `environments/staging.auto.tfvars`. */
  readonly file: string;
  /** The commit `--to` resolved to. */
  readonly commit: string;
  /** False when the file already held exactly the restored bytes. */
  readonly written: boolean;
  /** Changed image values, in catalog order. */
  readonly changes: ImageDiff[];
  /** Why the previous values are unknown, when the current file was missing or malformed. */
  readonly note?: string;
}

/**
 * Parses a tfvars text and checks it is deployable in `env`, as synth would:
 * exactly one image variable per catalog service, each a valid image of that
 * service. Returns the values, or throws an Error listing every problem.
 */
export function checkImages(env: EnvironmentConfig, text: string, file: string): Map<string, string> {
  const values = readTfvars(text, file);
  const problems = tfvarsProblems(env, values, SERVICES).map((p) => {
    if (p.kind === "missing") return `${p.variable} is missing`;
    if (p.kind === "invalid") return `${p.variable} ${JSON.stringify(p.value)} is not valid (${p.fix})`;
    return `${p.variable} is not an image variable of any service`;
  });
  if (problems.length) throw new Error(`${file}: ${problems.join("; ")}`);
  return values;
}

/** The image values that differ between `before` and `after`, in catalog order, then any others. */
export function diffImages(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): ImageDiff[] {
  const order = [...new Set([...SERVICES.map((s) => imageVariableName(s.name)), ...before.keys(), ...after.keys()])];
  return order
    .filter((v) => (before.has(v) || after.has(v)) && before.get(v) !== after.get(v))
    .map((variable) => ({ variable, from: before.get(variable), to: after.get(variable) }));
}

/**
 * Asks gcloud whether `reference` exists: true when it describes the image,
 * false when the registry answers NOT_FOUND; anything else (no gcloud, no
 * credentials) is an OperationError, since the answer is unknown.
 */
export function gcloudImageLookup(gcloud = "gcloud"): ImageLookup {
  return (reference) => gcloudDescribe(gcloud, reference);
}

function gcloudDescribe(gcloud: string, reference: string): boolean {
  try {
    execFileSync(gcloud, ["artifacts", "docker", "images", "describe", reference, "--format=value(image_summary.digest)", "--quiet"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    return true;
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (e.code === "ENOENT") throw new OperationError("gcloud is not installed, so the restored images cannot be checked; install it, or pass --image-check off");
    const detail = e.stderr?.toString().trim() ?? e.message;
    if (/NOT_FOUND|not found/i.test(detail)) return false;
    throw new OperationError(`gcloud artifacts docker images describe ${reference} failed: ${detail.replace(/\s*\n\s*/g, " ")}`);
  }
}

/** The lookup `--image-check` names. */
function lookupOf(flags: Flags<Key>, lookup: ImageLookup | undefined): ImageLookup | undefined {
  const mode = withDefaults(ROLLBACK, flags)["image-check"];
  if (mode === "off") return undefined;
  if (mode !== "gcloud") throw new UsageError(`--image-check ${JSON.stringify(mode)} is not a mode; use gcloud or off`);
  return lookup ?? gcloudImageLookup();
}

/**
 * Restores the file the flags name; see {@link ROLLBACK}. `lookup` answers
 * whether an image exists when `--image-check` is gcloud (the default).
 */
export function rollback(flags: Flags<Key>, lookup?: ImageLookup): RollbackResult {
  const env = findEnvironment(flags.env);
  const exists = lookupOf(flags, lookup);
  const ref = required(flags, "to", "give the commit to restore from, e.g. --to HEAD~1");
  // Git would read a ref starting with "-" as an option.
  if (ref === "" || ref.startsWith("-")) throw new UsageError(`--to ${JSON.stringify(ref)} is not a git ref; use a commit, tag or branch, e.g. HEAD~1`);
  const dir = withDefaults(ROLLBACK, flags).dir as string;
  if (!fs.existsSync(dir)) throw new UsageError(`--dir ${JSON.stringify(dir)} does not exist; point it at the folder holding ${tfvarsFile(env)}`);
  const name = tfvarsFile(env);
  let prefix: string;
  try {
    prefix = git(dir, ["rev-parse", "--show-prefix"]).toString().trim();
  } catch (error) {
    throw new OperationError(`--dir ${JSON.stringify(dir)} is not inside a git work tree (${(error as Error).message})`);
  }
  const file = `${prefix}${name}`;

  const commit = tryGit(dir, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`])?.toString().trim();
  if (!commit) throw new UsageError(`--to ${JSON.stringify(ref)} is not a commit in this repository; use a commit, tag or branch, e.g. HEAD~1`);
  const short = commit.slice(0, 7);
  // "./" makes the path relative to --dir, wherever that sits in the repository.
  const spec = `${commit}:./${name}`;
  if (tryGit(dir, ["cat-file", "-e", spec]) === undefined) {
    throw new UsageError(`--to ${JSON.stringify(ref)} (${short}) has no ${file}; pick a commit that has it (git log -- ${file})`);
  }
  const restored = git(dir, ["show", spec]);
  let after: Map<string, string>;
  try {
    after = checkImages(env, restored.toString("utf8"), `${file} at ${short}`);
  } catch (error) {
    throw new UsageError(`--to ${JSON.stringify(ref)} is not deployable: ${(error as Error).message}; pick another commit`);
  }

  const target = path.join(dir, name);
  const current = fs.existsSync(target) ? fs.readFileSync(target) : undefined;
  let before = new Map<string, string>();
  let note: string | undefined;
  if (current === undefined) {
    note = `${file} did not exist`;
  } else {
    try {
      before = readTfvars(current.toString("utf8"), file);
    } catch (error) {
      note = `the current file could not be read (${(error as Error).message})`;
    }
  }
  const changes = diffImages(before, after);
  if (exists !== undefined) {
    // Only the images it would change: the others are what runs now.
    const missing = changes.filter((c) => c.to !== undefined && !exists(c.to)).map((c) => `${c.variable} ${c.to}`);
    if (missing.length > 0) {
      throw new UsageError(`--to ${JSON.stringify(ref)} (${short}) names images the registry no longer has: ${missing.join(", ")}; pick a later commit (git log -- ${file})`);
    }
  }
  const written = current === undefined || !current.equals(restored);
  if (written) {
    if (current === undefined) writeNew(target, restored);
    else writeAtomically(target, restored);
  }
  return { file, commit, written, changes, ...(note ? { note } : {}) };
}

/** The lines printed for a result. */
export function describeRollback(ref: string, result: RollbackResult): string[] {
  const at = `${ref} (${result.commit.slice(0, 7)})`;
  if (!result.written) return [`${result.file} already matches ${at}; nothing changed`];
  const lines = [`${result.file} restored from ${at}: ${result.changes.length} image(s) changed`];
  if (result.note) lines.push(`note: ${result.note}`);
  for (const c of result.changes) lines.push(`  ${c.variable}: ${c.from ?? "(unset)"} -> ${c.to ?? "(unset)"}`);
  return lines;
}

function writeNew(file: string, contents: Buffer): void {
  try {
    fs.writeFileSync(file, contents, { flag: "wx" });
  } catch (error) {
    throw new OperationError(`cannot write ${file}: ${(error as Error).message}`);
  }
}

function git(dir: string, args: string[]): Buffer {
  try {
    return execFileSync("git", ["-C", dir, ...args], { stdio: ["ignore", "pipe", "pipe"], maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const e = error as { stderr?: Buffer; message: string };
    const detail = e.stderr?.toString().trim() || e.message;
    throw new OperationError(`git ${args.join(" ")} failed: ${detail}`);
  }
}

/** Like `git`, but `undefined` where git answers "no" with a non-zero exit. */
function tryGit(dir: string, args: string[]): Buffer | undefined {
  try {
    return git(dir, args);
  } catch {
    return undefined;
  }
}

/** `npm run rollback`: roll back and print what changed. */
export const command: Command<Key> = {
  spec: ROLLBACK,
  action: (flags, io) => {
    const result = rollback(flags);
    for (const line of describeRollback(flags.to as string, result)) io.out(line);
  },
};

if (require.main === module) main(command);
