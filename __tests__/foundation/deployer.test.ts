import { SERVICES } from "../../catalog";
import { DEPLOYER_ROLES } from "../../constructs/foundation/deployer-roles";
import { production, staging, type EnvironmentConfig } from "../../environments";
import { resourcesOf } from "../helpers";
import { foundationOf, grantsOf, grantsTo, type Grant } from "./grants";

/**
 * The deployer's roles, written out. Adding, widening or moving a role must
 * change this list in the same commit, so a reviewer sees what CI gains.
 */
const INTENDED_ROLES = [
  {
    role: "mindmirrorDeployerRunServices",
    scope: "catalog-services",
    permissions: [
      "run.operations.get",
      "run.services.create",
      "run.services.delete",
      "run.services.get",
      "run.services.getIamPolicy",
      "run.services.setIamPolicy",
      "run.services.update",
    ],
  },
  { role: "roles/iam.serviceAccountUser", scope: "runtime-service-account" },
  { role: "roles/artifactregistry.writer", scope: "registry" },
  {
    role: "mindmirrorDeployerUrlsSecret",
    scope: "service-urls-secret",
    permissions: [
      "secretmanager.secrets.get",
      "secretmanager.secrets.update",
      "secretmanager.versions.access",
      "secretmanager.versions.add",
      "secretmanager.versions.destroy",
      "secretmanager.versions.get",
    ],
  },
  { role: "roles/storage.objectUser", scope: "state-prefix" },
];

/** The secrets the catalog's services read, written out. */
const SERVICE_SECRETS = [
  "CELERY_WORKER_URL",
  "DATABASE_URL",
  "OPENAI_API_KEY",
  "QDRANT_API_KEY",
  "QDRANT_URL",
  "REDIS_URL",
  "REINDEX_SECRET_KEY",
  "SUPABASE_ANON_KEY",
  "SUPABASE_CA_CERT_PATH",
  "SUPABASE_JWT_SECRET",
  "SUPABASE_SERVICE_ROLE_KEY",
  "SUPABASE_URL",
  "VOUCHERS_WEB_BASE_URL",
];
const RUNTIME_SERVICES = [
  "agent-service",
  "gateway",
  "habits-service",
  "journal-service",
  "meals-service",
  "movements-service",
  "practices-service",
  "users-service",
];

/** Who may become the deployer: the whole repository without a gate, only the gated GitHub environment's jobs with one. */
const DEPLOYER_PRINCIPALS = {
  staging: "principalSet://iam.googleapis.com/google_iam_workload_identity_pool.github/attribute.repository_environment/Peleke/MindMirror:staging",
  production: "principalSet://iam.googleapis.com/google_iam_workload_identity_pool.github/attribute.repository_environment/Peleke/MindMirror:production",
};

/** Every grant the foundation of `env` should make to the deployer, and nothing else. */
function expectedGrants(env: EnvironmentConfig, project: string, bucketRef: string): Grant[] {
  const grants: Grant[] = [
    { target: `project ${project}`, role: "custom:mindmirrorDeployerRunServices", member: "deployer" },
    ...RUNTIME_SERVICES.map((service) => ({
      target: `account google_service_account.${service.replace(/-/g, "_")}`,
      role: "roles/iam.serviceAccountUser",
      member: "deployer",
    })),
    {
      target: "account google_service_account.deployer",
      role: "roles/iam.workloadIdentityUser",
      member: DEPLOYER_PRINCIPALS[env.name as keyof typeof DEPLOYER_PRINCIPALS],
    },
    { target: "repository google_artifact_registry_repository.mindmirror", role: "roles/artifactregistry.writer", member: "deployer" },
    { target: `secret service-urls-${env.name}`, role: "custom:mindmirrorDeployerUrlsSecret", member: "deployer" },
    { target: `bucket ${bucketRef}`, role: "roles/storage.objectUser", member: "deployer" },
  ];
  return grants.sort((a, b) => `${a.target} ${a.role}`.localeCompare(`${b.target} ${b.role}`));
}

