import { CloudRunV2Service } from "@cdktf/provider-google/lib/cloud-run-v2-service";
import { CloudRunV2ServiceIamMember } from "@cdktf/provider-google/lib/cloud-run-v2-service-iam-member";
import { SERVICES, servicesOf } from "../catalog";
import { production, staging } from "../environments";
import { buildStacks, resourcesOf, synth, withEnv } from "./helpers";

describe("gateway stack", () => {
  const { gateway } = buildStacks(staging);
  const { text, json } = synth(gateway);

  it("deploys the gateway alone: gateway-staging on port 4000", () => {
    const services = Object.values(resourcesOf(json, "google_cloud_run_v2_service"));
    expect(services.map((s) => s.name)).toEqual(["gateway-staging"]);
    expect(services[0].template.containers[0].ports).toEqual({ container_port: 4000 });
    expect(services[0].template.containers[0].image).toBe("${var.gateway_image}");
  });

  it("is bare-named in production", () => {
    expect(synth(buildStacks(production).gateway).text).toHaveResourceWithProperties(CloudRunV2Service, { name: "gateway" });
  });

  it("is public", () => {
    expect(text).toHaveResourceWithProperties(CloudRunV2ServiceIamMember, {
      name: "${google_cloud_run_v2_service.gateway.name}",
      role: "roles/run.invoker",
      member: "allUsers",
    });
  });

  it("stays public when backends are locked down", () => {
    const locked = synth(buildStacks(withEnv(staging, { invoker: { unauthenticatedBackends: false } })).gateway).json;
    const publicGrants = Object.values(resourcesOf(locked, "google_cloud_run_v2_service_iam_member")).filter((g) => g.member === "allUsers");
    expect(publicGrants.map((g) => g.name)).toEqual(["${google_cloud_run_v2_service.gateway.name}"]);
  });

  it("may invoke all 7 backends, named without reading the services stack", () => {
    const grants = Object.values(resourcesOf(json, "google_cloud_run_v2_service_iam_member")).filter((g) => g.member !== "allUsers");
    expect(grants.map((g) => g.name).sort()).toEqual(servicesOf(SERVICES, "services").map((s) => `${s.name}-staging`).sort());
    for (const grant of grants) expect(grant.member).toBe("serviceAccount:gateway-staging@mindmirror-69.iam.gserviceaccount.com");
  });

  it("gets the four URLs it reads at runtime from the environment, not from remote state", () => {
    const env = json.resource.google_cloud_run_v2_service.gateway.template.containers[0].env as { name: string; value?: string }[];
    expect(env.filter((e) => e.name.endsWith("_SERVICE_URL"))).toEqual([
      { name: "AGENT_SERVICE_URL", value: "https://agent-service-staging-3858903851.us-east4.run.app" },
      { name: "JOURNAL_SERVICE_URL", value: "https://journal-service-staging-3858903851.us-east4.run.app" },
      { name: "HABITS_SERVICE_URL", value: "https://habits-service-staging-3858903851.us-east4.run.app" },
      { name: "MEALS_SERVICE_URL", value: "https://meals-service-staging-3858903851.us-east4.run.app" },
    ]);
    expect(json.data).toBeUndefined();
    expect(text).not.toContain("terraform_remote_state");
  });

  it("reads its Supabase secrets and VOUCHERS_WEB_BASE_URL by reference, granted in the foundation", () => {
    const env = json.resource.google_cloud_run_v2_service.gateway.template.containers[0].env as Record<string, any>[];
    expect(env.filter((e) => e.value_source).map((e) => [e.name, e.value_source.secret_key_ref])).toEqual(
      ["SUPABASE_URL", "SUPABASE_ANON_KEY", "SUPABASE_JWT_SECRET", "VOUCHERS_WEB_BASE_URL"].map((name) => [name, { secret: name, version: "latest" }]),
    );
    expect(env.find((e) => e.name === "VOUCHERS_WEB_BASE_URL")?.value).toBeUndefined();
    expect(json.resource.google_secret_manager_secret_iam_member).toBeUndefined();
    expect(json.resource.google_service_account).toBeUndefined();
    expect(json.resource.google_cloud_run_v2_service.gateway.template.service_account).toBe("gateway-staging@mindmirror-69.iam.gserviceaccount.com");
  });

  it("probes startup by TCP as today; /healthcheck is what the pipeline checks", () => {
    const container = json.resource.google_cloud_run_v2_service.gateway.template.containers[0];
    expect(container.startup_probe.tcp_socket).toEqual({ port: 4000 });
    expect(container.liveness_probe).toBeUndefined();
    expect(SERVICES.find((s) => s.name === "gateway")!.healthPath).toBe("/healthcheck");
  });

  it("outputs gateway_url and nothing else", () => {
    expect(json.output).toEqual({
      gateway_url: { value: "https://gateway-staging-3858903851.us-east4.run.app", description: expect.any(String) },
    });
  });

  it("keeps its state under its own prefix", () => {
    expect(json.terraform.backend).toEqual({ gcs: { bucket: "mindmirror-tofu-state", prefix: "envs/staging/gateway" } });
  });

  it("matches the snapshot (a change detector; behaviour is asserted above)", () => {
    expect(text).toMatchSnapshot();
  });
});
