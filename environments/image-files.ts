import * as fs from "node:fs";
import * as path from "node:path";
import { check } from "../lib/errors";
import { tfvarsFile, tfvarsPath } from "../lib/naming";
import { readTfvars } from "../lib/tfvars";
import type { EnvironmentConfig } from "./types";
import { isEnvironmentName } from "./validate";

/**
 * Reads `<dir>/<env>.auto.tfvars` into a name -> value map. The environment's
 * name is checked first, since it becomes part of the path.
 */
export function loadImages(env: EnvironmentConfig, dir: string): Map<string, string> {
  check(isEnvironmentName(env.name), "environments.<env>.name", env.name, "use 2-20 lowercase letters or digits, starting with a letter");
  const label = tfvarsPath(env);
  const file = path.join(dir, tfvarsFile(env));
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  check(stat !== undefined, label, file, "create it with one <service>_image = \"...\" line per deployable");
  check(stat!.isFile(), label, file, "it is a folder, not a file; remove the folder and create the file with one <service>_image = \"...\" line per deployable");
  return readTfvars(fs.readFileSync(file, "utf8"), label);
}
