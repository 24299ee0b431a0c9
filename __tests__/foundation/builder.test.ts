import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { SERVICES } from "../../catalog";
import { Builder } from "../../constructs/foundation/builder";
import { BUILDER_ROLES } from "../../constructs/foundation/deployer-roles";
import { production, staging, validateEnvironment, type EnvironmentConfig } from "../../environments";
import { builderEmail, ciAccountEmail } from "../../lib/ci";
import { deployerEmail } from "../../lib/naming";
import { resourcesOf, withGate } from "../helpers";
import { foundationOf, grantsOf, grantsTo, importsOf } from "./grants";

/**
 * The builder's roles, written out. Adding, widening or moving a role must
 * change this list in the same commit, so a reviewer sees what the ungated
 * jobs gain.
 */
const INTENDED_ROLES = [
  { role: "roles/artifactregistry.writer", scope: "registry" },
  { role: "roles/secretmanager.secretAccessor", scope: "service-urls-secret" },
  { role: "roles/run.viewer", scope: "project" },
  { role: "roles/secretmanager.viewer", scope: "service-urls-secret" },
  { role: "roles/storage.objectViewer", scope: "state-prefix" },
];

/** Roles that change nothing and read no secret value but the service URLs. */
const READ_ONLY = [
  "roles/run.viewer",
  "roles/secretmanager.secretAccessor",
  "roles/secretmanager.viewer",
  "roles/storage.objectViewer",
];

const POOL = "principalSet://iam.googleapis.com/google_iam_workload_identity_pool.github";
/** `env` behind its own gate, with another builder account id. */
const withBuilder = (env: EnvironmentConfig, builderAccountId: string) =>
  withGate(env, { unattended: { githubEnvironment: `${env.name}-ci`, builderAccountId } });

describe("builder roles", () => {
  it("are exactly the intended list", () => {
    expect(BUILDER_ROLES.map(({ role, scope }) => ({ role, scope }))).toEqual(INTENDED_ROLES);
  });

  it("give every role a reason", () => {
    for (const entry of BUILDER_ROLES) expect([entry.role, entry.why.length >= 40]).toEqual([entry.role, true]);
  });

  it("write nothing but images to the one registry", () => {
    const writes = BUILDER_ROLES.filter((r) => !READ_ONLY.includes(r.role));
    expect(writes).toEqual([expect.objectContaining({ role: "roles/artifactregistry.writer", scope: "registry" })]);
  });

  it("read no secret value project-wide: secretAccessor sits on the service URLs secret only", () => {
    for (const { role, scope } of BUILDER_ROLES) {
      expect(role).not.toMatch(/^roles\/(owner|editor|viewer)$|admin|developer|objectUser|objectAdmin|serviceAccountUser|tokenCreator/i);
      if (role === "roles/secretmanager.secretAccessor") expect(scope).toBe("service-urls-secret");
    }
  });
});