describe("deployer roles", () => {
  it("are exactly the intended list", () => {
    expect(DEPLOYER_ROLES.map(({ role, scope, permissions }) => (permissions ? { role, scope, permissions } : { role, scope }))).toEqual(
      INTENDED_ROLES,
    );
  });

  it("give every role a reason", () => {
    for (const entry of DEPLOYER_ROLES) expect([entry.role, entry.why.length >= 40]).toEqual([entry.role, true]);
  });

  it("contain no owner, editor, viewer or admin role", () => {
    for (const { role } of DEPLOYER_ROLES) {
      expect(role).not.toMatch(/^roles\/(owner|editor|viewer)$/);
      expect(role).not.toMatch(/admin/i);
    }
  });

  it("grant no permission that would let CI widen its own access", () => {
    const escalation = [
      /^resourcemanager\.projects\.setIamPolicy$/,
      /^iam\.serviceAccounts\.(actAs|getAccessToken|getOpenIdToken|implicitDelegation|signBlob|signJwt|setIamPolicy|delete)$/,
      /^iam\.serviceAccountKeys\./,
      /^iam\.roles\./,
      /^storage\.buckets\.setIamPolicy$/,
      /^artifactregistry\.repositories\.setIamPolicy$/,
      /^iam\.workloadIdentityPool/,
    ];
    const permissions = DEPLOYER_ROLES.flatMap((entry) => entry.permissions ?? []);
    for (const permission of permissions) {
      for (const pattern of escalation) expect([permission, pattern.test(permission)]).toEqual([permission, false]);
    }
    // setIamPolicy only on Cloud Run services, bound under the catalog-services condition (pinned below).
    expect(permissions.filter((p) => p.endsWith(".setIamPolicy")).sort()).toEqual(["run.services.setIamPolicy"]);
    expect(DEPLOYER_ROLES.filter((r) => r.permissions?.includes("run.services.setIamPolicy")).map((r) => r.scope)).toEqual(["catalog-services"]);
  });

  it("cover every runtime account of the catalog, and no secret", () => {
    expect([...new Set(SERVICES.flatMap((s) => s.secretEnv))].sort()).toEqual(SERVICE_SECRETS);
    expect(SERVICES.map((s) => s.name).sort()).toEqual(RUNTIME_SERVICES);
    expect(DEPLOYER_ROLES.flatMap((r) => r.permissions ?? []).filter((p) => p.startsWith("secretmanager.secrets.") && p !== "secretmanager.secrets.get" && p !== "secretmanager.secrets.update")).toEqual([]);
  });
});

describe.each([
  { env: staging, project: "mindmirror-69", serviceSuffix: "-staging", bucketRef: "google_storage_bucket.tofu_state" },
  { env: production, project: "mindmirror-prod", serviceSuffix: "", bucketRef: "mindmirror-tofu-state" },
])("deployer of $env.name", ({ env, project, serviceSuffix, bucketRef }) => {
  const { json } = foundationOf(env);

  it("is github-actions-<env> in the environment's project", () => {
    expect(resourcesOf(json, "google_service_account").deployer).toMatchObject({
      account_id: `github-actions-${env.name}`,
      project,
    });
  });

  it("gets exactly the intended grants, each on its narrowest resource", () => {
    expect(grantsTo(json, "deployer")).toEqual(expectedGrants(env, project, bucketRef));
  });

  it("defines the custom roles in its own project with exactly their listed permissions", () => {
    // The planner's custom role is the planner test's.
    const roles = Object.values(resourcesOf(json, "google_project_iam_custom_role")).filter((r) => String(r.role_id).startsWith("mindmirrorDeployer"));
    const byId = Object.fromEntries(roles.map((r) => [r.role_id, { project: r.project, permissions: r.permissions }]));
    expect(byId).toEqual(
      Object.fromEntries(
        INTENDED_ROLES.filter((r) => r.permissions).map((r) => [r.role, { project, permissions: r.permissions }]),
      ),
    );
  });

  it("is never granted owner, editor or an admin role anywhere", () => {
    for (const grant of grantsTo(json, "deployer")) {
      expect(grant.role).not.toMatch(/^roles\/(owner|editor)$/);
      expect(grant.role).not.toMatch(/admin/i);
    }
    // The one admin-named role anywhere is a runtime account's, on objects of one bucket.
    expect(grantsOf(json).filter((g) => /admin/i.test(g.role))).toEqual([
      {
        target: "bucket google_storage_bucket.traditions",
        role: "roles/storage.objectAdmin",
        member: "serviceAccount:google_service_account.agent_service",
      },
    ]);
  });

  it("may change only the catalog's Cloud Run services of its own environment", () => {
    const binding = resourcesOf(json, "google_project_iam_member").deployer_mindmirror_deployer_run_services;
    const names = RUNTIME_SERVICES.map((s) => `${s}${serviceSuffix}`).sort();
    expect(binding.condition.expression).toBe(
      ['resource.type != "run.googleapis.com/Service"', ...names.map((n) => `resource.name.endsWith("/services/${n}")`)].join(" || "),
    );
  });

  it("reads and writes only the state of the stacks the pipeline applies, in its own environment", () => {
    const binding = resourcesOf(json, "google_storage_bucket_iam_member").deployer_storage_object_user;
    const objects = (kind: string) => `"projects/_/buckets/mindmirror-tofu-state/objects/envs/${env.name}/${kind}/"`;
    const listing = (kind: string) => `"envs/${env.name}/${kind}/"`;
    expect(binding.condition.expression).toBe(
      [
        `resource.name.startsWith(${objects("gateway")})`,
        `api.getAttribute("storage.googleapis.com/objectListPrefix", "").startsWith(${listing("gateway")})`,
        `resource.name.startsWith(${objects("services")})`,
        `api.getAttribute("storage.googleapis.com/objectListPrefix", "").startsWith(${listing("services")})`,
      ].join(" || "),
    );
    expect(binding.condition.expression).not.toMatch(/foundation/);
  });
});
