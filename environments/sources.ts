/**
 * Which file defines each environment, so a message about an environment as a
 * whole (a duplicate name) can say where to edit. Found by loading the modules
 * of `environments/` and matching their exports, so no environment has to
 * repeat its own file name.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { EnvironmentConfig } from "./types";

/** Modules of environments/ that hold no environment. */
const NOT_ENVIRONMENTS = new Set(["index", "types", "validate", "guards", "sources", "github", "github-validate", "image-files"]);

/** Maps each environment exported by a module in `dir` to that file, as `<label>/<file>.ts`. */
export function environmentSources(dir: string, label = "environments"): Map<EnvironmentConfig, string> {
  const sources = new Map<EnvironmentConfig, string>();
  for (const file of fs.readdirSync(dir).sort()) {
    const match = /^([a-z0-9-]+)\.ts$/.exec(file);
    if (!match || NOT_ENVIRONMENTS.has(match[1])) continue;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exports = require(path.join(dir, file)) as Record<string, unknown>;
    for (const value of Object.values(exports)) {
      if (value !== null && typeof value === "object" && !sources.has(value as EnvironmentConfig)) {
        sources.set(value as EnvironmentConfig, `${label}/${file}`);
      }
    }
  }
  return sources;
}
