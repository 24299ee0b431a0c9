import type { StackKind } from "../lib/naming";
import type { ServiceDefinition } from "./types";

export { SERVICES } from "./services";
export type { EnvValue, ServiceDefinition } from "./types";
export { validateCatalog } from "./validate";

/** The services one kind of stack deploys. */
export function servicesOf(catalog: readonly ServiceDefinition[], kind: StackKind): ServiceDefinition[] {
  return catalog.filter((s) => s.stack === kind);
}

/** Every service the given one may invoke: URL env calls and calls baked into its image. */
export function calleesOf(service: ServiceDefinition): string[] {
  return [...service.calls, ...(service.bakedCalls ?? [])];
}
