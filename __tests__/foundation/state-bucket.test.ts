import { StorageBucket } from "@cdktf/provider-google/lib/storage-bucket";
import { STATE_NONCURRENT_DAYS, STATE_SOFT_DELETE_SECONDS, statePrefixCondition } from "../../constructs/foundation/state-bucket";
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

    it("keeps every state of the last 30 days restorable: noncurrent versions 31 days, deletions in soft delete 30 days", () => {
      expect(bucket.soft_delete_policy).toEqual({ retention_duration_seconds: 2592000 });
      expect(bucket.lifecycle_rule).toEqual([{ action: { type: "Delete" }, condition: { days_since_noncurrent_time: 31 } }]);
      expect([STATE_SOFT_DELETE_SECONDS, STATE_NONCURRENT_DAYS]).toEqual([30 * 86400, 31]);
    });

    it("logs its usage to the bucket the environment names, which it creates private and keeps a year", () => {
      const logs = resourcesOf(json, "google_storage_bucket").tofu_state_access_logs;
      expect(staging.backend.managedBucket?.accessLogs).toEqual({ bucket: "mindmirror-69-tofu-state-logs" });
      expect(bucket.logging).toEqual({ log_bucket: "${google_storage_bucket.tofu_state_access_logs.name}", log_object_prefix: "mindmirror-tofu-state" });
      expect(logs).toMatchObject({
        name: "mindmirror-69-tofu-state-logs",
        project: "mindmirror-69",
        location: "US-EAST4",
        public_access_prevention: "enforced",
        uniform_bucket_level_access: true,
        force_destroy: false,
        lifecycle_rule: [{ action: { type: "Delete" }, condition: { age: 365 } }],
        lifecycle: { prevent_destroy: true },
      });
      expect(resourcesOf(json, "google_storage_bucket_iam_member").tofu_state_access_logs_writer).toEqual({
        bucket: "${google_storage_bucket.tofu_state_access_logs.name}",
        role: "roles/storage.objectCreator",
        member: "group:cloud-storage-analytics@google.com",
      });
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

  it("is not a resource of the production foundation, which only grants its CI accounts their prefixes, and the planner the bucket's policy read", () => {
    const { json } = foundationOf(production);
    expect(resourcesOf(json, "google_storage_bucket").tofu_state).toBeUndefined();
    const bindings = Object.entries(resourcesOf(json, "google_storage_bucket_iam_member")).filter(([, b]) => !String(b.bucket).includes("traditions"));
    expect(bindings.map(([name]) => name).sort()).toEqual(["builder_storage_object_viewer", "deployer_storage_object_user", "planner_iam_security_reviewer", "planner_storage_object_viewer"]);
    for (const [, binding] of bindings) expect(binding.bucket).toBe("mindmirror-tofu-state");
  });

  it("logs nowhere when the environment names no log bucket, and follows a prefix it names", () => {
    const { location } = staging.backend.managedBucket!;
    const silent = foundationOf(withEnv(staging, { backend: { ...staging.backend, managedBucket: { location } } })).json;
    expect(resourcesOf(silent, "google_storage_bucket").tofu_state.logging).toBeUndefined();
    expect(Object.keys(resourcesOf(silent, "google_storage_bucket")).filter((n) => n.startsWith("tofu_state"))).toEqual(["tofu_state"]);
    const prefixed = foundationOf(withEnv(staging, { backend: { ...staging.backend, managedBucket: { location, accessLogs: { bucket: "logs-x", prefix: "state" } } } })).json;
    expect(resourcesOf(prefixed, "google_storage_bucket").tofu_state.logging.log_object_prefix).toBe("state");
  });

  it("fails if access logs would go to the state bucket itself", () => {
    const bad = withEnv(staging, { backend: { ...staging.backend, managedBucket: { location: "US-EAST4", accessLogs: { bucket: "mindmirror-tofu-state" } } } });
    expect(() => validateEnvironment(bad)).toThrow(
      /^environments\.staging\.backend\.managedBucket\.accessLogs\.bucket: "mindmirror-tofu-state" is not valid; logs go to a bucket of their own/,
    );
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
