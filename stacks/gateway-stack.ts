import type { Construct } from "constructs";
import { DeploymentStack, type DeploymentStackProps } from "./deployment-stack";

/**
 * `gateway-<env>`: the GraphQL mesh gateway alone, so deploying it is
 * planning this one stack. It reads nothing from the services stack's
 * state: backend URLs and names are deterministic.
 */
export class GatewayStack extends DeploymentStack {
  constructor(scope: Construct, props: DeploymentStackProps) {
    super(scope, "gateway", props);
  }
}