describe("builder of production", () => {
  const { text, json } = foundationOf(production);

  it("is github-builder-production in the production project, protected from destroy", () => {
    expect(text).toHaveResourceWithProperties(ServiceAccount, { account_id: "github-builder-production", project: "mindmirror-prod" });
    expect(resourcesOf(json, "google_service_account").builder.lifecycle).toEqual({ prevent_destroy: true });
  });

  it("is new in the live project, so it is created and never imported", () => {
    expect(Object.keys(importsOf(json))).not.toContain("google_service_account.builder");
  });

  it("gets exactly the intended grants, each on its narrowest resource", () => {
    expect(grantsTo(json, "builder")).toEqual(
      [
        { target: "account google_service_account.builder", role: "roles/iam.workloadIdentityUser", member: `${POOL}/attribute.repository_environment/Peleke/MindMirror:production-ci` },
        { target: "project mindmirror-prod", role: "roles/run.viewer", member: "builder" },
        { target: "secret service-urls-production", role: "roles/secretmanager.viewer", member: "builder" },
        { target: "repository google_artifact_registry_repository.mindmirror", role: "roles/artifactregistry.writer", member: "builder" },
        { target: "secret service-urls-production", role: "roles/secretmanager.secretAccessor", member: "builder" },
        { target: "bucket mindmirror-tofu-state", role: "roles/storage.objectViewer", member: "builder" },
      ].sort((a, b) => `${a.target} ${a.role}`.localeCompare(`${b.target} ${b.role}`)),
    );
  });

  it("binds each CI account to one GitHub environment: the deployer to the gated one, the builder to production-ci", () => {
    const bindings = resourcesOf(json, "google_service_account_iam_member");
    expect(bindings.deployer_workload_identity_user).toMatchObject({
      service_account_id: "${google_service_account.deployer.name}",
      role: "roles/iam.workloadIdentityUser",
      member: "principalSet://iam.googleapis.com/${google_iam_workload_identity_pool.github.name}/attribute.repository_environment/Peleke/MindMirror:production",
    });
    expect(bindings.builder_workload_identity_user).toMatchObject({
      service_account_id: "${google_service_account.builder.name}",
      role: "roles/iam.workloadIdentityUser",
      member: "principalSet://iam.googleapis.com/${google_iam_workload_identity_pool.github.name}/attribute.repository_environment/Peleke/MindMirror:production-ci",
    });
    // Nobody is bound through the whole repository any more: an ungated job cannot reach the deployer.
    const members = grantsOf(json).map((g) => g.member);
    expect(members.filter((m) => m.includes("attribute.repository/"))).toEqual([]);
  });

  it("admits tokens of this repository from the gated, the unattended and the plans' GitHub environment only", () => {
    expect(resourcesOf(json, "google_iam_workload_identity_pool_provider").github_oidc.attribute_condition).toBe(
      'assertion.repository == "Peleke/MindMirror" && (assertion.environment == "production" || assertion.environment == "production-ci" || assertion.environment == "production-plan")',
    );
  });

  it("reads the state of the stacks the pipeline plans with the deployer's prefix condition, and writes none", () => {
    const bindings = resourcesOf(json, "google_storage_bucket_iam_member");
    const builder = bindings.builder_storage_object_viewer;
    expect(builder).toMatchObject({ bucket: "mindmirror-tofu-state", role: "roles/storage.objectViewer" });
    // Listing is checked on the bucket, so the condition admits it through the prefix asked for, as the deployer's does.
    expect(builder.condition).toEqual(bindings.deployer_storage_object_user.condition);
    expect(builder.condition.expression).toContain('api.getAttribute("storage.googleapis.com/objectListPrefix", "").startsWith("envs/production/services/")');
    expect(builder.condition.expression).not.toMatch(/foundation/);
  });

  it("publishes its email for the unattended jobs", () => {
    expect(json.output?.builder_service_account.value).toBe("${google_service_account.builder.email}");
  });
});

describe("staging, without a gate", () => {
  const { json } = foundationOf(staging);

  it("has no builder: every job but the read-only plans uses the deployer, bound to jobs of the repository in the staging environment", () => {
    expect(staging.approval.gate).toEqual({ kind: "none" });
    const runtime = SERVICES.map((s) => s.name.replace(/-/g, "_"));
    expect(Object.keys(resourcesOf(json, "google_service_account")).filter((name) => !runtime.includes(name))).toEqual(["deployer", "planner"]);
    expect(grantsOf(json).filter((g) => g.member === "builder")).toEqual([]);
    expect(json.output?.builder_service_account).toBeUndefined();
    expect(resourcesOf(json, "google_service_account_iam_member").deployer_workload_identity_user.member).toBe(
      "principalSet://iam.googleapis.com/${google_iam_workload_identity_pool.github.name}/attribute.repository_environment/Peleke/MindMirror:staging",
    );
  });

  it("keeps the repository-only attribute condition", () => {
    expect(resourcesOf(json, "google_iam_workload_identity_pool_provider").github_oidc.attribute_condition).toBe(
      'assertion.repository == "Peleke/MindMirror"',
    );
  });
});

