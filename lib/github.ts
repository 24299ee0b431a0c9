/**
 * What the `github` stack publishes and the generated workflows rely on, derived
 * from one environment and the repository config: the Actions variables, the
 * labels and the names GitHub matches by. Pure functions, so the stack and the workflow
 * generator cannot disagree. The GitHub environments themselves are in
 * lib/ci, since the foundation binds its accounts to them too. Kept below
 * the constructs, since the workflows read it as well.
 */
import type { GithubConfig, IssueLabelConfig } from "../environments/github";
import type { EnvironmentConfig } from "../environments/types";
import { ALLOW_DESTROY_LABEL } from "./plan";
import { ciAccountEmail, type CiJob } from "./ci";
import { registryUrl, workloadIdentityProviderName } from "./naming";

/** The Actions variables every workflow reads as `vars.<NAME>`. */
export const ACTIONS_VARIABLES = {
  /** GCP project id, e.g. `mindmirror-69`. */
  projectId: "GCP_PROJECT_ID",
  /** GCP project number. */
  projectNumber: "GCP_PROJECT_NUMBER",
  /** Region of the services and the registry. */
  region: "GCP_REGION",
  /** `workload_identity_provider` of google-github-actions/auth. */
  workloadIdentityProvider: "GCP_WORKLOAD_IDENTITY_PROVIDER",
  /** `service_account` of google-github-actions/auth. */
  serviceAccount: "GCP_SERVICE_ACCOUNT",
  /** Registry images are pushed to, e.g. `us-east4-docker.pkg.dev/mindmirror-69/mindmirror`. */
  registry: "GCP_REGISTRY",
} as const;

/**
 * Name -> value of each Actions variable of the GitHub environment where `env`'s
 * jobs of kind `job` run, in a stable order. Only the service account differs:
 * the deployer where `tofu apply` runs, the builder where unattended jobs run
 * (the deployer too where there is no gate, and so no builder), the planner
 * where the read-only plans run.
 */
export function actionsVariables(env: EnvironmentConfig, job: CiJob): ReadonlyArray<readonly [string, string]> {
  return [
    [ACTIONS_VARIABLES.projectId, env.project.id],
    [ACTIONS_VARIABLES.projectNumber, env.project.number],
    [ACTIONS_VARIABLES.region, env.region],
    [ACTIONS_VARIABLES.workloadIdentityProvider, workloadIdentityProviderName(env)],
    [ACTIONS_VARIABLES.serviceAccount, ciAccountEmail(env, job)],
    [ACTIONS_VARIABLES.registry, registryUrl(env)],
  ];
}

/** A Terraform-address-safe form of a GitHub name: `production-ci` -> `production-ci`, `release/1` -> `release_1`. */
export function addressPart(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_-]/g, "_");
  return /^[A-Za-z_]/.test(safe) ? safe : `_${safe}`;
}

/**
 * The job name of the pull-request workflow's checks (tests, synth, validate):
 * a ruleset requires it, so GitHub matches it by this name.
 */
export const PULL_REQUEST_CHECK = "Test, synthesize and validate";

/**
 * Labels the workflows put on issues and PRs besides the environment's own
 * ({@link environmentLabel}); each must be one of `GithubConfig.labels`.
 */
export const PIPELINE_LABELS = {
  deployment: "deployment",
  gateway: "gateway",
  success: "success",
  failure: "failure",
  /** Added to failure issues of a gated environment: a person approved something that broke. */
  critical: "critical",
  /** Issues of the drift detection, one per stack. */
  drift: "drift",
  /** Added by a reviewer, on purpose, to let a plan replace or destroy stateful resources where they are protected. */
  allowDestroy: ALLOW_DESTROY_LABEL,
} as const;

/** Every fixed label the pipeline uses; each must be one of `GithubConfig.labels`. */
export function requiredLabels(): string[] {
  return Object.values(PIPELINE_LABELS);
}

/**
 * The label of one environment's issues and PRs (`staging`): red where a
 * person approves its deploys, yellow where nobody does.
 */
export function environmentLabel(env: EnvironmentConfig): IssueLabelConfig {
  const color = env.approval.gate.kind === "reviewers" ? "b60205" : "fbca04";
  return { name: env.name, color, description: `Concerns the ${env.name} environment` };
}

/** Every label of the repository the github stack manages: the fixed ones, then one per environment. */
export function repositoryLabels(github: GithubConfig, environments: readonly EnvironmentConfig[]): IssueLabelConfig[] {
  return [...github.labels, ...environments.map(environmentLabel)];
}
