import { ProjectIamCustomRole } from "@cdktf/provider-google/lib/project-iam-custom-role";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { SecretManagerSecretIamMember } from "@cdktf/provider-google/lib/secret-manager-secret-iam-member";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { ServiceAccountIamMember } from "@cdktf/provider-google/lib/service-account-iam-member";
import { Construct } from "constructs";
import type { EnvironmentConfig } from "../../environments/types";
import { check } from "../../lib/errors";
import { deployerEmail } from "../../lib/naming";
import { DEPLOYER_ROLES, type DeployerRole, type DeployerScope } from "./deployer-roles";
import type { GithubIdentity } from "./github-identity";
import type { ImageRegistry } from "./image-registry";
import { StatePrefixAccess } from "./state-bucket";
import { importExisting } from "../import-existing";

/** A predefined role's name. Anything else in DEPLOYER_ROLES is a custom role id. */
const PREDEFINED = /^roles\/[A-Za-z0-9_.]+$/;
/** IAM's rule for custom role ids. */
const CUSTOM_ROLE_ID = /^[A-Za-z0-9_.]{3,64}$/;

/** Props of {@link Deployer}: the resources it is granted on, as objects or as names that exist outside this stack. */
export interface DeployerProps {
  readonly environment: EnvironmentConfig;
  /** Where the pipeline's GitHub tokens come from; its deploy jobs may impersonate the deployer. */
  readonly identity: GithubIdentity;
  /** The repository the deployer pushes to. */
  readonly registry: ImageRegistry;
  /** Emails of the runtime accounts the deployer deploys services as, by service base name (`agent-service`). */
  readonly runtimeAccounts: Readonly<Record<string, string>>;
  /** Ids of the secrets whose IAM the deployer manages (the secrets catalog services read). */
  readonly serviceSecrets: readonly string[];
  /** Id of the `service-urls-<env>` secret. */
  readonly urlsSecret: string;
  /** The state bucket: its name, or the managed bucket's `name` attribute (which orders the grant after it). */
  readonly stateBucket: string;
  /** State prefixes of the stacks the pipeline applies (`envs/staging/services`). */
  readonly statePrefixes: readonly string[];
  /**
   * Adopt the account that exists in the live project.
   * @default false - create it
   */
  readonly importExisting?: boolean;
}

/**
 * The service account GitHub Actions deploy as (`github-actions-<env>`), the
 * Workload Identity binding that lets this repository's deploy jobs become it
 * (with an approval gate, only jobs of the gated GitHub environment),
 * and its roles, each on the narrowest resource that can carry it. Its roles
 * come from one list, {@link DEPLOYER_ROLES}.
 */
export class Deployer extends Construct {
  readonly account: ServiceAccount;
  /** Custom roles by id. */
  readonly customRoles = new Map<string, ProjectIamCustomRole>();
  /** IAM member of the deployer. */
  readonly member: string;
  private readonly props: DeployerProps;

  constructor(scope: Construct, id: string, props: DeployerProps) {
    super(scope, id);
    this.props = props;
    const env = props.environment;
    const project = env.project.id;

    this.account = new ServiceAccount(this, "account", {
      project,
      accountId: env.ci.deployerAccountId,
      displayName: `GitHub Actions deployer (${env.name})`,
      description: "Applies the services and gateway stacks and pushes images; managed by mindmirror-infra foundation.",
      // Recreating it would change its unique id and break every binding that names it.
      lifecycle: { preventDestroy: true },
    });
    this.account.overrideLogicalId("deployer");
    if (props.importExisting === true) importExisting(this.account, `projects/${project}/serviceAccounts/${deployerEmail(env)}`);
    this.member = `serviceAccount:${this.account.email}`;

    // Behind a gate only approved jobs (the gated GitHub environment's) may become the deployer; else this repository's.
    new ServiceAccountIamMember(this, "workload-identity-user", {
      serviceAccountId: this.account.name,
      role: "roles/iam.workloadIdentityUser",
      member: props.identity.principalSetFor("deploy"),
    }).overrideLogicalId("deployer_workload_identity_user");

    for (const role of DEPLOYER_ROLES) this.bind(role);
  }

