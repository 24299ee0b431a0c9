import type { Construct } from "constructs";
import { check } from "../lib/errors";
import { SERVICES } from "../catalog";
import { tfvarsProblems } from "../lib/images";
import { imageVariableName, tfvarsPath } from "../lib/naming";
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

  const declared = [...services.imageVariables, ...gateway.imageVariables];
  const deployed = (props.catalog ?? SERVICES).filter((s) => declared.includes(imageVariableName(s.name)));
  for (const problem of tfvarsProblems(props.environment, props.images, deployed)) {
    // The stacks have checked each value they declare; what is left is a variable none declares.
    check(problem.kind !== "unknown", tfvarsPath(props.environment), problem.variable, `no stack declares this variable; use one of ${[...declared].sort().join(", ")}`);
  }
  return { foundation, services, gateway };
}
