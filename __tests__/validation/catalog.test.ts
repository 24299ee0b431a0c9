/**
 * Bad catalog entries a person could write, each rejected with the field,
 * the value and the fix; and the closest valid values, accepted.
 */
import { SERVICES, validateCatalog, type ServiceDefinition } from "../../catalog";
import { notesService } from "../helpers";
import { errorOf as error } from "./error-of";

/** A new backend appended to the real catalog, with `patch` applied. */
function withNew(patch: Partial<ServiceDefinition>): ServiceDefinition[] {
  return [...SERVICES, notesService(patch)];
}

/** The message validateCatalog throws for `catalog`. */
const errorOf = (catalog: readonly ServiceDefinition[]): string => error(() => validateCatalog(catalog), "the catalog was accepted");

const NAME_FIX = "use lowercase letters, digits and hyphens, starting with a letter";
const IMAGE_FIX = "use a Docker image name: lowercase letters and digits separated by '.', '_' or '-'";
const ENV_FIX = "env names are upper-case letters, digits and underscores";
const CPU_FIX = 'use whole CPUs ("1".. "8") or millicores ("500m")';
const MEMORY_FIX = 'use a size in Mi or Gi, such as "512Mi"';
const KNOWN = SERVICES.map((s) => s.name).join(", ");

