/**
 * restore-healthy: after a failed health check, points a service back at the
 * last image that passed one (`<env>.healthy.json`), through set-image. The
 * workflow then commits the tfvars file and applies it again.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { imageVariableName, tfvarsFile } from "../lib/naming";
import { readTfvars } from "../lib/tfvars";
import { type Command, type CommandSpec, findEnvironment, findService, type Flags, main, OperationError, withDefaults, envOption, serviceOption, dirOption } from "./cli";
import { healthyImagesPath, imageFlags, readHealthyImages, type HealthyImage } from "./healthy-images";
import { describeChange, setImageInFile, type ImageChange } from "./set-image";

type Key = "env" | "service" | "dir";

/** Flags and help of `restore-healthy`. */
export const RESTORE_HEALTHY: CommandSpec<Key> = {
  name: "restore-healthy",
  usage: "--env <env> --service <name> [--dir <folder>]",
  summary: [
    "Sets the service's image in <dir>/<env>.auto.tfvars to the last one that passed its health check",
    "(<dir>/<env>.healthy.json, written by mark-healthy), with set-image. Prints the change, then when and",
    "where that image passed. Commits nothing.",
  ].join("\n"),
  options: {
    env: envOption("environment"),
    service: serviceOption("gateway"),
    dir: dirOption("holding the tfvars file and the record"),
  },
  exitCodes: {
    failed: "no image of the service has passed a health check yet, or the tfvars file already names it (nothing to roll back to), or the file could not be written",
    usage: "bad flag, or a tfvars file or record that is malformed; nothing was written",
  },
};

/** Restores the last healthy image; returns the change and the record it came from. */
export function restoreHealthy(flags: Flags<Key>): { change: ImageChange; healthy: HealthyImage } {
  const env = findEnvironment(flags.env);
  const service = findService(flags.service);
  const dir = withDefaults(RESTORE_HEALTHY, flags).dir as string;
  const record = healthyImagesPath(env, dir);
  const healthy = readHealthyImages(env, dir)[service.name];
  if (healthy === undefined) {
    throw new OperationError(
      `no ${service.name} image of ${env.name} has passed its health check yet (${record} has no entry for it); roll back by hand with the rollback workflow and a known good ref`,
    );
  }
  const target = imageFlags(env, service, healthy.image, record);
  const tfvars = path.join(dir, tfvarsFile(env));
  // Re-applying the image that just failed would change nothing.
  const current = fs.existsSync(tfvars) ? readTfvars(fs.readFileSync(tfvars, "utf8"), tfvars).get(imageVariableName(service.name)) : undefined;
  if (current === healthy.image) {
    throw new OperationError(`${tfvars} already names ${healthy.image}, the last ${service.name} image that passed its health check; nothing to roll back to`);
  }
  const change = setImageInFile({ env: env.name, service: service.name, dir, ...target });
  return { change, healthy };
}

/** `npm run restore-healthy`: restore the last healthy image and print the change. */
export const command: Command<Key> = {
  spec: RESTORE_HEALTHY,
  action: (flags, io) => {
    const { change, healthy } = restoreHealthy(flags);
    io.out(describeChange(flags.env as string, change));
    io.out(`  passed its health check at ${healthy.passedAt}${healthy.commit ? ` (commit ${healthy.commit})` : ""}${healthy.run ? ` in ${healthy.run}` : ""}`);
  },
};

if (require.main === module) main(command);
