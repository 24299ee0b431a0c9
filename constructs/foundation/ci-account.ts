import { ProjectIamCustomRole } from "@cdktf/provider-google/lib/project-iam-custom-role";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { SecretManagerSecretIamMember } from "@cdktf/provider-google/lib/secret-manager-secret-iam-member";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { ServiceAccountIamMember } from "@cdktf/provider-google/lib/service-account-iam-member";
import { StorageBucketIamMember } from "@cdktf/provider-google/lib/storage-bucket-iam-member";
import { Construct } from "constructs";
import type { EnvironmentConfig } from "../../environments/types";
import { check } from "../../lib/errors";
import { serviceAccountEmail, terraformName } from "../../lib/naming";
import { cloudRunServicesCondition } from "./deployer-roles";
import { importExisting } from "../import-existing";
import type { DeployerRole, DeployerScope } from "./deployer-roles";
import type { ImageRegistry } from "./image-registry";
import { StatePrefixAccess } from "./state-bucket";
import type { Grantee } from "../../lib/grantee";
import { CUSTOM_ROLE_ID, PREDEFINED_ROLE } from "../../lib/patterns";


/** What a CI account's roles are granted on: objects of this stack, or names of what exists outside it. */
export interface CiGrantTargets {
  /** The repository images are pushed to. */
  readonly registry: ImageRegistry;
  /**
   * Resource names (`projects/<project>/serviceAccounts/<email>`, normally the
   * `name` attribute of the account this stack creates) of the runtime
   * accounts the pipeline deploys services as, by service base name (`agent-service`).
   */
  readonly runtimeAccounts: Readonly<Record<string, string>>;
  /** Cloud Run names of the services the pipeline deploys (`journal-service-staging`): the only ones it may change. */
  readonly cloudRunServices: readonly string[];
  /** Id of the `service-urls-<env>` secret. */
  readonly urlsSecret: string;
  /** The state bucket: its name, or the managed bucket's `name` attribute (which orders the grants after it). */
  readonly stateBucket: string;
  /** State prefixes of the stacks the pipeline plans and applies (`envs/staging/services`). */
  readonly statePrefixes: readonly string[];
}

/** Props of {@link CiAccount}. */
export interface CiAccountProps {
  readonly environment: EnvironmentConfig;
  /** Service account id, e.g. `github-actions-staging`. */
  readonly accountId: string;
  /** Its role in the pipeline, e.g. `deployer`: the Terraform name of the account and the prefix of its grants'. */
  readonly name: string;
  /** Display name of the account. */
  readonly displayName: string;
  /** Description of the account: what it does. */
  readonly description: string;
  /** The principal set whose GitHub tokens may become the account (`roles/iam.workloadIdentityUser`). */
  readonly principal: string;
  /** Its roles, each granted where its scope says. */
  readonly roles: readonly DeployerRole[];
  /** What the scopes point at. */
  readonly targets: CiGrantTargets;
  /**
   * Adopt the account that exists in the live project.
   * @default false - create it
   */
  readonly importExisting?: boolean;
}

/**
 * A service account GitHub Actions jobs become through Workload Identity,
 * with exactly the roles of one list, each on the narrowest resource that can
 * carry it. The deployer, the builder and the planner are CI accounts; only
 * their lists and principals differ.
 */
export class CiAccount extends Construct implements Grantee {
  readonly account: ServiceAccount;
  /** IAM member of the account. */
  readonly member: string;
  /** Its role in the pipeline (`deployer`): the first part of its grants' addresses. */
  readonly grantName: string;
  /** Custom roles by id. */
  readonly customRoles = new Map<string, ProjectIamCustomRole>();
  private readonly props: CiAccountProps;