describe("catalog validation", () => {
  describe("service name", () => {
    it.each(["n", "n1", "n-1", "notes-service", "a2b-c3d"])("accepts %j", (name) => {
      expect(() => validateCatalog(withNew({ name }))).not.toThrow();
    });

    it.each(["notes-service!", "!notes-service", "1notes", "notes-", "-notes", "Notes-service", "notes_service", "notes service", ""])(
      "fails if it is %j",
      (name) => {
        expect(errorOf(withNew({ name }))).toBe(`catalog ${JSON.stringify(name)}.name: ${JSON.stringify(name)} is not valid; ${NAME_FIX}`);
      },
    );

    it("fails if two entries share it", () => {
      expect(errorOf([...withNew({}), ...withNew({}).slice(-1)])).toBe(
        'catalog "notes-service".name: "notes-service" is not valid; each service name may appear once in the catalog',
      );
    });
  });

  describe("image name", () => {
    it.each(["n", "0", "notes_service", "notes.service", "notes-service", "a.b_c-d", "notes-x2"])("accepts %j", (image) => {
      expect(() => validateCatalog(withNew({ image }))).not.toThrow();
    });

    it.each(["notes_service!", "!notes_service", "_notes", "notes_", ".notes", "notes.", "Notes", "notes service", "notes/service", ""])(
      "fails if it is %j",
      (image) => {
        expect(errorOf(withNew({ image }))).toBe(`catalog "notes-service".image: ${JSON.stringify(image)} is not valid; ${IMAGE_FIX}`);
      },
    );
  });

  describe("port", () => {
    it.each([1, 8080, 65535])("accepts %j", (port) => {
      expect(() => validateCatalog(withNew({ port }))).not.toThrow();
    });

    it.each([0, -1, 65536, 8080.5, Number.NaN])("fails if it is %j", (port) => {
      expect(errorOf(withNew({ port }))).toBe(`catalog "notes-service".port: ${JSON.stringify(port)} is not valid; use an integer from 1 to 65535`);
    });
  });

  describe("health path", () => {
    it.each(["/", "/health", "/api/v1/health?full=1", "/~x!"])("accepts %j", (healthPath) => {
      expect(() => validateCatalog(withNew({ healthPath }))).not.toThrow();
    });

    it.each(["health", "x/health", "/he alth", "/health\n", "/health\t", "/héalth", ""])("fails if it is %j", (healthPath) => {
      expect(errorOf(withNew({ healthPath }))).toBe(
        `catalog "notes-service".healthPath: ${JSON.stringify(healthPath)} is not valid; use an absolute path such as "/health"`,
      );
    });
  });

  describe("resources", () => {
    it.each(["1", "2", "8", "1m", "500m", "1000m", "9999m"])("accepts cpu %j", (cpu) => {
      expect(() => validateCatalog(withNew({ resources: { cpu, memory: "512Mi" } }))).not.toThrow();
    });

    it.each(["0", "9", "16", "x1", "1x", "1 ", " 1", "0m", "0500m", "10000m", "500m ", "x500m", "m", "1.5", ""])("fails if cpu is %j", (cpu) => {
      expect(errorOf(withNew({ resources: { cpu, memory: "512Mi" } }))).toBe(
        `catalog "notes-service".resources.cpu: ${JSON.stringify(cpu)} is not valid; ${CPU_FIX}`,
      );
    });

    it.each(["1Mi", "512Mi", "1Gi", "10Gi", "2048Mi"])("accepts memory %j", (memory) => {
      expect(() => validateCatalog(withNew({ resources: { cpu: "1", memory } }))).not.toThrow();
    });

    it.each(["512", "512Mi ", " 512Mi", "x512Mi", "512Mix", "0Mi", "0512Mi", "512Ki", "512mi", "512M", "Mi", "1.5Gi", ""])(
      "fails if memory is %j",
      (memory) => {
        expect(errorOf(withNew({ resources: { cpu: "1", memory } }))).toBe(
          `catalog "notes-service".resources.memory: ${JSON.stringify(memory)} is not valid; ${MEMORY_FIX}`,
        );
      },
    );
  });

  describe("env names", () => {
    it.each(["A", "_X", "API_VERSION", "V2", "A_1_B"])("accepts %j as a plain value, a secret and a call's URL name", (name) => {
      expect(() => validateCatalog(withNew({ env: { [name]: "x" } }))).not.toThrow();
      expect(() => validateCatalog(withNew({ secretEnv: [name] }))).not.toThrow();
    });

    it.each(["API-VERSION", "1API", "API!", "!API", "api", "Api", "A B", ""])("fails if a plain value's name is %j", (name) => {
      expect(errorOf(withNew({ env: { [name]: "x" } }))).toBe(`catalog "notes-service" env: ${JSON.stringify(name)} is not valid; ${ENV_FIX}`);
    });

    it.each(["DATABASE-URL", "database_url", "URL!"])("fails if a secret's name is %j", (name) => {
      expect(errorOf(withNew({ secretEnv: [name] }))).toBe(`catalog "notes-service" env: ${JSON.stringify(name)} is not valid; ${ENV_FIX}`);
    });

    it.each(["PORT", "K_SERVICE", "K_REVISION", "K_CONFIGURATION"])("fails if it sets %s, which Cloud Run sets itself", (name) => {
      const message = `catalog "notes-service" env: "${name}" is not valid; Cloud Run sets PORT, K_SERVICE, K_REVISION, K_CONFIGURATION itself; remove it`;
      expect(errorOf(withNew({ env: { [name]: "x" } }))).toBe(message);
      expect(errorOf(withNew({ secretEnv: [name] }))).toBe(message);
    });

    it.each([
      ["a secret twice", { secretEnv: ["TOKEN", "TOKEN"] }, "TOKEN"],
      ["a plain value and a secret", { env: { TOKEN: "x" }, secretEnv: ["TOKEN"] }, "TOKEN"],
      ["a plain value and a called service's URL", { env: { USERS_SERVICE_URL: "x" }, calls: ["users-service"] }, "USERS_SERVICE_URL"],
      ["a secret and a called service's URL", { secretEnv: ["USERS_SERVICE_URL"], calls: ["users-service"] }, "USERS_SERVICE_URL"],
    ] as const)("fails if one name is %s", (_how, patch, name) => {
      expect(errorOf(withNew(patch))).toBe(
        `catalog "notes-service" env: "${name}" is not valid; each env name may be set once: as a plain value, a secret, or a called service's URL`,
      );
    });

  });

  describe("calls and baked calls", () => {
    it.each(["calls", "bakedCalls"] as const)("accepts a backend of the catalog in %s", (field) => {
      expect(() => validateCatalog(withNew({ [field]: ["users-service"] }))).not.toThrow();
    });

    it.each(["calls", "bakedCalls"] as const)("fails if %s names a service the catalog lacks", (field) => {
      expect(errorOf(withNew({ [field]: ["billing-service"] }))).toBe(
        `catalog "notes-service".${field}: "billing-service" is not valid; call a service of the catalog: ${KNOWN}, notes-service`,
      );
    });

    it.each(["calls", "bakedCalls"] as const)("fails if %s names the service itself", (field) => {
      expect(errorOf(withNew({ [field]: ["notes-service"] }))).toBe(
        `catalog "notes-service".${field}: "notes-service" is not valid; a service does not need to call itself; remove it`,
      );
    });

    it.each(["calls", "bakedCalls"] as const)("fails if %s names a public service, which needs no invoker grant", (field) => {
      expect(errorOf(withNew({ [field]: ["gateway"] }))).toBe(
        `catalog "notes-service".${field}: "gateway" is not valid; a public service needs no invoker grant; call it by its URL without listing it`,
      );
    });
  });
});

