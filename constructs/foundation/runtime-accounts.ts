import { SecretManagerSecretIamMember } from "@cdktf/provider-google/lib/secret-manager-secret-iam-member";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { Construct } from "constructs";
import type { ServiceDefinition } from "../../catalog/types";
import type { EnvironmentConfig } from "../../environments/types";
import { serviceAccountGrantee, type Grantee } from "../../lib/grantee";
import { cloudRunName, resourceName, runtimeAccountEmail, secretId, serviceAccountId, terraformName } from "../../lib/naming";
import { importExisting } from "../import-existing";

/** Props of {@link RuntimeAccounts}. */
export interface RuntimeAccountsProps {
  readonly environment: EnvironmentConfig;
  /** The services whose accounts these are: every entry of the catalog. */
  readonly catalog: readonly ServiceDefinition[];
}

/** One service's runtime identity and what it may read; a grantee named after the service. */
export interface RuntimeAccount extends Grantee {
  readonly account: ServiceAccount;
  /** `roles/secretmanager.secretAccessor` on each secret the service reads, by secret id. */
  readonly secretGrants: ReadonlyMap<string, SecretManagerSecretIamMember>;
}

/**
 * The service account each catalog service runs as (`journal-service-staging`)
 * and read access to exactly the secrets it uses, one grant per secret, never
 * project-wide. They live in the foundation stack, which a person applies
 * before any stack that deploys a service, so no grant and no revision ever
 * names an account that does not exist yet, and the pipeline needs no right
 * to create accounts or to change a secret's IAM. Accounts that exist in the
 * live projects are adopted where the environment imports and the catalog
 * says they exist.
 */
export class RuntimeAccounts extends Construct {
  /** By service base name. */
  readonly byService = new Map<string, RuntimeAccount>();
  private readonly secrets = new Map<string, ExistingSecret>();

  constructor(scope: Construct, id: string, props: RuntimeAccountsProps) {
    super(scope, id);
    const env = props.environment;
    for (const def of props.catalog) {
      const accountId = serviceAccountId(env, def.name);
      const account = new ServiceAccount(this, def.name, {
        project: env.project.id,
        accountId,
        displayName: `${cloudRunName(env, def.name)} (Cloud Run runtime)`,
        description: `Runs the ${cloudRunName(env, def.name)} Cloud Run service; managed by mindmirror-infra foundation.`,
        // A new account gets a new unique id: every binding naming the old one would silently stop applying.
        lifecycle: { preventDestroy: true },
      });
      account.overrideLogicalId(resourceName(def.name));
      if (env.importExisting && def.adopt?.account === true) {
        importExisting(account, `projects/${env.project.id}/serviceAccounts/${runtimeAccountEmail(env, def.name)}`);
      }
      const grantee = serviceAccountGrantee(def.name, account.email);
      const secretGrants = new Map(def.secretEnv.map((name) => [name, this.secret(env, name).grantRead(grantee)] as const));
      this.byService.set(def.name, { ...grantee, account, secretGrants });
    }
  }

  private secret(env: EnvironmentConfig, name: string): ExistingSecret {
    const known = this.secrets.get(name);
    if (known) return known;
    const secret = new ExistingSecret(this, `secret-${name}`, env, name);
    this.secrets.set(name, secret);
    return secret;
  }
}

/**
 * A Secret Manager secret the app's operators create and fill (never this
 * code: its value must not reach config or state), by its id.
 */
export class ExistingSecret extends Construct {
  readonly secretId: string;
  private readonly environment: EnvironmentConfig;

  constructor(scope: Construct, id: string, env: EnvironmentConfig, name: string) {
    super(scope, id);
    this.environment = env;
    this.secretId = secretId(name);
  }

  /** `roles/secretmanager.secretAccessor` on this one secret, at `<grantee>_secret_<secret>`. */
  grantRead(grantee: Grantee): SecretManagerSecretIamMember {
    const grant = new SecretManagerSecretIamMember(this, grantee.grantName, {
      project: this.environment.project.id,
      secretId: this.secretId,
      role: "roles/secretmanager.secretAccessor",
      member: grantee.member,
    });
    grant.overrideLogicalId(terraformName(grantee.grantName, "secret", this.secretId));
    return grant;
  }
}
