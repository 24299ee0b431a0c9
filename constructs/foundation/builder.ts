import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { SecretManagerSecretIamMember } from "@cdktf/provider-google/lib/secret-manager-secret-iam-member";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { ServiceAccountIamMember } from "@cdktf/provider-google/lib/service-account-iam-member";
import { Construct } from "constructs";
import type { EnvironmentConfig } from "../../environments/types";
import { check, ConfigError } from "../../lib/errors";
import { terraformName } from "./deployer";
import { BUILDER_ROLES, type BuilderRole, type BuilderScope } from "./deployer-roles";
import type { GithubIdentity } from "./github-identity";
import type { ImageRegistry } from "./image-registry";
import { StatePrefixAccess } from "./state-bucket";

/** Props of {@link Builder}: the resources it is granted on, as objects or as names that exist outside this stack. */
export interface BuilderProps {
  /** An environment with an approval gate, and so with `ci.builderAccountId`. */
  readonly environment: EnvironmentConfig;
  /** Where the pipeline's GitHub tokens come from; its unattended jobs may impersonate the builder. */
  readonly identity: GithubIdentity;
  /** The repository the builder pushes to. */
  readonly registry: ImageRegistry;
  /** Id of the `service-urls-<env>` secret. */
  readonly urlsSecret: string;
  /** The state bucket: its name, or the managed bucket's `name` attribute (which orders the grant after it). */
  readonly stateBucket: string;
  /** State prefixes of the stacks the pipeline plans (`envs/production/services`). */
  readonly statePrefixes: readonly string[];
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
export class Builder extends Construct {
  readonly account: ServiceAccount;
  /** IAM member of the builder. */
  readonly member: string;
  private readonly props: BuilderProps;

  constructor(scope: Construct, id: string, props: BuilderProps) {
    super(scope, id);
    this.props = props;
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

    this.account = new ServiceAccount(this, "account", {
      project: env.project.id,
      accountId,
      displayName: `GitHub Actions builder (${env.name})`,
      description: "Pushes images and plans the services and gateway stacks read-only; managed by mindmirror-infra foundation.",
      // Recreating it would change its unique id and break every binding that names it.
      lifecycle: { preventDestroy: true },
    });
    this.account.overrideLogicalId("builder");
    this.member = `serviceAccount:${this.account.email}`;

    // Only jobs of the ungated GitHub environment may become the builder; the gated one's become the deployer.
    new ServiceAccountIamMember(this, "workload-identity-user", {
      serviceAccountId: this.account.name,
      role: "roles/iam.workloadIdentityUser",
      member: props.identity.principalSetFor("unattended"),
    }).overrideLogicalId("builder_workload_identity_user");

    for (const role of BUILDER_ROLES) this.bind(role);
  }

  /** Grants one role of the list where its scope says. */
  private bind(entry: BuilderRole): void {
    const env = this.props.environment;
    const project = env.project.id;
    const { role } = entry;
    check(/^roles\/[A-Za-z0-9_.]+$/.test(role), "BUILDER_ROLES role", role, "use a predefined role (roles/...); the builder has no custom roles");
    const address = terraformName("builder", role.replace(/^roles\//, ""));
    const id = `${entry.scope}-${role.replace(/^roles\//, "")}`;
    const scope: BuilderScope = entry.scope;
    switch (scope) {
      case "project":
        new ProjectIamMember(this, id, { project, role, member: this.member }).overrideLogicalId(address);
        return;
      case "registry":
        this.props.registry.grant(`builder-${id}`, role, this.member).overrideLogicalId(address);
        return;
      case "service-urls-secret":
        new SecretManagerSecretIamMember(this, id, { project, secretId: this.props.urlsSecret, role, member: this.member })
          .overrideLogicalId(address);
        return;
      case "state-prefix":
        new StatePrefixAccess(this, id, {
          bucket: this.props.stateBucket,
          bucketName: env.backend.bucket,
          prefixes: this.props.statePrefixes,
          role,
          member: this.member,
        }).binding.overrideLogicalId(address);
        return;
      default: {
        // A scope added to BuilderScope without a binding here fails the type check.
        const unbound: never = scope;
        throw new Error(`builder role scope ${JSON.stringify(unbound)} has no binding`);
      }
    }
  }
}
