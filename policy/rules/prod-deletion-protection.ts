import { ArtifactRegistryRepository } from "@cdktf/provider-google/lib/artifact-registry-repository";
import { CloudRunV2Service } from "@cdktf/provider-google/lib/cloud-run-v2-service";
import { SecretManagerSecret } from "@cdktf/provider-google/lib/secret-manager-secret";
import { StorageBucket } from "@cdktf/provider-google/lib/storage-bucket";
import type { IConstruct } from "constructs";
import { attributesOf, environmentOf } from "../inspect";
import type { Finding, PolicyRule } from "../types";

/** MM-PROD-1: in a protected environment, `tofu destroy` or a replacement cannot delete stateful resources. */
export const PROD_DELETION_PROTECTION: PolicyRule = {
  id: "MM-PROD-1",
  description: "where the environment sets deletionProtection, services and secrets set deletion_protection and buckets and registries prevent_destroy",
  severity: "error",
  fix: "pass deletionProtection: environment.deletionProtection (services, secrets), or lifecycle: { preventDestroy: true } (buckets, registries)",
  check(node: IConstruct): Finding[] {
    if (environmentOf(node)?.deletionProtection !== true) return [];
    if (node instanceof CloudRunV2Service || node instanceof SecretManagerSecret) {
      const value = attributesOf(node).deletion_protection;
      return value === true ? [] : [`deletion_protection is ${JSON.stringify(value ?? null)}`];
    }
    if (node instanceof StorageBucket || node instanceof ArtifactRegistryRepository) {
      const value = attributesOf(node).lifecycle?.prevent_destroy;
      return value === true ? [] : [`lifecycle.prevent_destroy is ${JSON.stringify(value ?? null)}`];
    }
    return [];
  },
};
