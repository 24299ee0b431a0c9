import { calleesOf, SERVICES, servicesOf, validateCatalog, type ServiceDefinition } from "../catalog";
import { staging } from "../environments";
import { buildStacks, imagesFor, notesService } from "./helpers";
import { defineEnvironment } from "../stacks";
import { Testing } from "../lib/cdk";

const base: ServiceDefinition = SERVICES.find((s) => s.name === "habits-service")!;
function withService(patch: Partial<ServiceDefinition>): ServiceDefinition[] {
  return SERVICES.map((s) => (s.name === base.name ? { ...s, ...patch } : s));
}

describe("service catalog", () => {
  it("holds the 7 backends in the services stack and the gateway alone in its stack", () => {
    expect(servicesOf(SERVICES, "services").map((s) => s.name)).toEqual([
      "agent-service",
      "journal-service",
      "habits-service",
      "meals-service",
      "movements-service",
      "practices-service",
      "users-service",
    ]);
    expect(servicesOf(SERVICES, "gateway").map((s) => s.name)).toEqual(["gateway"]);
  });

  it("marks only the gateway public", () => {
    expect(SERVICES.filter((s) => s.public).map((s) => s.name)).toEqual(["gateway"]);
  });

  it("lets the gateway invoke every backend (4 by env URL, the rest baked into the mesh image)", () => {
    const gateway = SERVICES.find((s) => s.name === "gateway")!;
    expect(calleesOf(gateway).sort()).toEqual(servicesOf(SERVICES, "services").map((s) => s.name).sort());
  });

  it("is valid as committed", () => {
    expect(() => validateCatalog(SERVICES)).not.toThrow();
  });

  it("adding a service is adding one entry", () => {
    const catalog = [
      ...SERVICES,
      notesService({ calls: ["users-service"] }),
    ] as ServiceDefinition[];
    const images = imagesFor(staging);
    images.set("notes_service_image", "us-east4-docker.pkg.dev/mindmirror-69/mindmirror/notes_service:v1");
    const { services } = defineEnvironment(Testing.app(), { environment: staging, images, catalog });
    expect(services.services.get("notes-service")?.name).toBe("notes-service-staging");
  });

  describe("fails at synth on a bad entry", () => {
    const cases: [string, ServiceDefinition[], RegExp][] = [
      [
        "an unknown service in the call graph",
        withService({ calls: ["billing-service"] }),
        /catalog "habits-service"\.calls: "billing-service" is not valid; call a service of the catalog: agent-service, journal-service/,
      ],
      [
        "a service calling itself",
        withService({ calls: ["habits-service"] }),
        /catalog "habits-service"\.calls: "habits-service" is not valid; a service does not need to call itself/,
      ],
      [
        "a duplicate service name",
        [...SERVICES, { ...base }],
        /catalog "habits-service"\.name: "habits-service" is not valid; each service name may appear once/,
      ],
      [
        "a malformed image name",
        withService({ image: "Habits Service" }),
        /catalog "habits-service"\.image: "Habits Service" is not valid; use a Docker image name/,
      ],
      [
        "a port out of range",
        withService({ port: 80000 }),
        /catalog "habits-service"\.port: 80000 is not valid; use an integer from 1 to 65535/,
      ],
      [
        "an env var Cloud Run reserves",
        withService({ env: { PORT: "8003" } }),
        /catalog "habits-service" env: "PORT" is not valid; Cloud Run sets PORT/,
      ],
      [
        "the same env var as a plain value and a secret",
        withService({ env: { DATABASE_URL: "postgres://x" } }),
        /catalog "habits-service" env: "DATABASE_URL" is not valid; each env name may be set once/,
      ],
      [
        "a health path that is not absolute",
        withService({ healthPath: "health" }),
        /catalog "habits-service"\.healthPath: "health" is not valid; use an absolute path/,
      ],
      [
        "a minimum above the maximum",
        withService({ scaling: { minInstances: 5, maxInstances: 2 } }),
        /^catalog "habits-service"\.scaling\.minInstances: 5 is not valid; it exceeds scaling\.maxInstances \(2\); lower it or raise the maximum$/,
      ],
      [
        "a negative minimum",
        withService({ scaling: { minInstances: -1 } }),
        /^catalog "habits-service"\.scaling\.minInstances: -1 is not valid; use an integer from 0 to 1000$/,
      ],
      [
        "a bucket role outside Cloud Storage",
        withService({ buckets: [{ bucket: "traditions", roles: ["roles/owner"] }] }),
        /^catalog "habits-service"\.buckets "traditions"\.roles: "roles\/owner" is not valid; use a Cloud Storage role/,
      ],
      [
        "a deprecation note for an env var the service does not set",
        withService({ deprecatedEnv: { CELERY_WORKER_URL: "gone" } }),
        /^catalog "habits-service"\.deprecatedEnv: "CELERY_WORKER_URL" is not valid; name an env var the service sets/,
      ],
      [
        "a public service without the health path the pipeline checks",
        SERVICES.map((s) => (s.name === "gateway" ? { ...s, healthPath: undefined } : s)),
        /^catalog "gateway"\.healthPath: undefined is not valid; a public service needs the health path the pipeline checks/,
      ],
      [
        "memory without a unit",
        withService({ resources: { cpu: "1", memory: "512" } }),
        /catalog "habits-service"\.resources\.memory: "512" is not valid; use a size in Mi or Gi/,
      ],
    ];
    it.each(cases)("%s", (_name, catalog, message) => {
      expect(() => validateCatalog(catalog)).toThrow(message);
      expect(() => defineEnvironment(Testing.app(), { environment: staging, images: imagesFor(staging), catalog })).toThrow(message);
    });
  });

  it("fails if a service's minimum exceeds its environment's maximum, naming the service", () => {
    const catalog = withService({ scaling: { minInstances: 6 } });
    expect(() => defineEnvironment(Testing.app(), { environment: staging, images: imagesFor(staging), catalog })).toThrow(
      /^catalog "habits-service"\.scaling in staging: \{"minInstances":6,"maxInstances":4\} is not valid; minInstances exceeds maxInstances/,
    );
  });

  it("builds the committed catalog without error", () => {
    expect(() => buildStacks(staging)).not.toThrow();
  });
});
