import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../../environments/types";
import { CiAccount, type CiGrantTargets } from "./ci-account";
import { DEPLOYER_ROLES } from "./deployer-roles";
import type { GithubIdentity } from "./github-identity";

/** Props of {@link Deployer}. */
export interface DeployerProps extends CiGrantTargets {
  readonly environment: EnvironmentConfig;
  /** Where the pipeline's GitHub tokens come from; its deploy jobs may impersonate the deployer. */
  readonly identity: GithubIdentity;
  /**
   * Adopt the account that exists in the live project.
   * @default false - create it
   */
  readonly importExisting?: boolean;
}

/**
 * The service account GitHub Actions deploy as (`github-actions-<env>`): the
 * jobs that run `tofu apply` (with an approval gate, only jobs of the gated
 * GitHub environment; else this repository's) may become it, and its roles
 * are exactly {@link DEPLOYER_ROLES}.
 */
export class Deployer extends CiAccount {
  constructor(scope: Construct, id: string, props: DeployerProps) {
    const env = props.environment;
    super(scope, id, {
      environment: env,
      accountId: env.ci.deployerAccountId,
      name: "deployer",
      displayName: `GitHub Actions deployer (${env.name})`,
      description: "Applies the services and gateway stacks and pushes images; managed by mindmirror-infra foundation.",
      principal: props.identity.principalSetFor("deploy"),
      roles: DEPLOYER_ROLES,
      targets: props,
      importExisting: props.importExisting,
    });
  }
}
