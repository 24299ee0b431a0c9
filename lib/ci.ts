/**
 * The pipeline's identity topology of one environment, derived from its
 * approval gate (`approval.gate`) and nothing else: which GitHub environments
 * exist, which kind of job runs in each, which CI account each kind becomes,
 * who approves, and which branches may run there. The foundation (Workload
 * Identity condition and bindings), the github stack (GitHub environments,
 * reviewers, variables) and the workflows (each job's `environment:`) all read
 * it, so they cannot disagree.
 */
import type { GithubConfig } from "../environments/github";
import type { EnvironmentConfig, ReviewerGate } from "../environments/types";
import { serviceAccountEmail } from "./naming";

/**
 * The kinds of job that authenticate to Google Cloud: `tofu apply`, what runs
 * unattended in the pipeline (image builds, the plans before an approval), and
 * the read-only plans of pull requests and the drift detection.
 */
export type CiJob = "deploy" | "unattended" | "plan";

/** One GitHub environment of an environment's pipeline. */
export interface GithubEnvironmentSpec {
  /** Its name in GitHub, e.g. `production-ci`. */
  readonly name: string;
  /** The kinds of job that run in it. */
  readonly jobs: readonly CiJob[];
  /** The account its jobs become: its `GCP_SERVICE_ACCOUNT` variable names it. */
  readonly account: CiJob;
  /** Where it is the approval gate: the gate, with its reviewers. */
  readonly gate?: ReviewerGate;
  /**
   * Branches whose workflow runs may use it.
   * @default - every ref: the read-only plans run for pull requests, on `refs/pull/<n>/merge`
   */
  readonly branches?: readonly string[];
}

/** What the approval gate of one environment makes of its pipeline. */
export interface CiTopology {
  /** True when a person approves each apply. */
  readonly gated: boolean;
  /** The GitHub environment each kind of job runs in. */
  readonly environmentOf: Readonly<Record<CiJob, string>>;
  /** The id of the CI account each kind of job becomes. */
  readonly accountOf: Readonly<Record<CiJob, string>>;
  /** The builder's account id, where the gate needs one. */
  readonly builderAccountId?: string;
  /** Every distinct GitHub environment, the deploy's first and the plans' last. */
  readonly githubEnvironments: readonly GithubEnvironmentSpec[];
}

/** The CI account id each kind of job of `env` becomes: the builder for unattended jobs behind a gate, else the deployer; the planner for plans. */
export function ciAccounts(env: EnvironmentConfig): Readonly<Record<CiJob, string>> {
  const deployer = env.ci.deployerAccountId;
  return { deploy: deployer, unattended: builderAccountId(env) ?? deployer, plan: env.ci.plannerAccountId };
}

/** Email of the account a job of kind `job` authenticates as. */
export function ciAccountEmail(env: EnvironmentConfig, job: CiJob): string {
  return serviceAccountEmail(env, ciAccounts(env)[job]);
}

/** The builder's account id, where the environment has a gate: `github-builder-production`. */
export function builderAccountId(env: EnvironmentConfig): string | undefined {
  const gate = env.approval.gate;
  return gate.kind === "reviewers" ? gate.unattended.builderAccountId : undefined;
}

/** Email of the builder, where the environment has a gate: `github-builder-production@mindmirror-prod.iam.gserviceaccount.com`. */
export function builderEmail(env: EnvironmentConfig): string | undefined {
  const id = builderAccountId(env);
  return id === undefined ? undefined : serviceAccountEmail(env, id);
}

/**
 * Branches allowed to deploy to the GitHub environments of `env`: its own
 * branch and the default branch. GitHub runs a `workflow_run`-triggered job on
 * the default branch (GITHUB_REF), and every environment's pipeline chains at
 * least one phase that way, so without it the chained jobs would be refused
 * ("Branch main is not allowed to deploy"). The default branch only ever runs
 * reviewed workflows, and they check out `env.branch` explicitly.
 */
export function deploymentBranches(env: EnvironmentConfig, github: GithubConfig): string[] {
  return [...new Set([env.branch, github.defaultBranch])];
}

/** The GitHub environment of the read-only plans of `env`: `staging-plan`. */
export function planEnvironment(env: EnvironmentConfig, github: GithubConfig): string {
  return `${env.name}${github.planEnvironmentSuffix}`;
}

/**
 * The topology of `env`'s pipeline. Without a gate: `staging` for applies and
 * builds alike, as the deployer. With one: `production` (gated) as the
 * deployer, `production-ci` as the builder. Always: `<env>-plan`, open to
 * every ref, as the planner.
 */
export function ciTopology(env: EnvironmentConfig, github: GithubConfig): CiTopology {
  const gate = env.approval.gate;
  const accountOf = ciAccounts(env);
  const branches = deploymentBranches(env, github);
  const plan: GithubEnvironmentSpec = { name: planEnvironment(env, github), jobs: ["plan"], account: "plan" };
  switch (gate.kind) {
    case "none":
      return {
        gated: false,
        environmentOf: { deploy: env.name, unattended: env.name, plan: plan.name },
        accountOf,
        githubEnvironments: [{ name: env.name, jobs: ["deploy", "unattended"], account: "deploy", branches }, plan],
      };
    case "reviewers":
      return {
        gated: true,
        environmentOf: { deploy: gate.githubEnvironment, unattended: gate.unattended.githubEnvironment, plan: plan.name },
        accountOf,
        builderAccountId: gate.unattended.builderAccountId,
        githubEnvironments: [
          { name: gate.githubEnvironment, jobs: ["deploy"], account: "deploy", gate, branches },
          { name: gate.unattended.githubEnvironment, jobs: ["unattended"], account: "unattended", branches },
          plan,
        ],
      };
    // No default: a gate kind added to ApprovalGate without a topology here fails the type check.
  }
}