  /** Grants one role of the list where its scope says. */
  private bind(entry: DeployerRole): void {
    const env = this.props.environment;
    const project = env.project.id;
    const role = this.roleName(entry);
    const address = (...target: string[]) => terraformName("deployer", entry.role.replace(/^roles\//, ""), ...target);
    const id = `${entry.scope}-${entry.role.replace(/^roles\//, "")}`;
    const scope: DeployerScope = entry.scope;
    switch (scope) {
      case "project":
        new ProjectIamMember(this, id, { project, role, member: this.member }).overrideLogicalId(address());
        return;
      case "runtime-service-account":
        for (const [service, email] of Object.entries(this.props.runtimeAccounts)) {
          new ServiceAccountIamMember(this, `${id}-${service}`, {
            serviceAccountId: `projects/${project}/serviceAccounts/${email}`,
            role,
            member: this.member,
          }).overrideLogicalId(address(service));
        }
        return;
      case "registry":
        this.props.registry.grant(id, role, this.member).overrideLogicalId(address());
        return;
      case "service-secret":
        for (const secret of this.props.serviceSecrets) {
          new SecretManagerSecretIamMember(this, `${id}-${secret}`, { project, secretId: secret, role, member: this.member })
            .overrideLogicalId(address(secret));
        }
        return;
      case "service-urls-secret":
        new SecretManagerSecretIamMember(this, id, { project, secretId: this.props.urlsSecret, role, member: this.member })
          .overrideLogicalId(address());
        return;
      case "state-prefix":
        new StatePrefixAccess(this, id, {
          bucket: this.props.stateBucket,
          bucketName: env.backend.bucket,
          prefixes: this.props.statePrefixes,
          role,
          member: this.member,
        }).binding.overrideLogicalId(address());
        return;
      default: {
        // A scope added to DeployerScope without a binding here fails the type check.
        const unbound: never = scope;
        throw new Error(`deployer role scope ${JSON.stringify(unbound)} has no binding`);
      }
    }
  }

  /** A predefined role as is; a custom role defined once in the project, by its full name. */
  private roleName(entry: DeployerRole): string {
    if (PREDEFINED.test(entry.role)) {
      check(entry.permissions === undefined, `deployer role ${entry.role}`, entry.permissions, "a predefined role has no permissions list; remove it");
      return entry.role;
    }
    check(CUSTOM_ROLE_ID.test(entry.role), "deployer custom role id", entry.role, "use 3-64 letters, digits, '_' or '.', or a predefined \"roles/...\" name");
    check((entry.permissions ?? []).length > 0, `deployer custom role ${entry.role}`, entry.permissions, "list the permissions of a custom role");
    let custom = this.customRoles.get(entry.role);
    if (!custom) {
      custom = new ProjectIamCustomRole(this, `role-${entry.role}`, {
        project: this.props.environment.project.id,
        roleId: entry.role,
        title: `MindMirror deployer: ${entry.role}`,
        description: `Granted to the GitHub Actions deployer on: ${entry.scope}. Why: constructs/foundation/deployer-roles.ts`,
        permissions: [...entry.permissions!],
        stage: "GA",
      });
      custom.overrideLogicalId(terraformName(entry.role));
      this.customRoles.set(entry.role, custom);
    }
    return custom.name;
  }
}

/** A readable Terraform name from parts: `("deployer", "iam.serviceAccountUser", "agent-service")` -> `deployer_iam_service_account_user_agent_service`. */
export function terraformName(...parts: string[]): string {
  return parts
    .map((part) => part.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/[^A-Za-z0-9]+/g, "_").toLowerCase())
    .join("_");
}