describe("catalog buckets, scaling and builds", () => {
  const errorWith = (buckets: { name: string }[], catalog = SERVICES) => error(() => validateCatalog(catalog, buckets), "the catalog was accepted");
  const traditions = [{ bucket: "traditions", roles: ["roles/storage.objectViewer"] }];

  it.each(["a", "traditions-2", "0x"])("accepts the bucket name %j", (name) => {
    expect(() => validateCatalog(SERVICES, [{ name: "traditions" }, { name }])).not.toThrow();
  });

  it.each(["-traditions", "traditions-", "Traditions", "tra_ditions", "tra ditions", ""])("fails if a bucket is named %j", (name) => {
    expect(errorWith([{ name: "traditions" }, { name }])).toBe(
      `catalog bucket "${name}".name: ${JSON.stringify(name)} is not valid; use lowercase letters, digits and hyphens, starting and ending with a letter or digit`,
    );
  });

  it("fails if a bucket is listed twice", () => {
    expect(errorWith([{ name: "traditions" }, { name: "traditions" }])).toBe('catalog bucket "traditions".name: "traditions" is not valid; each bucket may appear once in the catalog');
  });

  it("fails if a service uses a bucket the catalog does not list, naming those it does", () => {
    expect(errorOf(withNew({ buckets: [{ bucket: "photos", roles: ["roles/storage.objectViewer"] }] }))).toBe(
      'catalog "notes-service".buckets: "photos" is not valid; use a bucket of the catalog: traditions',
    );
    expect(error(() => validateCatalog([notesService({ buckets: traditions })], []), "accepted")).toBe(
      'catalog "notes-service".buckets: "traditions" is not valid; use a bucket of the catalog: (none)',
    );
  });

  it("fails if a service lists a bucket twice, with no role, or with a role outside storage", () => {
    expect(errorOf(withNew({ buckets: [...traditions, ...traditions] }))).toBe('catalog "notes-service".buckets: "traditions" is not valid; list each bucket once, with all its roles');
    expect(errorOf(withNew({ buckets: [{ bucket: "traditions", roles: [] }] }))).toBe(
      'catalog "notes-service".buckets "traditions".roles: [] is not valid; grant at least one storage role, or drop the bucket',
    );
    expect(errorOf(withNew({ buckets: [{ bucket: "traditions", roles: ["roles/storage.objectViewer", "roles/owner"] }] }))).toBe(
      'catalog "notes-service".buckets "traditions".roles: "roles/owner" is not valid; use a Cloud Storage role such as "roles/storage.objectViewer"; a bucket grant gives nothing outside storage',
    );
    expect(() => validateCatalog(withNew({ buckets: traditions }))).not.toThrow();
  });

  it("accepts per-service scaling at its bounds, and refuses one past them", () => {
    for (const scaling of [{ minInstances: 0 }, { maxInstances: 1 }, { minInstances: 1000, maxInstances: 1000 }, { minInstances: 3, maxInstances: 3 }]) {
      expect(() => validateCatalog(withNew({ scaling }))).not.toThrow();
    }
    expect(errorOf(withNew({ scaling: { minInstances: -1 } }))).toBe('catalog "notes-service".scaling.minInstances: -1 is not valid; use an integer from 0 to 1000');
    expect(errorOf(withNew({ scaling: { minInstances: 1001 } }))).toBe('catalog "notes-service".scaling.minInstances: 1001 is not valid; use an integer from 0 to 1000');
    expect(errorOf(withNew({ scaling: { minInstances: 1.5 } }))).toBe('catalog "notes-service".scaling.minInstances: 1.5 is not valid; use an integer from 0 to 1000');
    expect(errorOf(withNew({ scaling: { maxInstances: 0 } }))).toBe('catalog "notes-service".scaling.maxInstances: 0 is not valid; use an integer from 1 to 1000');
    expect(errorOf(withNew({ scaling: { maxInstances: 1001 } }))).toBe('catalog "notes-service".scaling.maxInstances: 1001 is not valid; use an integer from 1 to 1000');
    expect(errorOf(withNew({ scaling: { minInstances: 4, maxInstances: 3 } }))).toBe(
      'catalog "notes-service".scaling.minInstances: 4 is not valid; it exceeds scaling.maxInstances (3); lower it or raise the maximum',
    );
  });

  it("fails if a service's build is missing, leaves the repository, or names no input or the whole repository", () => {
    const build = { dockerfile: "notes_service/Dockerfile", context: ".", inputs: ["notes_service/"] };
    const bad = (patch: Record<string, unknown>) => errorOf(withNew({ build: { ...build, ...patch } as never }));
    expect(errorOf(withNew({ build: undefined as never }))).toBe(
      'catalog "notes-service".build: undefined is not valid; say how its image is built: { dockerfile, context, inputs }, relative to the repository root',
    );
    expect(errorOf(withNew({ build: null as never }))).toMatch(/^catalog "notes-service"\.build: null is not valid; say how its image is built/);
    expect(bad({ dockerfile: "../x/Dockerfile" })).toBe(
      'catalog "notes-service".build.dockerfile: "../x/Dockerfile" is not valid; use a relative path inside the repository (letters, digits, \'.\', \'_\', \'-\', \'/\'; no "..")',
    );
    expect(bad({ context: "/abs" })).toBe('catalog "notes-service".build.context: "/abs" is not valid; use a relative path inside the repository, or "." for its root');
    expect(bad({ inputs: [] })).toBe(
      'catalog "notes-service".build.inputs: [] is not valid; name every path the image is built from (the Dockerfile\'s folder and the shared sources it copies), or it would never be rebuilt',
    );
    for (const input of [".", "./", "../shared/", "a b/"]) {
      expect(bad({ inputs: ["notes_service/", input] })).toBe(
        `catalog "notes-service".build.inputs: ${JSON.stringify(input)} is not valid; use a path relative to the repository root, such as "journal_service/" (not the whole repository: ".")`,
      );
    }
    expect(() => validateCatalog(withNew({ build: { ...build, inputs: ["notes_service/", "src/shared/", ".github/x"] } }))).not.toThrow();
  });
});
