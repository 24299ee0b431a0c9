import { BUCKETS, SERVICES, type BucketDefinition, type ServiceDefinition } from "../../catalog";
import { ENVIRONMENTS, production, staging, type EnvironmentConfig } from "../../environments";
import { Testing, type TerraformStack } from "../../lib/cdk";
import { defineEnvironment } from "../../stacks";
import { buildStacks, imagesFor, notesService, resourcesOf, synth, withEnv, type TerraformJson } from "../helpers";
import { foundationOf, importsOf } from "./grants";

/** The secrets each service reads today (infra/main.tf of the application repository), written out. */
const SECRETS_READ: Record<string, string[]> = {
  agent_service: [
    "CELERY_WORKER_URL",
    "DATABASE_URL",
    "OPENAI_API_KEY",
    "QDRANT_API_KEY",
    "QDRANT_URL",
    "REDIS_URL",
    "SUPABASE_ANON_KEY",
    "SUPABASE_SERVICE_ROLE_KEY",
    "SUPABASE_URL",
  ],
  journal_service: [
    "CELERY_WORKER_URL",
    "DATABASE_URL",
    "REDIS_URL",
    "REINDEX_SECRET_KEY",
    "SUPABASE_ANON_KEY",
    "SUPABASE_CA_CERT_PATH",
    "SUPABASE_SERVICE_ROLE_KEY",
    "SUPABASE_URL",
  ],
  habits_service: ["DATABASE_URL", "VOUCHERS_WEB_BASE_URL"],
  meals_service: ["DATABASE_URL"],
  movements_service: ["DATABASE_URL"],
  practices_service: ["DATABASE_URL"],
  users_service: ["DATABASE_URL"],
  gateway: ["SUPABASE_ANON_KEY", "SUPABASE_JWT_SECRET", "SUPABASE_URL", "VOUCHERS_WEB_BASE_URL"],
};

/** Stacks of an environment in the order they are applied. */
function inApplyOrder(env: EnvironmentConfig, catalog?: readonly ServiceDefinition[]): [string, TerraformJson][] {
  const stacks = defineEnvironment(Testing.app(), { environment: env, images: imagesFor(env), catalog });
  const order: TerraformStack[] = [stacks.foundation, stacks.services, stacks.gateway];
  return order.map((stack) => [stack.node.id, synth(stack).json]);
}

/**
 * Every runtime account a stack names (as an IAM member or as what a service
 * runs as) that no stack applied up to and including it creates, as
 * `<stack>: <email>`. Accounts a stack creates itself must be named through
 * the resource, so OpenTofu orders the grant after the account.
 */
function namedBeforeCreated(stacks: [string, TerraformJson][]): string[] {
  const created = new Set<string>();
  const problems: string[] = [];
  for (const [name, json] of stacks) {
    const accounts = resourcesOf(json, "google_service_account");
    for (const account of Object.values(accounts)) created.add(`${account.account_id}@${account.project}.iam.gserviceaccount.com`);
    const text = JSON.stringify(json.resource);
    for (const [, ref] of text.matchAll(/\$\{google_service_account\.(\w+)\.\w+\}/g)) {
      if (accounts[ref] === undefined) problems.push(`${name}: google_service_account.${ref}`);
    }
    for (const email of new Set(text.match(/[a-z][a-z0-9-]+@[a-z0-9-]+\.iam\.gserviceaccount\.com/g) ?? [])) {
      const ownedHere = Object.values(accounts).some((a) => `${a.account_id}@${a.project}.iam.gserviceaccount.com` === email);
      if (!created.has(email) || ownedHere) problems.push(`${name}: ${email}`);
    }
  }
  return problems;
}

