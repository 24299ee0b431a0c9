import { CloudRunV2Service } from "@cdktf/provider-google/lib/cloud-run-v2-service";
import { SecretManagerSecret } from "@cdktf/provider-google/lib/secret-manager-secret";
import { SecretManagerSecretIamMember } from "@cdktf/provider-google/lib/secret-manager-secret-iam-member";
import { SecretManagerSecretVersion } from "@cdktf/provider-google/lib/secret-manager-secret-version";
import { SERVICES, servicesOf } from "../catalog";
import { production, staging } from "../environments";
import { buildStacks, resourcesOf, synth, withEnv, type TerraformJson } from "./helpers";

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
    const member = String(grant.member).replace(/^serviceAccount:\$\{google_service_account\.(\w+)\.email\}$/, "$1");
    (byService[service] ??= []).push(member);
  }
  for (const members of Object.values(byService)) members.sort();
  return byService;
}

describe("services stack", () => {
  const { services } = buildStacks(staging);
  const { text, json } = synth(services);

  it("deploys the 7 backends as Cloud Run v2 services, not the deprecated v1", () => {
    expect(Object.values(resourcesOf(json, "google_cloud_run_v2_service")).map((s) => s.name).sort()).toEqual(
      servicesOf(SERVICES, "services").map((s) => `${s.name}-staging`).sort(),
    );
    expect(json.resource.google_cloud_run_service).toBeUndefined();
  });

  it("runs each service as its own service account", () => {
    const accounts = Object.values(resourcesOf(json, "google_cloud_run_v2_service")).map((s) => s.template.service_account);
    expect(new Set(accounts).size).toBe(7);
    expect(json.resource.google_cloud_run_v2_service.habits_service.template.service_account).toBe(
      "${google_service_account.habits_service.email}",
    );
  });

  it("reads every secret env from Secret Manager by reference, never as a value", () => {
    const journal = json.resource.google_cloud_run_v2_service.journal_service.template.containers[0];
    const secretEnv = SERVICES.find((s) => s.name === "journal-service")!.secretEnv;
    for (const name of secretEnv) {
      expect(journal.env).toContainEqual({ name, value_source: { secret_key_ref: { secret: name, version: "latest" } } });
    }
    expect(json.data).toBeUndefined();
  });

  it("grants secretAccessor per secret, to the one service that reads it", () => {
    const grants = Object.values(resourcesOf(json, "google_secret_manager_secret_iam_member"));
    expect(grants).toHaveLength(SERVICES.filter((s) => s.stack === "services").reduce((n, s) => n + s.secretEnv.length, 0));
    expect(text).toHaveResourceWithProperties(SecretManagerSecretIamMember, {
      secret_id: "OPENAI_API_KEY",
      role: "roles/secretmanager.secretAccessor",
      member: "serviceAccount:${google_service_account.agent_service.email}",
    });
    expect(grants.filter((g) => g.secret_id === "OPENAI_API_KEY")).toHaveLength(1);
    expect(json.resource.google_project_iam_member).toBeUndefined();
    expect(json.resource.google_project_iam_binding).toBeUndefined();
  });

  it("waits for a service's secret grants before deploying it", () => {
    const habits = json.resource.google_cloud_run_v2_service.habits_service;
    expect(habits.depends_on).toEqual([expect.stringMatching(/^google_secret_manager_secret_iam_member\.habits-service_secret-DATABASE_URL_/)]);
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

  it("gives meals, movements and users 1 CPU and 512Mi", () => {
    for (const name of ["meals_service", "movements_service", "users_service"]) {
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
      for (const env of [staging, production]) {
        expect(env.invoker.unauthenticatedBackends).toBe(true);
        const members = invokers(synth(buildStacks(env).services).json);
        for (const service of servicesOf(SERVICES, "services")) {
          expect(members[service.name.replace(/-/g, "_")]).toContain("allUsers");
        }
      }
    });
  });

  describe("adopting today's resources", () => {
    it("imports the existing Cloud Run services and URL secret where importExisting is on", () => {
      const { json: prod } = synth(buildStacks(production).services);
      expect(prod.import).toEqual(
        expect.arrayContaining([
          { id: "projects/mindmirror-prod/locations/us-east4/services/users-service", to: "google_cloud_run_v2_service.users_service" },
          { id: "projects/mindmirror-prod/secrets/service-urls-production", to: "google_secret_manager_secret.service_urls" },
        ]),
      );
      expect(prod.import).toHaveLength(8);
    });

    it("adopts existing runtime service accounts instead of failing on them", () => {
      for (const account of Object.values(resourcesOf(json, "google_service_account"))) {
        expect(account.create_ignore_already_exists).toBe(true);
      }
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
      const { json: prod } = synth(buildStacks(production).services);
      expect(prod.terraform.backend).toEqual({ gcs: {} });
    });
  });

  it("matches the snapshot (a change detector; behaviour is asserted above)", () => {
    expect(text).toMatchSnapshot();
  });
});