  constructor(scope: Construct, id: string, props: CiAccountProps) {
    super(scope, id);
    this.props = props;
    const env = props.environment;
    this.account = new ServiceAccount(this, "account", {
      project: env.project.id,
      accountId: props.accountId,
      displayName: props.displayName,
      description: props.description,
      // Recreating it would change its unique id and break every binding that names it.
      lifecycle: { preventDestroy: true },
    });
    this.account.overrideLogicalId(props.name);
    if (props.importExisting === true) {
      importExisting(this.account, `projects/${env.project.id}/serviceAccounts/${serviceAccountEmail(env, props.accountId)}`);
    }
    this.member = `serviceAccount:${this.account.email}`;
    this.grantName = props.name;

    new ServiceAccountIamMember(this, "workload-identity-user", {
      serviceAccountId: this.account.name,
      role: "roles/iam.workloadIdentityUser",
      member: props.principal,
    }).overrideLogicalId(`${props.name}_workload_identity_user`);

    for (const role of props.roles) this.bind(role);
  }

  /** Grants one role of the list where its scope says. */
  private bind(entry: DeployerRole): void {
    const { environment: env, targets, name } = this.props;
    const project = env.project.id;
    const role = this.roleName(entry);
    const address = (...target: string[]) => terraformName(name, entry.role.replace(/^roles\//, ""), ...target);
    const id = `${entry.scope}-${entry.role.replace(/^roles\//, "")}`;
    const scope: DeployerScope = entry.scope;
    switch (scope) {
      case "project":
        new ProjectIamMember(this, id, { project, role, member: this.member }).overrideLogicalId(address());
        return;
      case "catalog-services":
        new ProjectIamMember(this, id, {
          project,
          role,
          member: this.member,
          condition: {
            title: "catalog services only",
            description: `The Cloud Run services of the catalog: ${targets.cloudRunServices.join(", ")}`.slice(0, 256),
            expression: cloudRunServicesCondition(targets.cloudRunServices),
          },
        }).overrideLogicalId(address());
        return;
      case "runtime-service-account":
        for (const [service, accountName] of Object.entries(targets.runtimeAccounts)) {
          new ServiceAccountIamMember(this, `${id}-${service}`, {
            serviceAccountId: accountName,
            role,
            member: this.member,
          }).overrideLogicalId(address(service));
        }
        return;
      case "registry":
        // The role as listed: the registry takes predefined roles only, and says so by this name.
        targets.registry.grant(this, entry.role);
        return;
      case "service-urls-secret":
        new SecretManagerSecretIamMember(this, id, { project, secretId: targets.urlsSecret, role, member: this.member })
          .overrideLogicalId(address());
        return;
      case "state-prefix":
        new StatePrefixAccess(this, id, {
          bucket: targets.stateBucket,
          bucketName: env.backend.bucket,
          prefixes: targets.statePrefixes,
          role,
          member: this.member,
        }).binding.overrideLogicalId(address());
        return;
      case "state-bucket":
        new StorageBucketIamMember(this, id, { bucket: targets.stateBucket, role, member: this.member }).overrideLogicalId(address());
        return;
      default: {
        // A scope added to DeployerScope without a binding here fails the type check.
        const unbound: never = scope;
        throw new Error(`${name} role scope ${JSON.stringify(unbound)} has no binding`);
      }
    }
  }

  /** A predefined role as is; a custom role defined once in the project, by its full name. */
  private roleName(entry: DeployerRole): string {
    const { name } = this.props;
    if (PREDEFINED_ROLE.test(entry.role)) {
      check(entry.permissions === undefined, `${name} role ${entry.role}`, entry.permissions, "a predefined role has no permissions list; remove it");
      return entry.role;
    }
    check(CUSTOM_ROLE_ID.test(entry.role), `${name} custom role id`, entry.role, "use 3-64 letters, digits, '_' or '.', or a predefined \"roles/...\" name");
    check((entry.permissions ?? []).length > 0, `${name} custom role ${entry.role}`, entry.permissions, "list the permissions of a custom role");
    let custom = this.customRoles.get(entry.role);
    if (!custom) {
      custom = new ProjectIamCustomRole(this, `role-${entry.role}`, {
        project: this.props.environment.project.id,
        roleId: entry.role,
        title: `MindMirror ${name}: ${entry.role}`,
        description: `Granted to the GitHub Actions ${name} on: ${entry.scope}. Why: constructs/foundation/deployer-roles.ts`,
        permissions: [...entry.permissions!],
        stage: "GA",
      });
      custom.overrideLogicalId(terraformName(entry.role));
      this.customRoles.set(entry.role, custom);
    }
    return custom.name;
  }
}