describe.each(ENVIRONMENTS.map((env) => [env.name, env] as const))("runtime accounts of %s", (_name, env) => {
  const { json } = foundationOf(env);
  const accounts = resourcesOf(json, "google_service_account");

  it("are created by the foundation, one per catalog service, under today's ids", () => {
    const suffix = env.naming.accountSuffix;
    for (const service of SERVICES) {
      const account = accounts[service.name.replace(/-/g, "_")];
      expect(account).toMatchObject({ account_id: `${service.name}${suffix}`, project: env.project.id, lifecycle: { prevent_destroy: true } });
      expect(account.create_ignore_already_exists).toBeUndefined();
    }
  });

  it("adopts every account that exists today and creates habits-service's, which is new", () => {
    const imported = Object.keys(importsOf(json)).filter((to) => to.startsWith("google_service_account.") && !/deployer|builder|planner/.test(to));
    expect(imported.sort()).toEqual(
      ["agent_service", "gateway", "journal_service", "meals_service", "movements_service", "practices_service", "users_service"].map(
        (n) => `google_service_account.${n}`,
      ),
    );
  });

  it("read exactly the secrets their service reads, one grant per secret, never project-wide", () => {
    const read: Record<string, string[]> = {};
    for (const grant of Object.values(resourcesOf(json, "google_secret_manager_secret_iam_member"))) {
      const account = /^serviceAccount:\$\{google_service_account\.(\w+)\.email\}$/.exec(grant.member)?.[1];
      if (account === undefined || account === "deployer" || account === "builder" || account === "planner") continue;
      expect(grant).toMatchObject({ project: env.project.id, role: "roles/secretmanager.secretAccessor" });
      (read[account] ??= []).push(grant.secret_id);
    }
    for (const list of Object.values(read)) list.sort();
    expect(read).toEqual(SECRETS_READ);
    const projectRoles = Object.values(resourcesOf(json, "google_project_iam_member")).map((m) => m.role);
    expect(projectRoles).not.toContain("roles/secretmanager.secretAccessor");
  });

  it("pins the secret grants' addresses", () => {
    const addresses = Object.keys(resourcesOf(json, "google_secret_manager_secret_iam_member")).filter((a) => !/^(deployer|builder|planner)_/.test(a));
    expect(addresses.sort()).toEqual(
      Object.entries(SECRETS_READ)
        .flatMap(([account, secrets]) => secrets.map((secret) => `${account}_secret_${secret.toLowerCase()}`))
        .sort(),
    );
    expect(resourcesOf(json, "google_secret_manager_secret_iam_member").habits_service_secret_vouchers_web_base_url).toMatchObject({
      secret_id: "VOUCHERS_WEB_BASE_URL",
    });
    expect(resourcesOf(json, "google_secret_manager_secret_iam_member").agent_service_secret_celery_worker_url).toMatchObject({
      secret_id: "CELERY_WORKER_URL",
    });
  });

  it("exist before anything grants on them or runs as them: no stack names an account an earlier stack has not created", () => {
    expect(namedBeforeCreated(inApplyOrder(env))).toEqual([]);
  });
});

describe("the apply-order check", () => {
  it("fails when a runtime account is granted on in a stack applied before the one that creates it", () => {
    // Journal's account moved from the foundation to the services stack: the foundation's grants would then name an account applied later.
    const stacks = inApplyOrder(staging);
    const [foundationName, foundation] = stacks[0];
    const moved = JSON.parse(JSON.stringify(foundation)) as TerraformJson;
    delete moved.resource.google_service_account.journal_service;
    const services = JSON.parse(JSON.stringify(stacks[1][1])) as TerraformJson;
    services.resource.google_service_account = { journal_service: { account_id: "journal-service-staging", project: "mindmirror-69" } };
    expect([...new Set(namedBeforeCreated([[foundationName, moved], [stacks[1][0], services], stacks[2]]))]).toEqual([
      "foundation-staging: google_service_account.journal_service",
      "services-staging: journal-service-staging@mindmirror-69.iam.gserviceaccount.com",
    ]);
  });
});

