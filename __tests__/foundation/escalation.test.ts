import { BUILDER_ROLES, cloudRunServicesCondition, DEPLOYER_ROLES, PLANNER_ROLES, type DeployerRole } from "../../constructs/foundation/deployer-roles";
import { ENVIRONMENTS } from "../../environments";
import { resourcesOf, synth, buildStacks } from "../helpers";

/**
 * The permissions of each predefined role the role lists or the runtime
 * grants use, as Google's IAM role reference lists them (the ones that
 * matter here: anything touching IAM, identities or keys is listed in full).
 * A role missing from this table fails the walk below: look its
 * permissions up before adding it.
 */
const PREDEFINED: Readonly<Record<string, readonly string[]>> = {
  "roles/iam.serviceAccountUser": ["iam.serviceAccounts.actAs", "iam.serviceAccounts.get", "iam.serviceAccounts.list", "resourcemanager.projects.get"],
  "roles/artifactregistry.writer": [
    "artifactregistry.repositories.downloadArtifacts",
    "artifactregistry.repositories.uploadArtifacts",
    "artifactregistry.repositories.get",
    "artifactregistry.tags.create",
    "artifactregistry.tags.update",
  ],
  "roles/storage.objectUser": ["storage.objects.create", "storage.objects.delete", "storage.objects.get", "storage.objects.list", "storage.objects.update"],
  "roles/storage.objectViewer": ["storage.objects.get", "storage.objects.list"],
  "roles/storage.objectAdmin": [
    "storage.objects.create",
    "storage.objects.delete",
    "storage.objects.get",
    "storage.objects.getIamPolicy",
    "storage.objects.list",
    "storage.objects.setIamPolicy",
    "storage.objects.update",
  ],
  "roles/storage.legacyBucketReader": ["storage.buckets.get", "storage.objects.list"],
  "roles/secretmanager.secretAccessor": ["secretmanager.versions.access"],
  "roles/secretmanager.viewer": ["secretmanager.secrets.get", "secretmanager.secrets.getIamPolicy", "secretmanager.versions.get", "secretmanager.versions.list"],
  "roles/run.viewer": ["run.services.get", "run.services.getIamPolicy", "run.services.list", "run.revisions.get", "run.jobs.get"],
  "roles/run.invoker": ["run.routes.invoke", "run.jobs.run"],
  // Hundreds of getIamPolicy and list permissions, and nothing else; on a bucket, that bucket's.
  "roles/iam.securityReviewer": ["storage.buckets.getIamPolicy", "storage.buckets.list", "storage.objects.getIamPolicy", "resourcemanager.projects.getIamPolicy", "iam.roles.list", "iam.serviceAccounts.getIamPolicy"],
};

/** Permissions that let their holder grant itself (or an identity it controls) more. */
const ESCALATION = [
  /\.setIamPolicy$/,
  /^iam\.serviceAccounts\.(actAs|getAccessToken|getOpenIdToken|implicitDelegation|signBlob|signJwt|create|delete|undelete|update)$/,
  /^iam\.serviceAccountKeys\./,
  // Reading a role or a pool changes nothing; defining or changing one does.
  /^iam\.roles\.(?!get$|list$)/,
  /^iam\.workloadIdentityPool\w*\.(?!get$|list$)/,
  /^resourcemanager\.projects\.setIamPolicy$/,
];

function permissionsOf(role: string, custom?: readonly string[]): readonly string[] {
  if (custom !== undefined) return custom;
  const known = PREDEFINED[role];
  if (known === undefined) throw new Error(`${role}: unknown predefined role; check its permissions in the IAM reference and add it to PREDEFINED`);
  return known;
}

/**
 * The escalation paths a CI role list opens, as `role: permission`. Two are
 * accepted, each bounded to what the identity already fully controls:
 * `run.services.setIamPolicy` under the catalog-services condition (IAM of
 * the catalog's own services, which the deployer creates and deletes anyway),
 * and `actAs` on the runtime accounts, checked separately to hold no
 * escalation permission themselves.
 */
function escalations(roles: readonly Pick<DeployerRole, "role" | "permissions" | "scope">[]): string[] {
  const found: string[] = [];
  for (const entry of roles) {
    for (const permission of permissionsOf(entry.role, entry.permissions)) {
      if (!ESCALATION.some((p) => p.test(permission))) continue;
      if (permission === "run.services.setIamPolicy" && entry.scope === "catalog-services") continue;
      if (permission === "iam.serviceAccounts.actAs" && entry.scope === "runtime-service-account") continue;
      found.push(`${entry.role}: ${permission}`);
    }
  }
  return found;
}

