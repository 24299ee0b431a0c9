import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { PLANNER_ROLES } from "../../constructs/foundation/deployer-roles";
import { production, staging, validateEnvironment, type EnvironmentConfig } from "../../environments";
import { ciAccountEmail } from "../../lib/ci";
import { plannerEmail } from "../../lib/naming";
import { resourcesOf, withEnv } from "../helpers";
import { foundationOf, grantsTo, importsOf } from "./grants";

/**
 * The planner's roles, written out. Pull requests run code nobody approved
 * with this identity: a role added or moved must change this list in the same
 * commit, so a reviewer sees what every pull request gains.
 */
const INTENDED_ROLES = [
  { role: "mindmirrorPlannerReads", scope: "project" },
  { role: "roles/secretmanager.secretAccessor", scope: "service-urls-secret" },
  { role: "roles/storage.objectViewer", scope: "state-prefix" },
  { role: "roles/iam.securityReviewer", scope: "state-bucket" },
];

/** The custom role's permissions, written out: gets and policy reads only. */
const PLANNER_READS = [
  "artifactregistry.repositories.get",
  "artifactregistry.repositories.getIamPolicy",
  "iam.roles.get",
  "iam.serviceAccounts.get",
  "iam.serviceAccounts.getIamPolicy",
  "iam.workloadIdentityPoolProviders.get",
  "iam.workloadIdentityPools.get",
  "resourcemanager.projects.get",
  "resourcemanager.projects.getIamPolicy",
  "run.services.get",
  "run.services.getIamPolicy",
  "secretmanager.secrets.get",
  "secretmanager.secrets.getIamPolicy",
  "secretmanager.versions.get",
  "storage.buckets.get",
  "storage.buckets.getIamPolicy",
];

const POOL = "principalSet://iam.googleapis.com/google_iam_workload_identity_pool.github";
const withCi = (env: EnvironmentConfig, ci: Partial<EnvironmentConfig["ci"]>) => withEnv(env, { ci: { ...env.ci, ...ci } });

describe("planner roles", () => {
  it("are exactly the intended list, each with a reason", () => {
    expect(PLANNER_ROLES.map(({ role, scope }) => ({ role, scope }))).toEqual(INTENDED_ROLES);
    for (const entry of PLANNER_ROLES) expect([entry.role, entry.why.length >= 40]).toEqual([entry.role, true]);
    expect(PLANNER_ROLES[0].permissions).toEqual(PLANNER_READS);
  });
});

describe.each([
  // Staging's foundation manages the state bucket, so its grants name the bucket resource.
  { env: staging, project: "mindmirror-69", plan: "staging-plan", bucket: "google_storage_bucket.tofu_state" },
  { env: production, project: "mindmirror-prod", plan: "production-plan", bucket: "mindmirror-tofu-state" },
])("planner of $env.name", ({ env, project, plan, bucket }) => {
  const { text, json } = foundationOf(env);
  const prefix = env.backend.prefix;

  it(`is github-planner-${env.name}, protected from destroy, new in the live project and so never imported`, () => {
    expect(text).toHaveResourceWithProperties(ServiceAccount, { account_id: `github-planner-${env.name}`, project });
    expect(resourcesOf(json, "google_service_account").planner.lifecycle).toEqual({ prevent_destroy: true });
    expect(Object.keys(importsOf(json))).not.toContain("google_service_account.planner");
  });

  it("gets exactly the intended grants, and only jobs of the plans' GitHub environment may become it", () => {
    expect(grantsTo(json, "planner")).toEqual(
      [
        { target: "account google_service_account.planner", role: "roles/iam.workloadIdentityUser", member: `${POOL}/attribute.repository_environment/Peleke/MindMirror:${plan}` },
        { target: `project ${project}`, role: "custom:mindmirrorPlannerReads", member: "planner" },
        { target: `secret service-urls-${env.name}`, role: "roles/secretmanager.secretAccessor", member: "planner" },
        { target: `bucket ${bucket}`, role: "roles/storage.objectViewer", member: "planner" },
        { target: `bucket ${bucket}`, role: "roles/iam.securityReviewer", member: "planner" },
      ].sort((a, b) => `${a.target} ${a.role}`.localeCompare(`${b.target} ${b.role}`)),
    );
    const role = Object.values(resourcesOf(json, "google_project_iam_custom_role")).find((r) => r.role_id === "mindmirrorPlannerReads")!;
    expect(role).toMatchObject({ project, permissions: PLANNER_READS });
  });

  it("reads the state of all three stacks of its environment, the foundation's included, and of no other environment", () => {
    const binding = resourcesOf(json, "google_storage_bucket_iam_member").planner_storage_object_viewer;
    for (const kind of ["foundation", "services", "gateway"]) {
      expect(binding.condition.expression).toContain(`resource.name.startsWith("projects/_/buckets/mindmirror-tofu-state/objects/${prefix}/${kind}/")`);
    }
    const other = env === staging ? production : staging;
    expect(binding.condition.expression).not.toContain(other.backend.prefix);
    // The bucket's policy read has no object to condition on.
    expect(resourcesOf(json, "google_storage_bucket_iam_member").planner_iam_security_reviewer.condition).toBeUndefined();
  });

  it("publishes its email, which the plans' GitHub environment names", () => {
    expect(json.output?.planner_service_account.value).toBe("${google_service_account.planner.email}");
    expect(ciAccountEmail(env, "plan")).toBe(plannerEmail(env));
    expect(plannerEmail(env)).toBe(`github-planner-${env.name}@${project}.iam.gserviceaccount.com`);
  });
});

describe("planner config", () => {
  it("fails, in one line, on an invalid id or one another CI account uses", () => {
    expect(() => validateEnvironment(withCi(staging, { plannerAccountId: "Planner" }))).toThrow(
      /^environments\.staging\.ci\.plannerAccountId: "Planner" is not valid; a service account id has 6-30 lowercase letters/,
    );
    expect(() => validateEnvironment(withCi(staging, { plannerAccountId: "github-actions-staging" }))).toThrow(
      /^environments\.staging\.ci\.plannerAccountId: "github-actions-staging" is not valid; it is ci\.deployerAccountId too, which would give pull requests the deployer's rights[^\n]*$/,
    );
    expect(() => validateEnvironment(withCi(production, { plannerAccountId: "github-builder-production" }))).toThrow(
      /^environments\.production\.approval\.gate\.unattended\.builderAccountId: "github-builder-production" is not valid; it is ci\.plannerAccountId too, which would give pull requests the builder's rights/,
    );
  });
});
