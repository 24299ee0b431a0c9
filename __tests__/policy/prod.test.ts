import { ArtifactRegistryRepository } from "@cdktf/provider-google/lib/artifact-registry-repository";
import { SecretManagerSecret } from "@cdktf/provider-google/lib/secret-manager-secret";
import { StorageBucket } from "@cdktf/provider-google/lib/storage-bucket";
import { production, staging } from "../../environments";
import { compliantService, findingsOf, foundOf, policyStack, type TestStack } from "./helpers";

/** Stateful resources, protected or not. */
function stateful(stack: TestStack, protect: boolean): void {
  compliantService(stack, "api", { deletionProtection: protect });
  new SecretManagerSecret(stack, "secret", { secretId: "service-urls-production", replication: { auto: {} }, deletionProtection: protect });
  new StorageBucket(stack, "bucket", { name: "mindmirror-tofu-state", location: "US", lifecycle: { preventDestroy: protect } });
  // An unprotected registry simply has no lifecycle block.
  new ArtifactRegistryRepository(stack, "registry", { repositoryId: "mindmirror", format: "DOCKER", lifecycle: protect ? { preventDestroy: true } : undefined });
}

describe("MM-PROD-1 deletion protection", () => {
  it("accepts protected services, secrets, buckets and registries in production", () => {
    expect(findingsOf(policyStack((s) => stateful(s, true), production), "MM-PROD-1")).toEqual([]);
  });

  it("fails in production on each unprotected stateful resource", () => {
    const stack = policyStack((s) => stateful(s, false), production);
    expect(findingsOf(stack, "MM-PROD-1").map((f) => [f.level, f.path, foundOf(f)])).toEqual([
      ["error", "foundation-production/api", "deletion_protection is false"],
      ["error", "foundation-production/secret", "deletion_protection is false"],
      ["error", "foundation-production/bucket", "lifecycle.prevent_destroy is false"],
      ["error", "foundation-production/registry", "lifecycle.prevent_destroy is null"],
    ]);
  });

  it("leaves an environment without deletionProtection alone", () => {
    expect(staging.deletionProtection).toBe(false);
    expect(findingsOf(policyStack((s) => stateful(s, false), staging), "MM-PROD-1")).toEqual([]);
  });
});

describe("MM-PROD-2 force_destroy", () => {
  const bucket = (s: TestStack, forceDestroy?: boolean) =>
    new StorageBucket(s, "bucket", { name: "traditions", location: "US", forceDestroy, lifecycle: { preventDestroy: true } });

  it("accepts a bucket without force_destroy or with it false", () => {
    expect(findingsOf(policyStack((s) => bucket(s), production), "MM-PROD-2")).toEqual([]);
    expect(findingsOf(policyStack((s) => bucket(s, false), production), "MM-PROD-2")).toEqual([]);
  });

  it("fails in production and warns elsewhere if force_destroy is true", () => {
    const found = (env: typeof staging) => findingsOf(policyStack((s) => bucket(s, true), env), "MM-PROD-2").map((f) => [f.level, foundOf(f)]);
    expect(found(production)).toEqual([["error", "google_storage_bucket sets force_destroy = true"]]);
    expect(found(staging)).toEqual([["warning", "google_storage_bucket sets force_destroy = true"]]);
  });
});