describe.each([
  { env: staging, bucket: "traditions-mindmirror-69-staging" },
  { env: production, bucket: "traditions-mindmirror-prod-production" },
])("traditions bucket of $env.name", ({ env, bucket }) => {
  const { json } = foundationOf(env);

  it("is today's bucket, adopted, uniform, never force-destroyed or destroyed", () => {
    expect(resourcesOf(json, "google_storage_bucket").traditions).toMatchObject({
      name: bucket,
      project: env.project.id,
      location: "US-EAST4",
      uniform_bucket_level_access: true,
      force_destroy: false,
      public_access_prevention: "enforced",
      lifecycle: { prevent_destroy: true },
    });
    expect(importsOf(json)["google_storage_bucket.traditions"]).toBe(`${env.project.id}/${bucket}`);
  });

  it("lets journal view objects and agent administer them and read the bucket, nothing else", () => {
    const grants = Object.entries(resourcesOf(json, "google_storage_bucket_iam_member"))
      .filter(([, g]) => g.bucket === "${google_storage_bucket.traditions.name}")
      .map(([address, g]) => [address, g.role, g.member]);
    expect(grants.sort()).toEqual([
      ["traditions_agent_service_storage_legacy_bucket_reader", "roles/storage.legacyBucketReader", "serviceAccount:${google_service_account.agent_service.email}"],
      ["traditions_agent_service_storage_object_admin", "roles/storage.objectAdmin", "serviceAccount:${google_service_account.agent_service.email}"],
      ["traditions_journal_service_storage_object_viewer", "roles/storage.objectViewer", "serviceAccount:${google_service_account.journal_service.email}"],
    ]);
  });
});

describe("catalog buckets", () => {
  it("are one entry each: a service with bucket access is one catalog entry", () => {
    const catalog = [
      ...SERVICES,
      notesService({ buckets: [{ bucket: "traditions", roles: ["roles/storage.objectViewer"] }] }),
    ];
    const { json } = foundationOf(staging, { catalog });
    expect(resourcesOf(json, "google_storage_bucket_iam_member").traditions_notes_service_storage_object_viewer).toMatchObject({
      role: "roles/storage.objectViewer",
      member: "serviceAccount:${google_service_account.notes_service.email}",
    });
    expect(resourcesOf(json, "google_service_account").notes_service.account_id).toBe("notes-service-staging");
    expect(importsOf(json)["google_service_account.notes_service"]).toBeUndefined();
  });

  it("imports nothing where the environment starts empty", () => {
    const { json } = foundationOf(withEnv(staging, { importExisting: false }));
    expect(json.import).toBeUndefined();
    expect(resourcesOf(json, "google_storage_bucket").traditions.name).toBe("traditions-mindmirror-69-staging");
  });

  it("fails if a bucket grant gives a role that is not a storage role", () => {
    const catalog = SERVICES.map((s) =>
      s.name === "journal-service" ? { ...s, buckets: [{ bucket: "traditions", roles: ["roles/secretmanager.secretAccessor"] }] } : s,
    );
    expect(() => foundationOf(staging, { catalog })).toThrow(
      /^catalog "journal-service"\.buckets "traditions"\.roles: "roles\/secretmanager\.secretAccessor" is not valid; use a Cloud Storage role such as "roles\/storage\.objectViewer"/,
    );
  });

  it("fails if a service names a bucket the catalog does not have", () => {
    const catalog = SERVICES.map((s) => (s.name === "journal-service" ? { ...s, buckets: [{ bucket: "prompts", roles: ["roles/storage.objectViewer"] }] } : s));
    expect(() => foundationOf(staging, { catalog })).toThrow(/^catalog "journal-service"\.buckets: "prompts" is not valid; use a bucket of the catalog: traditions$/);
  });

  it.each([
    ["too long for GCS", "t".repeat(50), /^bucket name of "t{50}" in staging: "t{50}-mindmirror-69-staging" is not valid; GCS allows 3-63 lowercase letters/],
    ["containing google", "google-prompts", /^bucket name of "google-prompts" in staging: "google-prompts-mindmirror-69-staging" is not valid; .*never starting with "goog" or containing "google"/],
  ])("fails if a bucket name breaks GCS naming rules (%s)", (_case, name, error) => {
    const buckets: BucketDefinition[] = [...BUCKETS, { name }];
    expect(() => foundationOf(staging, { buckets })).toThrow(error);
  });

  it("fails if a bucket base name is not lowercase", () => {
    expect(() => foundationOf(staging, { buckets: [{ name: "Traditions" }] })).toThrow(
      /^catalog bucket "Traditions"\.name: "Traditions" is not valid; use lowercase letters, digits and hyphens/,
    );
  });
});

describe("services stack against the foundation", () => {
  it("needs no grant of its own: its services run as the foundation's accounts", () => {
    const { services } = buildStacks(staging);
    const { json } = synth(services);
    expect(json.resource.google_service_account).toBeUndefined();
    expect(json.resource.google_secret_manager_secret_iam_member).toBeUndefined();
  });
});
