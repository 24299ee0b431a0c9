import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../../environments/types";
import { check, ConfigError } from "../../lib/errors";
import { CiAccount, type CiGrantTargets } from "./ci-account";
import { BUILDER_ROLES } from "./deployer-roles";
import type { GithubIdentity } from "./github-identity";

/** Props of {@link Builder}. */
export interface BuilderProps extends CiGrantTargets {
  /** An environment with an approval gate, and so with `ci.builderAccountId`. */
  readonly environment: EnvironmentConfig;
  /** Where the pipeline's GitHub tokens come from; its unattended jobs may impersonate the builder. */
  readonly identity: GithubIdentity;
}

/**
 * The service account unattended jobs use where the environment has an
 * approval gate (`github-builder-<env>`): image builds and the plans that
 * precede each approval. Only jobs of the ungated GitHub environment
 * (`production-ci`) may become it, and it can push images and read what a
 * plan refreshes, nothing more, so a job nobody approved cannot change what
 * runs. Its roles come from one list, {@link BUILDER_ROLES}. The account is
 * new, so it is created, never imported.
 */
export class Builder extends CiAccount {
  constructor(scope: Construct, id: string, props: BuilderProps) {
    const env = props.environment;
    super(scope, id, {
      environment: env,
      accountId: builderAccountId(props),
      name: "builder",
      displayName: `GitHub Actions builder (${env.name})`,
      description: "Pushes images and plans the services and gateway stacks read-only; managed by mindmirror-infra foundation.",
      principal: props.identity.principalSetFor("unattended"),
      roles: BUILDER_ROLES,
      targets: props,
    });
  }
}

/** The builder's account id; only an environment with a gate has a builder. */
function builderAccountId(props: BuilderProps): string {
  const env = props.environment;
  const accountId = env.ci.builderAccountId;
  if (accountId === undefined) {
    throw new ConfigError(
      `environments.${env.name}.ci.builderAccountId`,
      accountId,
      "a Builder needs the account id of the environment's builder; set it where approval.githubEnvironment is set",
    );
  }
  check(
    props.identity.githubEnvironments.gated,
    `environments.${env.name}.approval.githubEnvironment`,
    env.approval.githubEnvironment,
    "a Builder exists for environments with an approval gate; without one every job uses the deployer",
  );
  return accountId;
}
