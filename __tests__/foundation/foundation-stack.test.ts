import { SERVICES } from "../../catalog";
import { production, staging } from "../../environments";
import { buildStacks, resourcesOf, withEnv, type TerraformJson } from "../helpers";
import { foundationOf, importsOf } from "./grants";

/**
 * Terraform addresses of the foundation's stateful resources. A changed
 * address plans a destroy and create (a new registry, a deleted state bucket,
 * a pool id locked for 30 days): if one must change, add a `moveTo` and
 * update this list in the same commit.
 */
const RUNTIME_ACCOUNTS = ["agent", "journal", "habits", "meals", "movements", "practices", "users"]
  .map((s) => `google_service_account.${s}_service`)
  .concat("google_service_account.gateway");
const PINNED = {
  staging: [
    "google_artifact_registry_repository.mindmirror",
    "google_iam_workload_identity_pool.github",
    "google_iam_workload_identity_pool_provider.github_oidc",
    "google_service_account.deployer",
    "google_service_account.planner",
    ...RUNTIME_ACCOUNTS,
    "google_storage_bucket.tofu_state",
    "google_storage_bucket.tofu_state_access_logs",
    "google_storage_bucket.traditions",
  ].sort(),
  production: [
    "google_artifact_registry_repository.mindmirror",
    "google_iam_workload_identity_pool.github",
    "google_iam_workload_identity_pool_provider.github_oidc",
    "google_service_account.builder",
    "google_service_account.deployer",
    "google_service_account.planner",
    ...RUNTIME_ACCOUNTS,
    "google_storage_bucket.traditions",
  ].sort(),
};
/** Import ids of the runtime accounts that exist today: every one but habits', which is new. */
function runtimeImports(project: string, suffix: string): Record<string, string> {
  const existing = ["agent-service", "journal-service", "meals-service", "movements-service", "practices-service", "users-service", "gateway"];
  return Object.fromEntries(
    existing.map((s) => [
      `google_service_account.${s.replace(/-/g, "_")}`,
      `projects/${project}/serviceAccounts/${s}${suffix}@${project}.iam.gserviceaccount.com`,
    ]),
  );
}
const STATEFUL = [
  "google_artifact_registry_repository",
  "google_iam_workload_identity_pool",
  "google_iam_workload_identity_pool_provider",
  "google_service_account",
  "google_storage_bucket",
];

function addressesOf(json: TerraformJson, types: readonly string[]): string[] {
  return types.flatMap((type) => Object.keys(resourcesOf(json, type)).map((name) => `${type}.${name}`)).sort();
}

function resourceAt(json: TerraformJson, address: string): Record<string, any> {
  const [type, name] = address.split(".");
  return resourcesOf(json, type)[name];
}

describe("foundation stack", () => {
  it("is the first stack of an environment: services depend on it", () => {
    const { foundation, services, gateway } = buildStacks(staging);
    expect(foundation.node.id).toBe("foundation-staging");
    expect(services.dependencies).toContain(foundation);
    expect(gateway.dependencies).not.toContain(foundation);
  });

  it("keeps its state under the environment's prefix, with production's partial backend", () => {
    expect(foundationOf(staging).json.terraform.backend).toEqual({
      gcs: { bucket: "mindmirror-tofu-state", prefix: "envs/staging/foundation" },
    });
    const prod = foundationOf(production);
    expect(prod.json.terraform.backend).toEqual({ gcs: {} });
    expect(prod.stack.files.entries.get("production.backend.hcl")).toMatch(/^prefix = "envs\/production\/foundation"$/m);
  });

  it("fails if the catalog deploys a service from the foundation stack, whose state CI must not reach", () => {
    const catalog = SERVICES.map((s) => (s.name === "habits-service" ? { ...s, stack: "foundation" as const } : s));
    expect(() => foundationOf(staging, { catalog })).toThrow(
      /catalog stack: "foundation" is not valid; deploy services from the services or gateway stack/,
    );
  });

  describe.each([
    {
      env: staging,
      imports: {
        "google_artifact_registry_repository.mindmirror": "projects/mindmirror-69/locations/us-east4/repositories/mindmirror",
        "google_iam_workload_identity_pool.github": "projects/mindmirror-69/locations/global/workloadIdentityPools/github-pool",
        "google_iam_workload_identity_pool_provider.github_oidc":
          "projects/mindmirror-69/locations/global/workloadIdentityPools/github-pool/providers/github-oidc",
        "google_service_account.deployer":
          "projects/mindmirror-69/serviceAccounts/github-actions-staging@mindmirror-69.iam.gserviceaccount.com",
        "google_storage_bucket.tofu_state": "mindmirror-69/mindmirror-tofu-state",
        "google_storage_bucket.traditions": "mindmirror-69/traditions-mindmirror-69-staging",
        ...runtimeImports("mindmirror-69", "-staging"),
      },
    },
    {
      env: production,
      imports: {
        "google_artifact_registry_repository.mindmirror": "projects/mindmirror-prod/locations/us-east4/repositories/mindmirror",
        "google_iam_workload_identity_pool.github": "projects/mindmirror-prod/locations/global/workloadIdentityPools/github-pool",
        "google_iam_workload_identity_pool_provider.github_oidc":
          "projects/mindmirror-prod/locations/global/workloadIdentityPools/github-pool/providers/github-oidc",
        "google_service_account.deployer":
          "projects/mindmirror-prod/serviceAccounts/github-actions-production@mindmirror-prod.iam.gserviceaccount.com",
        // google_service_account.builder and .planner are new in the live project: created, never imported.
        "google_storage_bucket.traditions": "mindmirror-prod/traditions-mindmirror-prod-production",
        ...runtimeImports("mindmirror-prod", "-production"),
      },
    },
  ])("of $env.name", ({ env, imports }) => {
    const { text, json } = foundationOf(env);

    it("is named foundation-<env>", () => {
      expect(foundationOf(env).stack.node.id).toBe(`foundation-${env.name}`);
    });

    it("keeps the pinned addresses of its stateful resources", () => {
      expect(addressesOf(json, STATEFUL)).toEqual(PINNED[env.name as keyof typeof PINNED]);
    });

    it("adopts every live resource with an import block in the provider's id format", () => {
      expect(importsOf(json)).toEqual(imports);
    });

    it("protects every stateful resource from destroy and replacement", () => {
      for (const address of addressesOf(json, STATEFUL)) {
        expect([address, resourceAt(json, address).lifecycle]).toEqual([address, { prevent_destroy: true }]);
      }
    });

    it("imports nothing where the environment is new", () => {
      const fresh = foundationOf(withEnv(env, { importExisting: false })).json;
      expect(fresh.import).toBeUndefined();
      expect(addressesOf(fresh, STATEFUL)).toEqual(PINNED[env.name as keyof typeof PINNED]);
    });

    it("matches the snapshot", () => {
      expect(text).toMatchSnapshot();
    });
  });
});
