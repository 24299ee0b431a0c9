import type { Construct } from "constructs";
import { ServiceUrlsSecret } from "../constructs/service-urls-secret";
import { urlOutputName } from "../lib/naming";
import { DeploymentStack, type DeploymentStackProps } from "./deployment-stack";

/**
 * `services-<env>`: the seven backends and the `service-urls-<env>` secret
 * the gateway build reads.
 */
export class ServicesStack extends DeploymentStack {
  readonly urls: ServiceUrlsSecret;

  constructor(scope: Construct, props: DeploymentStackProps) {
    super(scope, "services", props);
    const services = [...this.services.entries()];
    this.urls = new ServiceUrlsSecret(this, "service-urls", {
      environment: this.environment,
      urls: Object.fromEntries(services.map(([name, s]) => [urlOutputName(name), s.url])),
      dependsOn: services.map(([, s]) => s.service),
    });
  }
}
