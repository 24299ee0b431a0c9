import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../../environments/types";
import { CiAccount, type CiGrantTargets } from "./ci-account";
import { PLANNER_ROLES } from "./deployer-roles";
import type { GithubIdentity } from "./github-identity";

/** Props of {@link Planner}. */
export interface PlannerProps extends CiGrantTargets {
  readonly environment: EnvironmentConfig;
  /** Where the pipeline's GitHub tokens come from; jobs of the plans' GitHub environment may impersonate the planner. */
  readonly identity: GithubIdentity;
}

/**
 * The read-only service account (`github-planner-<env>`) of the plans that
 * nobody approves: the pull-request workflow's plan of every stack of the
 * environment its base branch deploys, and the daily drift detection. Only
 * jobs of the plans' GitHub environment (`staging-plan`) may become it, and
 * its roles ({@link PLANNER_ROLES}) only read, so code in a pull request can
 * see what a merge would change but change nothing. `targets.statePrefixes`
 * names every stack's prefix, the foundation's included. New, so created,
 * never imported.
 */
export class Planner extends CiAccount {
  constructor(scope: Construct, id: string, props: PlannerProps) {
    const env = props.environment;
    super(scope, id, {
      environment: env,
      accountId: env.ci.plannerAccountId,
      name: "planner",
      displayName: `GitHub Actions planner (${env.name})`,
      description: "Plans every stack of the environment read-only for pull requests and drift detection; managed by mindmirror-infra foundation.",
      principal: props.identity.principalSetFor("plan"),
      roles: PLANNER_ROLES,
      targets: props,
    });
  }
}
