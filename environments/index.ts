import { production } from "./production";
import { staging } from "./staging";
import type { EnvironmentConfig } from "./types";

export type { ApprovalGate, BackendConfig, EnvironmentConfig, LogLevel, NoGate, ReviewerGate } from "./types";
export { validateEnvironments } from "./guards";
export { validateEnvironment } from "./validate";

/** Every environment the app synthesizes, in deploy order. */
export const ENVIRONMENTS: readonly EnvironmentConfig[] = [staging, production];

export { production, staging };
