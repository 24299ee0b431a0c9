/**
 * The environments are found, not listed: an environment is the pair
 * `environments/<name>.ts` (exporting `const <name>: EnvironmentConfig`) and
 * `environments/<name>.auto.tfvars` (its images). Adding one is adding those
 * two files; nothing else names it. A module without its tfvars file is not
 * an environment (the pipeline could not deploy it); a tfvars file without its
 * module, or a module that does not export its environment, is a problem,
 * reported one line each when synth validates the environments.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError } from "../lib/errors";
import { TFVARS_SUFFIX } from "../lib/naming";
import type { EnvironmentConfig } from "./types";

/** What {@link discoverEnvironments} found in a folder. */
export interface DiscoveredEnvironments {
  /** Every environment, in deploy order (`deployOrder`, then name). */
  readonly environments: readonly EnvironmentConfig[];
  /** The module that defines each, as `<label>/<name>.ts`. */
  readonly sources: ReadonlyMap<EnvironmentConfig, string>;
  /** Files that do not make an environment, and why. */
  readonly problems: readonly ConfigError[];
}

const TFVARS = new RegExp(`^([a-z][a-z0-9]*)${TFVARS_SUFFIX.replace(/\./g, "\\.")}$`);

/** Finds the environments of `dir`: each `<name>.auto.tfvars` with the `<name>` its `<name>.ts` exports. */
export function discoverEnvironments(dir: string, label = "environments"): DiscoveredEnvironments {
  const found: EnvironmentConfig[] = [];
  const sources = new Map<EnvironmentConfig, string>();
  const problems: ConfigError[] = [];
  for (const file of fs.readdirSync(dir).sort()) {
    const name = TFVARS.exec(file)?.[1];
    if (name === undefined) continue;
    const source = `${label}/${name}.ts`;
    const modulePath = path.join(dir, `${name}.ts`);
    if (!fs.existsSync(modulePath)) {
      problems.push(new ConfigError(`${label}/${file}`, name, `it has no environment: add ${source} exporting \`const ${name}: EnvironmentConfig\`, or remove the file`));
      continue;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const env = (require(modulePath) as Record<string, unknown>)[name] as EnvironmentConfig | undefined;
    if (env === null || typeof env !== "object" || env.name !== name) {
      const shown = env !== null && typeof env === "object" ? (env as { name?: unknown }).name : env;
      problems.push(new ConfigError(`${source} export ${name}`, shown, `export \`const ${name}: EnvironmentConfig\` whose name is "${name}", as its tfvars file is ${file}`));
      continue;
    }
    found.push(env);
    sources.set(env, source);
  }
  const environments = found.sort((a, b) => a.deployOrder - b.deployOrder || a.name.localeCompare(b.name));
  return { environments, sources, problems };
}
