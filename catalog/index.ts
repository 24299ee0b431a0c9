import type { StackKind } from "../lib/naming";
import type { ServiceDefinition } from "./types";

export { BUCKETS } from "./buckets";
export { SERVICES } from "./services";
export type { Adoption, BucketAccess, BucketDefinition, EnvValue, ServiceDefinition } from "./types";
export { validateCatalog } from "./validate";

/** The services that use `bucket`, with their roles on it. */
export function bucketUsers(catalog: readonly ServiceDefinition[], bucket: string): { service: ServiceDefinition; roles: readonly string[] }[] {
  return catalog.flatMap((service) => (service.buckets ?? []).filter((b) => b.bucket === bucket).map((b) => ({ service, roles: b.roles })));
}

/** The services one kind of stack deploys. */
export function servicesOf(catalog: readonly ServiceDefinition[], kind: StackKind): ServiceDefinition[] {
  return catalog.filter((s) => s.stack === kind);
}

/** Every service the given one may invoke: URL env calls and calls baked into its image. */
export function calleesOf(service: ServiceDefinition): string[] {
  return [...service.calls, ...(service.bakedCalls ?? [])];
}
