import { SecretManagerSecret } from "@cdktf/provider-google/lib/secret-manager-secret";
import { SecretManagerSecretVersion } from "@cdktf/provider-google/lib/secret-manager-secret-version";
import type { ITerraformDependable } from "../lib/cdk";
import { Construct } from "constructs";
import type { EnvironmentConfig } from "../environments/types";
import { environmentLabels, serviceUrlsSecretId } from "../lib/naming";
import { importExisting } from "./import-existing";

export interface ServiceUrlsSecretProps {
  readonly environment: EnvironmentConfig;
  /** JSON key (`agent_service_url`) to URL. */
  readonly urls: Readonly<Record<string, string>>;
  /**
   * Resources that must exist before the URLs are published.
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * The `service-urls-<env>` secret: one JSON object of service URLs, read by
 * the pipeline to build the gateway image. The URLs are not secret; Secret
 * Manager is where the pipeline has always looked for them.
 */
export class ServiceUrlsSecret extends Construct {
  readonly secret: SecretManagerSecret;
  readonly version: SecretManagerSecretVersion;
  /** The JSON document stored in the current version. */
  readonly document: string;

  constructor(scope: Construct, id: string, props: ServiceUrlsSecretProps) {
    super(scope, id);
    const env = props.environment;
    this.secret = new SecretManagerSecret(this, "secret", {
      project: env.project.id,
      secretId: serviceUrlsSecretId(env),
      replication: { auto: {} },
      labels: environmentLabels(env),
      deletionProtection: env.deletionProtection,
    });
    this.secret.overrideLogicalId("service_urls");
    if (env.importExisting) importExisting(this.secret, `projects/${env.project.id}/secrets/${serviceUrlsSecretId(env)}`);

    const sorted = Object.keys(props.urls).sort().map((key) => [key, props.urls[key]]);
    this.document = JSON.stringify(Object.fromEntries(sorted));
    this.version = new SecretManagerSecretVersion(this, "version", {
      secret: this.secret.id,
      secretData: this.document,
      dependsOn: props.dependsOn,
    });
    this.version.overrideLogicalId("service_urls");
  }
}