describe("builder derived from the environment model", () => {
  it("follows a gate wherever the config puts one", () => {
    const gated = withGate(staging, { githubEnvironment: "staging-gate" });
    const { json } = foundationOf(gated);
    const bindings = resourcesOf(json, "google_service_account_iam_member");
    expect(bindings.deployer_workload_identity_user.member).toMatch(/\/attribute\.repository_environment\/Peleke\/MindMirror:staging-gate$/);
    expect(bindings.builder_workload_identity_user.member).toMatch(/\/attribute\.repository_environment\/Peleke\/MindMirror:staging-ci$/);
    expect(resourcesOf(json, "google_service_account").builder).toMatchObject({ account_id: "github-builder-staging", project: "mindmirror-69" });
    // The managed bucket's name attribute orders the grant after the bucket, as for the deployer.
    expect(resourcesOf(json, "google_storage_bucket_iam_member").builder_storage_object_viewer.bucket).toBe("${google_storage_bucket.tofu_state.name}");
  });

  it("names the account each kind of job authenticates as", () => {
    expect(builderEmail(production)).toBe("github-builder-production@mindmirror-prod.iam.gserviceaccount.com");
    expect(builderEmail(staging)).toBeUndefined();
    expect(ciAccountEmail(production, "unattended")).toBe("github-builder-production@mindmirror-prod.iam.gserviceaccount.com");
    expect(ciAccountEmail(production, "deploy")).toBe("github-actions-production@mindmirror-prod.iam.gserviceaccount.com");
    expect(ciAccountEmail(staging, "unattended")).toBe(deployerEmail(staging));
    expect(ciAccountEmail(staging, "deploy")).toBe(deployerEmail(staging));
  });
});

describe("builder config errors", () => {
  it("fails if the builder is the deployer", () => {
    const same = withBuilder(production, "github-actions-production");
    expect(() => validateEnvironment(same)).toThrow(
      /^environments\.production\.approval\.gate\.unattended\.builderAccountId: "github-actions-production" is not valid; it is ci\.deployerAccountId too, which would give ungated jobs the deployer's rights/,
    );
  });

  it("fails if the builder is the planner", () => {
    expect(() => validateEnvironment(withBuilder(production, "github-planner-production"))).toThrow(
      /^environments\.production\.approval\.gate\.unattended\.builderAccountId: "github-planner-production" is not valid; it is ci\.plannerAccountId too, which would give pull requests the builder's rights/,
    );
  });

  it("fails if the builder is not a service account id", () => {
    expect(() => validateEnvironment(withBuilder(production, "Builder_Prod"))).toThrow(
      /environments\.production\.approval\.gate\.unattended\.builderAccountId: "Builder_Prod" is not valid; a service account id has 6-30 lowercase letters/,
    );
    expect(() => validateEnvironment(withBuilder(production, "b"))).toThrow(/unattended\.builderAccountId: "b" is not valid/);
  });

  it("refuses a Builder for an environment without a gate, naming the gate", () => {
    const { stack } = foundationOf(staging);
    const targets = { registry: stack.registry, runtimeAccounts: {}, cloudRunServices: [], urlsSecret: "service-urls-staging", stateBucket: "b", statePrefixes: [] };
    expect(() => new Builder(stack, "extra-builder", { environment: staging, identity: stack.identity, ...targets })).toThrow(
      /^environments\.staging\.approval\.gate\.kind: "none" is not valid; a Builder exists for environments whose applies wait for reviewers/,
    );
  });

  it("accepts the shipped environments", () => {
    expect(() => validateEnvironment(production)).not.toThrow();
    expect(() => validateEnvironment(staging)).not.toThrow();
  });
});
