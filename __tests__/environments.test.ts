import { CloudRunV2Service } from "@cdktf/provider-google/lib/cloud-run-v2-service";
import { GoogleProvider } from "@cdktf/provider-google/lib/provider";
import { SecretManagerSecret } from "@cdktf/provider-google/lib/secret-manager-secret";
import { ServiceAccount } from "@cdktf/provider-google/lib/service-account";
import { ENVIRONMENTS, production, staging, validateEnvironment, type EnvironmentConfig } from "../environments";
import { SERVICES } from "../catalog";
import { Testing } from "../lib/cdk";
import { buildStacks, resourcesOf, synth, withEnv, withGate } from "./helpers";

function envOf(json: ReturnType<typeof synth>["json"], service: string): Record<string, string> {
  const container = resourcesOf(json, "google_cloud_run_v2_service")[service].template.containers[0];
  return Object.fromEntries(
    (container.env as { name: string; value?: string }[]).filter((e) => e.value !== undefined).map((e) => [e.name, e.value!]),
  );
}

describe("environments", () => {
  it("synthesizes staging and production, in that order", () => {
    expect(ENVIRONMENTS.map((e) => e.name)).toEqual(["staging", "production"]);
    for (const env of ENVIRONMENTS) expect(() => validateEnvironment(env)).not.toThrow();
  });

  // One row per difference of original-system.md that lives in infrastructure.
  describe.each([
    {
      env: staging,
      project: "mindmirror-69",
      journal: "journal-service-staging",
      account: "journal-service-staging",
      logLevel: "DEBUG",
      debug: "true",
      bucket: "traditions-mindmirror-69-staging",
      secret: "service-urls-staging",
      deletionProtection: false,
      url: "https://journal-service-staging-3858903851.us-east4.run.app",
    },
    {
      env: production,
      project: "mindmirror-prod",
      journal: "journal-service",
      account: "journal-service-production",
      logLevel: "INFO",
      debug: "false",
      bucket: "traditions-mindmirror-prod-production",
      secret: "service-urls-production",
      deletionProtection: true,
      url: "https://journal-service-435339726777.us-east4.run.app",
    },
  ])("$env.name", (row) => {
    const { services, foundation } = buildStacks(row.env);
    const { text, json } = synth(services);

    it("deploys into its own project and region", () => {
      expect(text).toHaveProviderWithProperties(GoogleProvider, { project: row.project, region: "us-east4" });
      for (const resource of Object.values(resourcesOf(json, "google_cloud_run_v2_service"))) {
        expect(resource).toMatchObject({ project: row.project, location: "us-east4" });
      }
    });

    it("names services and accounts by the environment's naming rule", () => {
      expect(text).toHaveResourceWithProperties(CloudRunV2Service, {
        name: row.journal,
        template: expect.objectContaining({ service_account: `${row.account}@${row.project}.iam.gserviceaccount.com` }),
      });
      expect(Testing.synth(foundation)).toHaveResourceWithProperties(ServiceAccount, { account_id: row.account, project: row.project });
    });

    it("passes the environment's log level, debug flag, bucket and project to the apps", () => {
      expect(envOf(json, "agent_service")).toMatchObject({
        LOG_LEVEL: row.logLevel,
        DEBUG: row.debug,
        ENVIRONMENT: row.env.name,
        GCS_BUCKET_NAME: row.bucket,
        GOOGLE_CLOUD_PROJECT: row.project,
      });
    });

    it("tells callers the deterministic URL of this environment", () => {
      expect(envOf(json, "agent_service").JOURNAL_SERVICE_URL).toBe(row.url);
    });

    it("sets deletion protection as the environment says", () => {
      for (const resource of Object.values(resourcesOf(json, "google_cloud_run_v2_service"))) {
        expect(resource.deletion_protection).toBe(row.deletionProtection);
      }
      expect(text).toHaveResourceWithProperties(SecretManagerSecret, {
        secret_id: row.secret,
        deletion_protection: row.deletionProtection,
      });
    });

    it("keeps min 1 instance and concurrency 20, with a bounded maximum, where the catalog sets no bounds", () => {
      const own = new Set(SERVICES.filter((s) => s.scaling !== undefined).map((s) => s.name.replace(/-/g, "_")));
      expect([...own].sort()).toEqual(["practices_service", "users_service"]);
      for (const [name, resource] of Object.entries(resourcesOf(json, "google_cloud_run_v2_service"))) {
        expect(resource.template.max_instance_request_concurrency).toBe(20);
        if (own.has(name)) continue;
        expect(resource.template.scaling.min_instance_count).toBe(1);
        expect(resource.template.max_instance_request_concurrency).toBe(20);
        expect(resource.template.scaling.max_instance_count).toBe(row.env.scaling.maxInstances);
      }
    });
  });

  describe("fails at synth on a bad value, naming field, value and fix", () => {
    const cases: [string, EnvironmentConfig, RegExp][] = [
      [
        "an empty project id",
        withEnv(staging, { project: { id: "", number: "3858903851" } }),
        /environments\.staging\.project\.id: "" is not valid; a GCP project id has 6-30 lowercase letters/,
      ],
      [
        "a project number that is not digits",
        withEnv(staging, { project: { id: "mindmirror-69", number: "38589O3851" } }),
        /environments\.staging\.project\.number: "38589O3851" is not valid; a GCP project number is 6-19 digits/,
      ],
      [
        "a region in the wrong format",
        withEnv(production, { region: "US East 4" }),
        /environments\.production\.region: "US East 4" is not valid; use a GCP region such as "us-east4"/,
      ],
      [
        "a branch name git would reject",
        withEnv(staging, { branch: "release..1" }),
        /environments\.staging\.branch: "release\.\.1" is not valid; use a git branch name/,
      ],
      [
        "a maximum below the minimum instance count",
        withEnv(staging, { scaling: { minInstances: 3, maxInstances: 2, concurrency: 20 } }),
        /environments\.staging\.scaling\.maxInstances: 2 is not valid; use an integer from 3 \(at least minInstances\) to 1000/,
      ],
      [
        "an unknown log level",
        withEnv(staging, { app: { logLevel: "VERBOSE" as "DEBUG", debug: true } }),
        /environments\.staging\.app\.logLevel: "VERBOSE" is not valid; use one of DEBUG, INFO, WARNING, ERROR/,
      ],
      [
        "a state prefix with a trailing slash",
        withEnv(production, { backend: { mode: "partial", bucket: "mindmirror-tofu-state", prefix: "envs/production/" } }),
        /environments\.production\.backend\.prefix: "envs\/production\/" is not valid; use path segments without leading or trailing '\/'/,
      ],
      [
        "more than six required reviewers",
        withGate(production, { reviewers: ["a", "b", "c", "d"], reviewerTeamIds: [5, 6, 7] }),
        /environments\.production\.approval\.gate\.reviewers: \["a","b","c","d"\] is not valid; GitHub allows at most 6 required reviewers per environment \(logins and teams together\)/,
      ],
      [
        "a label value with capitals",
        withEnv(staging, { labels: { app: "MindMirror" } }),
        /environments\.staging\.labels\.app: "MindMirror" is not valid; a GCP label value/,
      ],
    ];
    it.each(cases)("%s", (_name, env, message) => {
      expect(() => validateEnvironment(env)).toThrow(message);
      expect(() => buildStacks(env)).toThrow(message);
    });
  });
});
