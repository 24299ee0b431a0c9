import { CloudRunV2Service } from "@cdktf/provider-google/lib/cloud-run-v2-service";
import { SecretManagerSecret } from "@cdktf/provider-google/lib/secret-manager-secret";
import { SecretManagerSecretVersion } from "@cdktf/provider-google/lib/secret-manager-secret-version";
import { SERVICES, servicesOf } from "../catalog";
import { production, staging } from "../environments";
import { Testing } from "../lib/cdk";
import { defineEnvironment } from "../stacks";
import { buildStacks, imagesFor, resourcesOf, synth, withEnv, type TerraformJson } from "./helpers";

const PIPELINE_OUTPUTS = [
  "agent_service_url",
  "journal_service_url",
  "habits_service_url",
  "meals_service_url",
  "movements_service_url",
  "practices_service_url",
  "users_service_url",
];
const locked = withEnv(staging, { invoker: { unauthenticatedBackends: false } });

/** `{service Terraform name -> sorted invoker members}` of a stack, with accounts shown by resource name. */
function invokers(json: TerraformJson): Record<string, string[]> {
  const byService: Record<string, string[]> = {};
  for (const grant of Object.values(resourcesOf(json, "google_cloud_run_v2_service_iam_member"))) {
    expect(grant.role).toBe("roles/run.invoker");
    const service = String(grant.name).replace(/^\$\{google_cloud_run_v2_service\.(\w+)\.name\}$/, "$1");
    const member = String(grant.member).replace(/^serviceAccount:([a-z-]+?)-staging@mindmirror-69\.iam\.gserviceaccount\.com$/, (_m, s: string) => s.replace(/-/g, "_"));
    (byService[service] ??= []).push(member);
  }
  for (const members of Object.values(byService)) members.sort();
  return byService;
}

