/**
 * The settings of a Cloud Run service that a snapshot alone would let slip:
 * ingress, default CPU and memory, probe timings, scaling and public access.
 */
import { production, staging, type EnvironmentConfig } from "../../environments";
import type { ServiceDefinition } from "../../catalog";
import { CloudRunService } from "../../constructs/cloud-run-service";
import { Testing } from "../../lib/cdk";
import { notesService } from "../helpers";

const CLOSED: EnvironmentConfig = { ...staging, invoker: { unauthenticatedBackends: false }, importExisting: false };
const BASE: ServiceDefinition = notesService();

/** The synthesized resources of one CloudRunService of `def` in `env`. */
function synthService(def: Partial<ServiceDefinition> = {}, env: EnvironmentConfig = CLOSED) {
  const json = JSON.parse(
    Testing.synthScope((scope) => new CloudRunService(scope, "notes", { environment: env, definition: { ...BASE, ...def }, image: "img:v1" })),
  ) as { resource: Record<string, Record<string, any>> };
  const [service] = Object.values(json.resource.google_cloud_run_v2_service);
  return { service, container: service.template.containers[0], grants: Object.values(json.resource.google_cloud_run_v2_service_iam_member ?? {}) };
}

describe("a Cloud Run service's settings", () => {
  it("takes traffic from the internet (ingress ALL): the public gateway must stay reachable", () => {
    expect(synthService({ name: "gateway", public: true }).service.ingress).toBe("INGRESS_TRAFFIC_ALL");
    expect(synthService().service.ingress).toBe("INGRESS_TRAFFIC_ALL");
  });

  it("gets 1 CPU and 512Mi unless the catalog sets its resources, with CPU only during requests and no startup boost", () => {
    expect(synthService().container.resources).toEqual({ limits: { cpu: "1", memory: "512Mi" }, cpu_idle: true, startup_cpu_boost: false });
    expect(synthService({ resources: { cpu: "2", memory: "1Gi" } }).container.resources).toEqual({ limits: { cpu: "2", memory: "1Gi" }, cpu_idle: true, startup_cpu_boost: false });
  });

  it("probes TCP on the port at startup, every 10 s for up to 24 tries of 5 s, and has no liveness probe without a health path", () => {
    const { container } = synthService();
    expect(container.startup_probe).toEqual({ period_seconds: 10, timeout_seconds: 5, failure_threshold: 24, tcp_socket: { port: 8080 } });
    expect(container.liveness_probe).toBeUndefined();
    expect(container.ports).toEqual({ container_port: 8080 });
  });

  it("probes the health path at startup (10 s, 5 s, 24) and for liveness (30 s, 5 s, 3)", () => {
    const { container } = synthService({ healthPath: "/healthz" });
    expect(container.startup_probe).toEqual({ period_seconds: 10, timeout_seconds: 5, failure_threshold: 24, http_get: { path: "/healthz", port: 8080 } });
    expect(container.liveness_probe).toEqual({ period_seconds: 30, timeout_seconds: 5, failure_threshold: 3, http_get: { path: "/healthz", port: 8080 } });
  });

  it.each([staging, production])("scales and protects as $name says", (env) => {
    const { service } = synthService({}, { ...env, importExisting: false });
    expect(service.template.scaling).toEqual({ min_instance_count: env.scaling.minInstances, max_instance_count: env.scaling.maxInstances });
    expect(service.template.max_instance_request_concurrency).toBe(env.scaling.concurrency);
    expect(service.deletion_protection).toBe(env.deletionProtection);
    expect(service.location).toBe("us-east4");
    expect(service.project).toBe(env.project.id);
  });

  it("is invokable by allUsers only when the catalog marks it public or the environment opens backends", () => {
    expect(synthService().grants).toEqual([]);
    const member = (grants: Record<string, any>[]) => grants.map((g) => [g.member, g.role]);
    expect(member(synthService({ public: true }).grants)).toEqual([["allUsers", "roles/run.invoker"]]);
    expect(member(synthService({}, { ...CLOSED, invoker: { unauthenticatedBackends: true } }).grants)).toEqual([["allUsers", "roles/run.invoker"]]);
  });
});
