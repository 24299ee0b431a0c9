import { ConfigErrors } from "../lib/errors";
import { discoverEnvironments } from "./discover";
import { production } from "./production";
import { staging } from "./staging";
import type { EnvironmentConfig } from "./types";

export type { ApprovalGate, BackendConfig, EnvironmentConfig, LogLevel, NoGate, ReviewerGate } from "./types";
export { validateEnvironments } from "./guards";
export { validateEnvironment } from "./validate";

const discovered = discoverEnvironments(__dirname);

/** Every environment the app synthesizes, in deploy order: each `environments/<name>.ts` beside its `<name>.auto.tfvars`. */
export const ENVIRONMENTS: readonly EnvironmentConfig[] = discovered.environments;

/** The module that defines each environment, for messages about an environment as a whole. */
export const ENVIRONMENT_SOURCES = discovered.sources;

/** Files of environments/ that make no environment; synth reports them before anything else. */
export const ENVIRONMENT_FILE_PROBLEMS = discovered.problems;

/** Throws every file of environments/ that makes no environment, one line each: the discovered list is only whole without them. */
export function checkEnvironmentFiles(): void {
  if (ENVIRONMENT_FILE_PROBLEMS.length > 0) throw new ConfigErrors(ENVIRONMENT_FILE_PROBLEMS);
}

// The two that tests and the docs name directly.
export { production, staging };
