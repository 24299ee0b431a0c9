import { SecretManagerSecretIamMember } from "@cdktf/provider-google/lib/secret-manager-secret-iam-member";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { Construct } from "constructs";
import type { ServiceDefinition } from "../../catalog/types";
import type { EnvironmentConfig } from "../../environments/types";
import { cloudRunName, resourceName, runtimeAccountEmail, secretId, serviceAccountId } from "../../lib/naming";
import { importExisting } from "../import-existing";
import { terraformName } from "./ci-account";

/** Props of {@link RuntimeAccounts}. */
export interface RuntimeAccountsProps {
  readonly environment: EnvironmentConfig;
  /** The services whose accounts these are: every entry of the catalog. */
  readonly catalog: readonly ServiceDefinition[];
}

/** One service's runtime identity and what it may read. */
export interface RuntimeAccount {
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
      const secretGrants = new Map<string, SecretManagerSecretIamMember>();
      for (const name of def.secretEnv) {
        const grant = new SecretManagerSecretIamMember(this, `${def.name}-secret-${name}`, {
          project: env.project.id,
          secretId: secretId(name),
          role: "roles/secretmanager.secretAccessor",
          member: `serviceAccount:${account.email}`,
        });
        grant.overrideLogicalId(terraformName(def.name, "secret", name));
        secretGrants.set(name, grant);
      }
      this.byService.set(def.name, { account, secretGrants });
    }
  }
}
