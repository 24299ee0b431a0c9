import { StorageBucket } from "@cdktf/provider-google/lib/storage-bucket";
import { statePrefixCondition } from "../../constructs/foundation/state-bucket";
import { ENVIRONMENTS, production, staging, validateEnvironment } from "../../environments";
import { resourcesOf, withEnv } from "../helpers";
import { foundationOf } from "./grants";

describe("state bucket", () => {
  it("is managed by exactly one environment, the one whose project holds it", () => {
    const owners = ENVIRONMENTS.filter((env) => env.backend.managedBucket !== undefined).map((env) => env.name);
    expect(owners).toEqual(["staging"]);
    expect(new Set(ENVIRONMENTS.map((env) => env.backend.bucket))).toEqual(new Set(["mindmirror-tofu-state"]));
  });

  describe("in staging", () => {
    const { text, json } = foundationOf(staging);
    const bucket = resourcesOf(json, "google_storage_bucket").tofu_state;

    it("is mindmirror-tofu-state in the staging project", () => {
      expect(text).toHaveResourceWithProperties(StorageBucket, { name: "mindmirror-tofu-state", project: "mindmirror-69", location: "US-EAST4" });
    });

    it("is versioned, private by construction and never force-destroyed", () => {
      expect(bucket).toMatchObject({
        versioning: { enabled: true },
        public_access_prevention: "enforced",
        uniform_bucket_level_access: true,
        force_destroy: false,
      });
    });
  });

  it("is not a resource of the production foundation, which only grants its deployer and builder their prefixes", () => {
    const { json } = foundationOf(production);
    expect(resourcesOf(json, "google_storage_bucket").tofu_state).toBeUndefined();
    const bindings = Object.entries(resourcesOf(json, "google_storage_bucket_iam_member")).filter(([, b]) => !String(b.bucket).includes("traditions"));
    expect(bindings.map(([name]) => name).sort()).toEqual(["builder_storage_object_viewer", "deployer_storage_object_user"]);
    for (const [, binding] of bindings) expect(binding.bucket).toBe("mindmirror-tofu-state");
  });

  it("moves to whichever environment the config names", () => {
    const owner = withEnv(production, { backend: { ...production.backend, managedBucket: { location: "US" } } });
    const { json } = foundationOf(owner);
    expect(resourcesOf(json, "google_storage_bucket").tofu_state).toMatchObject({ project: "mindmirror-prod", location: "US" });
  });

  it("fails if the bucket location is not a GCS location", () => {
    const bad = withEnv(staging, { backend: { ...staging.backend, managedBucket: { location: "us east" } } });
    expect(() => validateEnvironment(bad)).toThrow(
      /environments\.staging\.backend\.managedBucket\.location: "us east" is not valid; use a GCS location in upper case/,
    );
  });
});

describe("statePrefixCondition", () => {
  it("admits objects and listings under each prefix, with a trailing '/' so siblings stay out", () => {
    expect(statePrefixCondition("b", ["envs/x/services"])).toBe(
      'resource.name.startsWith("projects/_/buckets/b/objects/envs/x/services/") || ' +
        'api.getAttribute("storage.googleapis.com/objectListPrefix", "").startsWith("envs/x/services/")',
    );
  });

  it("fails if a prefix could break out of the CEL string or is missing", () => {
    expect(() => statePrefixCondition("b", ['envs") || true || ("'])).toThrow(/state prefix: .* is not valid; use path segments/);
    expect(() => statePrefixCondition("b", [])).toThrow(/state prefixes: \[\] is not valid; grant at least one prefix/);
  });
});
