/**
 * mark-healthy: records a service's image as the last one that passed its
 * health check (`<env>.healthy.json`), after the gateway apply's check passed.
 * The image is read from the tfvars file the applied plan was made from.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { imageVariableName, tfvarsFile } from "../lib/naming";
import { readTfvars } from "../lib/tfvars";
import { type Command, type CommandSpec, findEnvironment, findService, type Flags, main, UsageError, withDefaults, envOption, serviceOption, dirOption } from "./cli";
import { imageFlags, readHealthyImages, writeHealthyImages, type HealthyImage } from "./healthy-images";
import { COMMIT_SHA, HTTPS_LINK } from "../lib/patterns";

type Key = "env" | "service" | "tfvars" | "commit" | "run" | "dir";

/** Flags and help of `mark-healthy`. */
export const MARK_HEALTHY: CommandSpec<Key> = {
  name: "mark-healthy",
  usage: "--env <env> --service <name> [--tfvars <file>] [--commit <sha>] [--run <url>] [--dir <folder>]",
  summary: [
    "Records the service's image in --tfvars as the last one that passed its health check, in",
    "<dir>/<env>.healthy.json (other services' entries stay). restore-healthy reads it after a failed check.",
  ].join("\n"),
  options: {
    env: envOption("environment"),
    service: serviceOption("gateway"),
    tfvars: { value: "<file>", description: "tfvars file the applied plan was made from", defaultLabel: "<dir>/<env>.auto.tfvars" },
    commit: { value: "<sha>", description: "commit the passing apply was planned from (7-40 hex digits)" },
    run: { value: "<url>", description: "https:// URL of the run whose check passed" },
    dir: dirOption("holding the record"),
  },
  exitCodes: {
    failed: "the record could not be written",
    usage: "bad flag, or a tfvars file or record that is missing or malformed; nothing was written",
  },
};

/** Records the image; returns the record file and the entry written. */
export function markHealthy(flags: Flags<Key>, now: Date = new Date()): { file: string; entry: HealthyImage } {
  const env = findEnvironment(flags.env);
  const service = findService(flags.service);
  if (flags.commit !== undefined && !COMMIT_SHA.test(flags.commit)) {
    throw new UsageError(`--commit ${JSON.stringify(flags.commit)} is not a commit SHA; use 7-40 lowercase hex digits`);
  }
  if (flags.run !== undefined && !HTTPS_LINK.test(flags.run)) throw new UsageError(`--run ${JSON.stringify(flags.run)} is not an https:// URL; give the run's URL`);
  const dir = withDefaults(MARK_HEALTHY, flags).dir as string;
  const tfvars = flags.tfvars ?? path.join(dir, tfvarsFile(env));
  let text: string;
  try {
    text = fs.readFileSync(tfvars, "utf8");
  } catch (error) {
    throw new UsageError(`--tfvars ${JSON.stringify(tfvars)} cannot be read (${(error as NodeJS.ErrnoException).code}); give the tfvars file the applied plan was made from`);
  }
  let image: string | undefined;
  try {
    image = readTfvars(text, tfvars).get(imageVariableName(service.name));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (image === undefined) throw new UsageError(`--tfvars ${JSON.stringify(tfvars)} sets no ${imageVariableName(service.name)}; give the ${env.name} tfvars file`);
  imageFlags(env, service, image, tfvars);
  const entry: HealthyImage = { image, passedAt: now.toISOString(), ...(flags.commit ? { commit: flags.commit } : {}), ...(flags.run ? { run: flags.run } : {}) };
  const file = writeHealthyImages(env, dir, { ...readHealthyImages(env, dir), [service.name]: entry });
  return { file, entry };
}

/** `npm run mark-healthy`: record the image and say where. */
export const command: Command<Key> = {
  spec: MARK_HEALTHY,
  action: (flags, io) => {
    const { file, entry } = markHealthy(flags);
    io.out(`${flags.env} ${flags.service}: ${entry.image} passed its health check; recorded in ${file}`);
  },
};

if (require.main === module) main(command);
