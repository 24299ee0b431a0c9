import type { Construct } from "constructs";
import { check } from "../lib/errors";
import { tfvarsFile } from "../lib/naming";
import { FoundationStack } from "./foundation-stack";
import { GatewayStack } from "./gateway-stack";
import { ServicesStack } from "./services-stack";
import type { DeploymentStackProps } from "./deployment-stack";

export { loadImages } from "../environments/image-files";
export { DeploymentStack, type DeploymentStackProps } from "./deployment-stack";
export { FoundationStack, type FoundationStackProps } from "./foundation-stack";
export { GatewayStack } from "./gateway-stack";
export { ServicesStack } from "./services-stack";

export interface EnvironmentStacks {
  readonly foundation: FoundationStack;
  readonly services: ServicesStack;
  readonly gateway: GatewayStack;
}

/**
 * Adds one environment's stacks to `scope`. Every image value must belong to
 * one of them: a misspelt variable in the tfvars file is an error, not a
 * silently ignored line.
 */
export function defineEnvironment(scope: Construct, props: DeploymentStackProps): EnvironmentStacks {
  const foundation = new FoundationStack(scope, { environment: props.environment, catalog: props.catalog });
  const services = new ServicesStack(scope, props);
  services.addDependency(foundation);
  const gateway = new GatewayStack(scope, props);
  gateway.addDependency(services);

  const declared = new Set([...services.imageVariables, ...gateway.imageVariables]);
  for (const name of props.images.keys()) {
    check(
      declared.has(name),
      `environments/${tfvarsFile(props.environment)}`,
      name,
      `no stack declares this variable; use one of ${[...declared].sort().join(", ")}`,
    );
  }
  return { foundation, services, gateway };
}
