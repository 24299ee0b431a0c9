/**
 * build-plan: which images of one stack a deploy must build (phases 1 and 3).
 * An image is rebuilt only when one of its build inputs (the catalog's `build.inputs`)
 * changed between the commit its current tfvars tag was built from and the
 * deploy's commit; the others keep the image the tfvars file already names.
 * Prints the deploy's tag and the build matrix as `name=value` lines for
 * `$GITHUB_OUTPUT`, and one line per image on stderr saying why.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { SERVICES, servicesOf, type ServiceDefinition } from "../catalog";
import type { EnvironmentConfig } from "../environments";
import { imageVariableName, tfvarsFile, type StackKind } from "../lib/naming";
import { readTfvars } from "../lib/tfvars";
import { type Command, type CommandSpec, findEnvironment, main, OperationError, UsageError, withDefaults, envOption, dirOption } from "./cli";
import { TAG_COMMIT, VERSION } from "../lib/patterns";

type Key = "env" | "stack" | "commit" | "dir";

/** Flags and help of `build-plan`. */
export const BUILD_PLAN: CommandSpec<Key> = {
  name: "build-plan",
  usage: "--env <env> --stack services|gateway [--commit <sha>] [--dir <folder>]",
  summary: [
    "Reads VERSION at the repository root and <dir>/<env>.auto.tfvars, and prints for $GITHUB_OUTPUT:",
    "tag=v<VERSION>-<short sha>, commit=<sha>, build=true|false, services=<names to set-image>,",
    "matrix=<JSON of the images to build>. An image is built only when a path of its build inputs",
    "changed since the commit its current tag names (or that commit is unknown).",
  ].join("\n"),
  options: {
    env: envOption("environment whose tfvars file names the current images"),
    stack: { value: "<stack>", description: "which images: services (phase 1) or gateway (phase 3)" },
    commit: { value: "<sha>", description: "the deploy's commit, to build from", default: "HEAD" },
    dir: dirOption("holding the tfvars files"),
  },
  exitCodes: {
    failed: "git failed (not in a work tree, or --commit is not a commit)",
    usage: "bad flag, or VERSION is missing or empty",
  },
};

/** One image to build: a row of the build job's matrix. */
export interface ImageToBuild {
  readonly service: string;
  readonly image: string;
  readonly dockerfile: string;
  readonly context: string;
}

/** What a deploy of one stack builds. */
export interface BuildPlan {
  /** `v<VERSION>-<short sha>` of the deploy's commit. */
  readonly tag: string;
  /** The deploy's commit, in full. */
  readonly commit: string;
  /** Images whose inputs changed, in catalog order. */
  readonly build: readonly ImageToBuild[];
  /** One line per image: what happens to it and why. */
  readonly reasons: readonly string[];
}

function git(root: string, ...args: string[]): { code: number; out: string } {
  try {
    return { code: 0, out: execFileSync("git", ["-C", root, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim() };
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (typeof status !== "number") throw new OperationError(`git ${args[0]} could not run: ${(error as Error).message}`);
    return { code: status, out: "" };
  }
}

/** The release version at the repository root; a missing or empty VERSION is one clear line. */
export function readVersion(root: string): string {
  const file = path.join(root, "VERSION");
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`VERSION at the repository root (${file}) is missing; create it with the release version, e.g. 1.0.0`);
  }
  const version = text.trim();
  if (version === "") throw new UsageError(`VERSION at the repository root (${file}) is empty; write the release version in it, e.g. 1.0.0`);
  if (!VERSION.test(version)) {
    throw new UsageError(`VERSION ${JSON.stringify(version.slice(0, 40))} is not valid; use letters, digits, '.', '_' or '-', e.g. 1.0.0 (it becomes part of every image tag)`);
  }
  return version;
}

/** Decides what `stack`'s images need at `commit`, given the tfvars text naming the current images. */
export function planBuilds(options: {
  env: EnvironmentConfig;
  stack: StackKind;
  root: string;
  commit: string;
  tfvars: string;
  tfvarsName: string;
  catalog?: readonly ServiceDefinition[];
}): BuildPlan {
  const version = readVersion(options.root);
  const full = git(options.root, "rev-parse", "--verify", "--quiet", `${options.commit}^{commit}`);
  if (full.code !== 0) throw new OperationError(`--commit ${JSON.stringify(options.commit)} is not a commit of ${options.root}; give a commit of the checked-out history (fetch-depth: 0)`);
  const short = git(options.root, "rev-parse", "--short", full.out).out;
  const tag = `v${version}-${short}`;
  const current = readTfvars(options.tfvars, options.tfvarsName);
  const build: ImageToBuild[] = [];
  const reasons: string[] = [];
  for (const service of servicesOf(options.catalog ?? SERVICES, options.stack)) {
    const recipe = service.build;
    const value = current.get(imageVariableName(service.name)) ?? "";
    const from = TAG_COMMIT.exec(value)?.[1];
    const row: ImageToBuild = { service: service.name, image: service.image, dockerfile: recipe.dockerfile, context: recipe.context };
    if (value.endsWith(`:${tag}`)) {
      reasons.push(`${service.image}: keep ${tag} (already this commit's image)`);
    } else if (from === undefined || git(options.root, "cat-file", "-e", `${from}^{commit}`).code !== 0) {
      build.push(row);
      reasons.push(`${service.image}: build ${tag} (the current image names no commit of this history)`);
    } else if (git(options.root, "diff", "--quiet", from, full.out, "--", ...recipe.inputs).code !== 0) {
      build.push(row);
      reasons.push(`${service.image}: build ${tag} (${recipe.inputs.join(", ")} changed since ${from})`);
    } else {
      reasons.push(`${service.image}: keep ${value.slice(value.lastIndexOf(":") + 1)} (no build input changed since ${from})`);
    }
  }
  return { tag, commit: full.out, build, reasons };
}

/** The `$GITHUB_OUTPUT` lines of a plan. */
export function outputLines(plan: BuildPlan): string[] {
  return [
    `tag=${plan.tag}`,
    `commit=${plan.commit}`,
    `build=${plan.build.length > 0}`,
    `services=${plan.build.map((b) => b.service).join(" ")}`,
    `matrix=${JSON.stringify({ include: plan.build })}`,
  ];
}

/** `npm run build-plan`: the $GITHUB_OUTPUT lines on stdout, and why on stderr. */
export const command: Command<Key> = {
  spec: BUILD_PLAN,
  action: (given, io) => {
    const flags = withDefaults(BUILD_PLAN, given);
    const env = findEnvironment(flags.env);
    const stack = flags.stack;
    if (stack !== "services" && stack !== "gateway") throw new UsageError(`--stack ${JSON.stringify(stack)} is not valid; use services or gateway`);
    const dir = flags.dir as string;
    const top = git(dir, "rev-parse", "--show-toplevel");
    if (top.code !== 0) throw new OperationError(`--dir ${JSON.stringify(dir)} is not inside a git work tree; run in a checkout of the repository`);
    const file = path.join(dir, tfvarsFile(env));
    let tfvars: string;
    try {
      tfvars = fs.readFileSync(file, "utf8");
    } catch {
      throw new UsageError(`${file} cannot be read; give --dir the folder holding ${tfvarsFile(env)}`);
    }
    const plan = planBuilds({ env, stack, root: top.out, commit: flags.commit as string, tfvars, tfvarsName: file });
    for (const reason of plan.reasons) io.err(reason);
    for (const line of outputLines(plan)) io.out(line);
  },
};

if (require.main === module) main(command);