describe("role lists", () => {
  it("let neither CI identity grant itself more", () => {
    expect(escalations(DEPLOYER_ROLES)).toEqual([]);
    expect(escalations(BUILDER_ROLES)).toEqual([]);
    expect(escalations(PLANNER_ROLES)).toEqual([]);
  });

  it("leave the planner nothing but reads: no permission that creates, changes, deletes, sets, acts as or mints", () => {
    const all = PLANNER_ROLES.flatMap((r) => permissionsOf(r.role, r.permissions));
    expect(all.filter((p) => !/\.(get|getIamPolicy|list)$/.test(p) && p !== "secretmanager.versions.access")).toEqual([]);
    // The one payload it reads is the service URLs'.
    expect(PLANNER_ROLES.filter((r) => permissionsOf(r.role, r.permissions).includes("secretmanager.versions.access")).map((r) => r.scope)).toEqual(["service-urls-secret"]);
  });

  it("hold no setIamPolicy on secrets, no account administration and nothing of Cloud Run jobs", () => {
    const lists: readonly Pick<DeployerRole, "role" | "permissions">[] = [...DEPLOYER_ROLES, ...BUILDER_ROLES];
    const all = lists.flatMap((r) => permissionsOf(r.role, r.permissions).map((p) => `${r.role} ${p}`));
    expect(all.filter((p) => /secretmanager\.secrets\.setIamPolicy|iam\.serviceAccounts\.(create|update|delete)|run\.(jobs|executions)\.(?!get)/.test(p))).toEqual([]);
    expect(DEPLOYER_ROLES.map((r) => r.role)).not.toContain("roles/run.developer");
  });

  it("fail the walk on each kind of escalation", () => {
    expect(escalations([{ role: "x", scope: "project", permissions: ["secretmanager.secrets.setIamPolicy"] }])).toEqual([
      "x: secretmanager.secrets.setIamPolicy",
    ]);
    expect(escalations([{ role: "x", scope: "project", permissions: ["run.services.setIamPolicy"] }])).toEqual(["x: run.services.setIamPolicy"]);
    expect(escalations([{ role: "roles/iam.serviceAccountUser", scope: "project" }])).toEqual(["roles/iam.serviceAccountUser: iam.serviceAccounts.actAs"]);
    expect(escalations([{ role: "x", scope: "project", permissions: ["iam.serviceAccountKeys.create"] }])).toEqual(["x: iam.serviceAccountKeys.create"]);
    expect(escalations([{ role: "x", scope: "project", permissions: ["iam.roles.get", "iam.roles.update", "iam.workloadIdentityPools.get", "iam.workloadIdentityPoolProviders.update"] }])).toEqual([
      "x: iam.roles.update",
      "x: iam.workloadIdentityPoolProviders.update",
    ]);
    expect(() => escalations([{ role: "roles/run.developer", scope: "project" }])).toThrow(/unknown predefined role/);
  });
});

describe("cloudRunServicesCondition", () => {
  it("admits the named services by their last name segment, and everything that is not a Cloud Run service", () => {
    expect(cloudRunServicesCondition(["b", "a-staging"])).toBe(
      'resource.type != "run.googleapis.com/Service" || resource.name.endsWith("/services/a-staging") || resource.name.endsWith("/services/b")',
    );
  });

  it("fails on a name that could break out of the CEL string, or on none", () => {
    expect(() => cloudRunServicesCondition(['a") || true || ("'])).toThrow(/is not a Cloud Run service name/);
    expect(() => cloudRunServicesCondition([])).toThrow(/name at least one service/);
  });
});

describe.each(ENVIRONMENTS.map((env) => [env.name, env] as const))("in %s", (_name, env) => {
  const stacks = buildStacks(env);
  const foundation = synth(stacks.foundation).json;
  const deployed = [synth(stacks.services).json, synth(stacks.gateway).json];

  it("binds the deployer's Cloud Run role only under the condition naming the catalog's services", () => {
    const binding = resourcesOf(foundation, "google_project_iam_member").deployer_mindmirror_deployer_run_services;
    expect(binding.condition.expression).toMatch(/^resource\.type != "run\.googleapis\.com\/Service" \|\| resource\.name\.endsWith\("\/services\//);
  });

  it("lets the deployer act only as runtime accounts, which themselves can grant nothing", () => {
    const runtime = Object.entries(resourcesOf(foundation, "google_service_account"))
      .filter(([name]) => !["deployer", "builder", "planner"].includes(name))
      .map(([name, a]) => ({ ref: `serviceAccount:\${google_service_account.${name}.email}`, email: `serviceAccount:${a.account_id}@${a.project}.iam.gserviceaccount.com` }));
    const actAs = Object.values(resourcesOf(foundation, "google_service_account_iam_member")).filter((m) => m.role === "roles/iam.serviceAccountUser");
    expect(actAs.map((m) => m.service_account_id).sort()).toEqual(
      Object.keys(resourcesOf(foundation, "google_service_account"))
        .filter((name) => !["deployer", "builder", "planner"].includes(name))
        .map((name) => `\${google_service_account.${name}.name}`)
        .sort(),
    );

    const members = new Set(runtime.flatMap((r) => [r.ref, r.email]));
    const held: string[] = [];
    let checked = 0;
    for (const json of [foundation, ...deployed]) {
      for (const [type, resources] of Object.entries(json.resource)) {
        if (!type.endsWith("_iam_member")) continue;
        for (const grant of Object.values(resources)) {
          if (!members.has(grant.member)) continue;
          checked++;
          for (const permission of permissionsOf(grant.role)) {
            // Object IAM is off on a uniform-access bucket: objectAdmin's object setIamPolicy has nothing to set.
            if (permission === "storage.objects.setIamPolicy" && type === "google_storage_bucket_iam_member") {
              expect(resourcesOf(foundation, "google_storage_bucket")[String(grant.bucket).replace(/^\$\{google_storage_bucket\.(\w+)\.name\}$/, "$1")].uniform_bucket_level_access).toBe(true);
              continue;
            }
            if (ESCALATION.some((p) => p.test(permission))) held.push(`${grant.member} ${grant.role} ${permission}`);
          }
        }
      }
    }
    expect(held).toEqual([]);
    // Secret, bucket and invoker grants of all 8 accounts were walked.
    expect(checked).toBeGreaterThan(40);
  });
});