describe("services stack", () => {
  const { services } = buildStacks(staging);
  const { text, json } = synth(services);
  const prod = synth(buildStacks(production).services).json;
  const byEnv = [
    [staging, json],
    [production, prod],
  ] as const;

  it("deploys the 7 backends as Cloud Run v2 services, not the deprecated v1", () => {
    expect(Object.values(resourcesOf(json, "google_cloud_run_v2_service")).map((s) => s.name).sort()).toEqual(
      servicesOf(SERVICES, "services").map((s) => `${s.name}-staging`).sort(),
    );
    expect(json.resource.google_cloud_run_service).toBeUndefined();
  });

  it("runs each service as its own account, named by email: the foundation creates it", () => {
    const accounts = Object.values(resourcesOf(json, "google_cloud_run_v2_service")).map((s) => s.template.service_account);
    expect(new Set(accounts).size).toBe(7);
    expect(json.resource.google_cloud_run_v2_service.habits_service.template.service_account).toBe(
      "habits-service-staging@mindmirror-69.iam.gserviceaccount.com",
    );
    expect(json.resource.google_cloud_run_v2_service.journal_service.template.service_account).toBe(
      "journal-service-staging@mindmirror-69.iam.gserviceaccount.com",
    );
  });

  it("creates no account and grants nothing on secrets, accounts or the project", () => {
    for (const type of [
      "google_service_account",
      "google_secret_manager_secret_iam_member",
      "google_service_account_iam_member",
      "google_project_iam_member",
      "google_project_iam_binding",
      "google_storage_bucket_iam_member",
    ]) {
      expect([type, json.resource[type]]).toEqual([type, undefined]);
    }
    for (const service of Object.values(resourcesOf(json, "google_cloud_run_v2_service"))) expect(service.depends_on).toBeUndefined();
  });

  it("reads every secret env from Secret Manager by reference, never as a value", () => {
    const journal = json.resource.google_cloud_run_v2_service.journal_service.template.containers[0];
    const secretEnv = SERVICES.find((s) => s.name === "journal-service")!.secretEnv;
    for (const name of secretEnv) {
      expect(journal.env).toContainEqual({ name, value_source: { secret_key_ref: { secret: name, version: "latest" } } });
    }
    expect(json.data).toBeUndefined();
  });

  it.each([
    ["agent_service", "CELERY_WORKER_URL"],
    ["journal_service", "CELERY_WORKER_URL"],
    ["habits_service", "VOUCHERS_WEB_BASE_URL"],
  ])("%s reads %s from the secret of that name, as today", (service, name) => {
    const env: Record<string, any>[] = json.resource.google_cloud_run_v2_service[service].template.containers[0].env;
    expect(env.filter((e) => e.name === name)).toEqual([{ name, value_source: { secret_key_ref: { secret: name, version: "latest" } } }]);
  });

  it("marks CELERY_WORKER_URL deprecated where it is read", () => {
    for (const name of ["agent-service", "journal-service"]) {
      expect(SERVICES.find((s) => s.name === name)!.deprecatedEnv?.CELERY_WORKER_URL).toMatch(/not deployed/);
    }
  });

  it("sets GCS_BUCKET_NAME of agent and journal to the environment's traditions bucket", () => {
    for (const [j, bucket] of [
      [json, "traditions-mindmirror-69-staging"],
      [prod, "traditions-mindmirror-prod-production"],
    ] as const) {
      for (const service of ["agent_service", "journal_service"]) {
        const vars: Record<string, any>[] = j.resource.google_cloud_run_v2_service[service].template.containers[0].env;
        expect(vars.filter((e) => e.name === "GCS_BUCKET_NAME")).toEqual([{ name: "GCS_BUCKET_NAME", value: bucket }]);
      }
    }
  });

  it("allocates CPU only during requests, without startup boost, as today", () => {
    for (const [, j] of byEnv) {
      for (const service of Object.values(resourcesOf(j, "google_cloud_run_v2_service"))) {
        const { cpu_idle, startup_cpu_boost } = service.template.containers[0].resources;
        expect([service.name, cpu_idle, startup_cpu_boost]).toEqual([service.name, true, false]);
      }
    }
  });

  it("scales users-service from 0, caps practices at 10, and gives the rest the environment's bounds", () => {
    for (const [j, max] of [
      [json, 4],
      [prod, 20],
    ] as const) {
      const scaling = Object.fromEntries(
        Object.entries(resourcesOf(j, "google_cloud_run_v2_service")).map(([name, s]) => [name, s.template.scaling]),
      );
      expect(scaling).toEqual({
        agent_service: { min_instance_count: 1, max_instance_count: max },
        journal_service: { min_instance_count: 1, max_instance_count: max },
        habits_service: { min_instance_count: 1, max_instance_count: max },
        meals_service: { min_instance_count: 1, max_instance_count: max },
        movements_service: { min_instance_count: 1, max_instance_count: max },
        practices_service: { min_instance_count: 1, max_instance_count: 10 },
        users_service: { min_instance_count: 0, max_instance_count: max },
      });
    }
  });

  it("probes startup by TCP, or by HTTP where the catalog names a health path", () => {
    const practices = json.resource.google_cloud_run_v2_service.practices_service.template.containers[0];
    expect(practices.startup_probe.http_get).toEqual({ path: "/health", port: 8000 });
    expect(practices.liveness_probe.http_get).toEqual({ path: "/health", port: 8000 });
    const habits = json.resource.google_cloud_run_v2_service.habits_service.template.containers[0];
    expect(habits.startup_probe.tcp_socket).toEqual({ port: 8003 });
    expect(habits.liveness_probe).toBeUndefined();
    expect(habits.ports).toEqual({ container_port: 8003 });
  });

  it("gives every service 4 min to start (24 x 10 s, 5 s timeout) and replaces a hung one after 3 missed checks 30 s apart", () => {
    const timings = (probe: Record<string, unknown> | undefined) =>
      probe && { period: probe.period_seconds, timeout: probe.timeout_seconds, failures: probe.failure_threshold };
    for (const [name, service] of Object.entries(resourcesOf(json, "google_cloud_run_v2_service"))) {
      const container = service.template.containers[0];
      expect({ name, startup: timings(container.startup_probe) }).toEqual({ name, startup: { period: 10, timeout: 5, failures: 24 } });
      if (container.liveness_probe !== undefined) {
        expect({ name, liveness: timings(container.liveness_probe) }).toEqual({ name, liveness: { period: 30, timeout: 5, failures: 3 } });
      }
    }
    const practices = json.resource.google_cloud_run_v2_service.practices_service.template.containers[0];
    expect(timings(practices.liveness_probe)).toEqual({ period: 30, timeout: 5, failures: 3 });
  });

  it("gives meals, movements, practices and users 1 CPU and 512Mi", () => {
    for (const name of ["meals_service", "movements_service", "practices_service", "users_service"]) {
      expect(json.resource.google_cloud_run_v2_service[name].template.containers[0].resources.limits).toEqual({ cpu: "1", memory: "512Mi" });
    }
  });

  it("labels services with the environment's labels", () => {
    expect(text).toHaveResourceWithProperties(CloudRunV2Service, {
      name: "users-service-staging",
      labels: { app: "mindmirror", "managed-by": "cdktf", environment: "staging", service: "users-service" },
    });
  });

  it("outputs exactly the 7 URLs the pipeline reads", () => {
    expect(Object.keys(json.output!).sort()).toEqual([...PIPELINE_OUTPUTS].sort());
    expect(json.output!.users_service_url.value).toBe("https://users-service-staging-3858903851.us-east4.run.app");
  });

  it("publishes the URLs in service-urls-<env> as one JSON object with exactly the 7 keys", () => {
    expect(text).toHaveResourceWithProperties(SecretManagerSecret, {
      secret_id: "service-urls-staging",
      replication: { auto: {} },
    });
    const version = json.resource.google_secret_manager_secret_version.service_urls;
    expect(version.secret).toBe("${google_secret_manager_secret.service_urls.id}");
    const document = JSON.parse(version.secret_data) as Record<string, string>;
    expect(Object.keys(document).sort()).toEqual([...PIPELINE_OUTPUTS].sort());
    for (const key of PIPELINE_OUTPUTS) {
      expect(document[key]).toBe(json.output![key].value);
      expect(document[key]).toMatch(/^https:\/\//);
    }
    expect(version.depends_on).toHaveLength(7);
    expect(text).toHaveResourceWithProperties(SecretManagerSecretVersion, { secret_data: expect.stringContaining("agent_service_url") });
  });

  it("lets journal and agent call each other without a dependency cycle", () => {
    const agent = json.resource.google_cloud_run_v2_service.agent_service;
    const journal = json.resource.google_cloud_run_v2_service.journal_service;
    expect(JSON.stringify(agent)).not.toContain("google_cloud_run_v2_service.journal_service");
    expect(JSON.stringify(journal)).not.toContain("google_cloud_run_v2_service.agent_service");
  });

  describe("invoker IAM", () => {
    it("follows the call graph: each backend is invokable by its callers' accounts only", () => {
      const { json: lockedJson } = synth(buildStacks(locked).services);
      expect(invokers(lockedJson)).toEqual({
        agent_service: ["journal_service", "users_service"],
        journal_service: ["agent_service", "users_service"],
        habits_service: ["users_service"],
        meals_service: ["users_service"],
        movements_service: ["users_service"],
        users_service: ["journal_service", "practices_service"],
      });
    });

    it("grants no public access to backends unless the environment allows it", () => {
      const { text: lockedText } = synth(buildStacks(locked).services);
      expect(lockedText).not.toContain("allUsers");
      expect(lockedText).not.toContain("allAuthenticatedUsers");
    });

    it("keeps every backend publicly invokable where unauthenticatedBackends is on", () => {
      for (const [env, j] of byEnv) {
        expect(env.invoker.unauthenticatedBackends).toBe(true);
        const members = invokers(j);
        for (const service of servicesOf(SERVICES, "services")) {
          expect(members[service.name.replace(/-/g, "_")]).toContain("allUsers");
        }
      }
    });
  });

  describe("adopting today's resources", () => {
    it("imports the existing Cloud Run services and URL secret where importExisting is on", () => {
      expect(prod.import).toEqual(
        expect.arrayContaining([
          { id: "projects/mindmirror-prod/locations/us-east4/services/users-service", to: "google_cloud_run_v2_service.users_service" },
          { id: "projects/mindmirror-prod/secrets/service-urls-production", to: "google_secret_manager_secret.service_urls" },
        ]),
      );
      expect(prod.import).toHaveLength(8);
    });

    it("adopts only what the catalog says exists: a new service is created", () => {
      const catalog = SERVICES.map((s) => (s.name === "meals-service" ? { ...s, adopt: undefined } : s));
      const { json: j } = synth(defineEnvironment(Testing.app(), { environment: staging, images: imagesFor(staging), catalog }).services);
      const targets = (j.import as { to: string }[]).map((i) => i.to);
      expect(targets).not.toContain("google_cloud_run_v2_service.meals_service");
      expect(targets).toContain("google_cloud_run_v2_service.movements_service");
    });

    it("imports nothing in an environment that starts empty", () => {
      const { json: fresh } = synth(buildStacks(withEnv(staging, { importExisting: false })).services);
      expect(fresh.import).toBeUndefined();
    });
  });

  describe("state", () => {
    it("writes a complete GCS backend for staging, under the stack's own prefix", () => {
      expect(json.terraform.backend).toEqual({ gcs: { bucket: "mindmirror-tofu-state", prefix: "envs/staging/services" } });
    });

    it("writes an empty (partial) GCS backend for production", () => {
      expect(prod.terraform.backend).toEqual({ gcs: {} });
    });
  });

  it("matches the snapshot (a change detector; behaviour is asserted above)", () => {
    expect(text).toMatchSnapshot();
  });
});
