/**
 * set-image: points one service of one environment at a new image by editing
 * `<env>.auto.tfvars` in place. Phases 1 and 3 of the pipeline call it instead
 * of `sed`, so a typo in a tag fails here rather than at `tofu plan`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ServiceDefinition } from "../catalog";
import type { EnvironmentConfig } from "../environments";
import { imageProblem, isLatest, RELEASE_TAG_PREFIX } from "../lib/images";
import { imageRepositoryPath, imageVariableName, tfvarsFile } from "../lib/naming";
import { readTfvars, setTfvar } from "../lib/tfvars";
import { type Action, type Command, type CommandSpec, type Flags, findEnvironment, findService, main, UsageError, withDefaults, envOption, serviceOption, dirOption } from "./cli";
import { type LockOptions, updateFile } from "./file-update";

type Key = "env" | "service" | "tag" | "digest" | "dir";

/** Flags and help of `set-image`. */
export const SET_IMAGE: CommandSpec<Key> = {
  name: "set-image",
  usage: "--env <env> --service <name> (--tag <tag> | --digest sha256:<64 hex>) [--dir <folder>]",
  summary: [
    "Sets one service's image in <dir>/<env>.auto.tfvars, changing only that value:",
    "comments, spacing and every other line stay as they are. Prints the change.",
  ].join("\n"),
  options: {
    env: envOption("environment whose tfvars file to edit"),
    service: serviceOption("agent-service or gateway"),
    tag: { value: "<tag>", description: "image tag, e.g. v1.0.0-252ad69" },
    digest: { value: "sha256:<64 hex>", description: "image digest, instead of --tag" },
    dir: dirOption("holding the tfvars files"),
  },
  exitCodes: {
    failed: "the file could not be written, or another run held its lock for 30 s",
    usage: "bad flag, or the tfvars file is missing or malformed; the file is unchanged",
  },
};

/** The flags naming an image to set. */
export interface SetImageRequest {
  readonly env?: string;
  readonly service?: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** A checked request: which variable of which environment gets which image. */
export interface ImageTarget {
  readonly env: EnvironmentConfig;
  readonly variable: string;
  readonly image: string;
}

/** One image variable's old and new value. */
export interface ImageChange {
  readonly variable: string;
  readonly from: string;
  readonly to: string;
}

/**
 * Checks the flags and builds the full image reference, with the same
 * pattern OpenTofu's variable validation uses. Throws a UsageError naming the
 * flag: unknown env or service, a malformed tag or digest, or not exactly one
 * of `--tag` and `--digest`.
 */
export function resolveImage(request: SetImageRequest): ImageTarget {
  const env = findEnvironment(request.env);
  const service = findService(request.service);
  return { env, variable: imageVariableName(service.name), image: imageReference(env, service, request.tag, request.digest) };
}

function imageReference(env: EnvironmentConfig, service: ServiceDefinition, tag?: string, digest?: string): string {
  const repository = imageRepositoryPath(env, service.image);
  if (tag !== undefined && digest !== undefined) {
    throw new UsageError(`--tag ${JSON.stringify(tag)} and --digest ${JSON.stringify(digest)} are both given; give only one`);
  }
  if (tag !== undefined) {
    const value = `${repository}:${tag}`;
    if (isLatest(value)) {
      throw new UsageError(`--tag "latest" is not allowed; it does not say which build runs, and the registry's cleanup does not keep it: give the release tag the build pushed (e.g. v1.0.0-252ad69)`);
    }
    if (imageProblem(env, service.image, value) !== undefined) {
      throw new UsageError(
        `--tag ${JSON.stringify(tag)} is not a valid image tag; use a release tag: "${RELEASE_TAG_PREFIX}" then up to 127 letters, digits, "_", "." or "-" (e.g. v1.0.0-252ad69)`,
      );
    }
    return value;
  }
  if (digest !== undefined) {
    const value = `${repository}@${digest}`;
    if (imageProblem(env, service.image, value) !== undefined) {
      throw new UsageError(`--digest ${JSON.stringify(digest)} is not an image digest; use sha256: followed by 64 lowercase hex digits`);
    }
    return value;
  }
  throw new UsageError("--tag or --digest is required; give --tag <tag> (e.g. v1.0.0-252ad69) or --digest sha256:<64 hex digits>");
}

/**
 * Returns the tfvars `text` with the target's variable set, and the change.
 * Pure: `file` only names the source in error messages. A malformed file, or
 * one without the variable, is a UsageError.
 */
export function setImage(text: string, file: string, target: ImageTarget): { text: string; change: ImageChange } {
  try {
    const updated = setTfvar(text, file, target.variable, target.image);
    // setTfvar has thrown unless the variable is set.
    const from = readTfvars(text, file).get(target.variable) as string;
    return { text: updated, change: { variable: target.variable, from, to: target.image } };
  } catch (error) {
    // The file is input too: a malformed one is the caller's to fix, and nothing was written.
    throw new UsageError((error as Error).message);
  }
}

/**
 * Applies the flags to `<dir>/<env>.auto.tfvars` and returns the change;
 * writes only when the value differs. The edit runs under the file's lock and
 * replaces the file in one rename, so concurrent runs each keep their change.
 */
export function setImageInFile(flags: Flags<Key>, lock: LockOptions = {}): ImageChange {
  const target = resolveImage(flags);
  const dir = withDefaults(SET_IMAGE, flags).dir as string;
  const name = tfvarsFile(target.env);
  const file = path.join(dir, name);
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (stat === undefined || !stat.isFile()) {
    throw new UsageError(`--dir ${JSON.stringify(dir)} has no readable ${name} (${stat === undefined ? "ENOENT" : "not a file"}); point --dir at the folder holding it`);
  }
  let change: ImageChange | undefined;
  updateFile(
    file,
    (text) => {
      const result = setImage(text, file, target);
      change = result.change;
      return result.text;
    },
    lock,
  );
  return change!;
}

/** The line printed for a change. */
export function describeChange(envName: string, change: ImageChange): string {
  return change.from === change.to
    ? `${envName} ${change.variable}: already ${change.to}; nothing changed`
    : `${envName} ${change.variable}: ${change.from} -> ${change.to}`;
}

/** What `npm run set-image` does with its flags: apply them and print the change. */
export const setImageCommand: Action<Key> = (flags, io) => {
  const change = setImageInFile(flags);
  io.out(describeChange(flags.env as string, change));
};

/** `npm run set-image`. */
export const command: Command<Key> = { spec: SET_IMAGE, action: setImageCommand };

if (require.main === module) main(command);
