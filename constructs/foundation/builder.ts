import type { Construct } from "constructs";
import type { EnvironmentConfig } from "../../environments/types";
import { ConfigError } from "../../lib/errors";
import { CiAccount, type CiGrantTargets } from "./ci-account";
import { BUILDER_ROLES } from "./deployer-roles";
import type { GithubIdentity } from "./github-identity";

/** Props of {@link Builder}. */
export interface BuilderProps extends CiGrantTargets {
  /** An environment whose applies wait for reviewers (`approval.gate.kind: "reviewers"`), and so with a builder. */
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

/** The builder's account id; only an environment with a reviewer gate has a builder. */
function builderAccountId(props: BuilderProps): string {
  const env = props.environment;
  const accountId = props.identity.topology.builderAccountId;
  if (accountId === undefined) {
    throw new ConfigError(
      `environments.${env.name}.approval.gate.kind`,
      env.approval.gate.kind,
      "a Builder exists for environments whose applies wait for reviewers (\"reviewers\"); without a gate every job uses the deployer",
    );
  }
  return accountId;
}
