import { check } from "../lib/errors";
import { urlEnvName } from "../lib/naming";
import { BUCKETS } from "./buckets";
import type { BucketDefinition, ServiceDefinition } from "./types";
import { BUCKET_BASE, CPU, ENV_VAR_NAME, HEALTH_PATH, IMAGE_NAME, MEMORY, REPOSITORY_PATH, SERVICE_NAME, STORAGE_ROLE } from "../lib/patterns";

/** Cloud Run sets these itself and rejects containers that define them. */
const RESERVED_ENV = new Set(["PORT", "K_SERVICE", "K_REVISION", "K_CONFIGURATION"]);
/** Cloud Run's instance bounds. */
const MAX_INSTANCES = 1000;

/**
 * Checks the catalog as a whole: names, ports, env names and the call graph.
 * Throws a ConfigError naming the service, the field and the fix.
 */
export function validateCatalog(services: readonly ServiceDefinition[], buckets: readonly BucketDefinition[] = BUCKETS): void {
  const bucketNames = new Set<string>();
  for (const b of buckets) {
    check(BUCKET_BASE.test(b.name), `catalog bucket "${b.name}".name`, b.name, "use lowercase letters, digits and hyphens, starting and ending with a letter or digit");
    check(!bucketNames.has(b.name), `catalog bucket "${b.name}".name`, b.name, "each bucket may appear once in the catalog");
    bucketNames.add(b.name);
  }
  const known = new Set<string>();
  for (const s of services) {
    const at = `catalog "${s.name}"`;
    check(SERVICE_NAME.test(s.name), `${at}.name`, s.name, "use lowercase letters, digits and hyphens, starting with a letter");
    check(!known.has(s.name), `${at}.name`, s.name, "each service name may appear once in the catalog");
    known.add(s.name);
    check(IMAGE_NAME.test(s.image), `${at}.image`, s.image, "use a Docker image name: lowercase letters and digits separated by '.', '_' or '-'");
    check(Number.isInteger(s.port) && s.port >= 1 && s.port <= 65535, `${at}.port`, s.port, "use an integer from 1 to 65535");
    check(s.public !== true || s.healthPath !== undefined, `${at}.healthPath`, s.healthPath, "a public service needs the health path the pipeline checks after each deploy, such as \"/healthcheck\"");
    if (s.healthPath !== undefined) {
      check(HEALTH_PATH.test(s.healthPath), `${at}.healthPath`, s.healthPath, "use an absolute path such as \"/health\"");
    }
    validateScaling(s, at);
    validateBuild(s, at);
    const used = new Set<string>();
    for (const access of s.buckets ?? []) {
      check(bucketNames.has(access.bucket), `${at}.buckets`, access.bucket, `use a bucket of the catalog: ${[...bucketNames].join(", ") || "(none)"}`);
      check(!used.has(access.bucket), `${at}.buckets`, access.bucket, "list each bucket once, with all its roles");
      used.add(access.bucket);
      check(access.roles.length > 0, `${at}.buckets "${access.bucket}".roles`, access.roles, "grant at least one storage role, or drop the bucket");
      for (const role of access.roles) {
        check(STORAGE_ROLE.test(role), `${at}.buckets "${access.bucket}".roles`, role, "use a Cloud Storage role such as \"roles/storage.objectViewer\"; a bucket grant gives nothing outside storage");
      }
    }
    if (s.resources) {
      check(CPU.test(s.resources.cpu), `${at}.resources.cpu`, s.resources.cpu, "use whole CPUs (\"1\".. \"8\") or millicores (\"500m\")");
      check(MEMORY.test(s.resources.memory), `${at}.resources.memory`, s.resources.memory, "use a size in Mi or Gi, such as \"512Mi\"");
    }
  }

  const byName = new Map(services.map((s) => [s.name, s]));
  for (const s of services) {
    const at = `catalog "${s.name}"`;
    const envNames = [...Object.keys(s.env), ...s.secretEnv, ...s.calls.map(urlEnvName)];
    const seen = new Set<string>();
    for (const name of envNames) {
      check(ENV_VAR_NAME.test(name), `${at} env`, name, "env names are upper-case letters, digits and underscores");
      check(!RESERVED_ENV.has(name), `${at} env`, name, `Cloud Run sets ${[...RESERVED_ENV].join(", ")} itself; remove it`);
      check(!seen.has(name), `${at} env`, name, "each env name may be set once: as a plain value, a secret, or a called service's URL");
      seen.add(name);
    }
    for (const name of Object.keys(s.deprecatedEnv ?? {})) {
      check(seen.has(name), `${at}.deprecatedEnv`, name, "name an env var the service sets (in env or secretEnv)");
    }
    for (const field of ["calls", "bakedCalls"] as const) {
      for (const callee of s[field] ?? []) {
        check(
          byName.has(callee),
          `${at}.${field}`,
          callee,
          `call a service of the catalog: ${[...byName.keys()].join(", ")}`,
        );
        check(callee !== s.name, `${at}.${field}`, callee, "a service does not need to call itself; remove it");
        check(!byName.get(callee)!.public, `${at}.${field}`, callee, "a public service needs no invoker grant; call it by its URL without listing it");
      }
    }
  }
}

function validateScaling(s: ServiceDefinition, at: string): void {
  const { minInstances, maxInstances } = s.scaling ?? {};
  const whole = (n: number, lo: number) => Number.isInteger(n) && n >= lo && n <= MAX_INSTANCES;
  if (minInstances !== undefined) {
    check(whole(minInstances, 0), `${at}.scaling.minInstances`, minInstances, `use an integer from 0 to ${MAX_INSTANCES}`);
  }
  if (maxInstances !== undefined) {
    check(whole(maxInstances, 1), `${at}.scaling.maxInstances`, maxInstances, `use an integer from 1 to ${MAX_INSTANCES}`);
  }
  if (minInstances !== undefined && maxInstances !== undefined) {
    check(minInstances <= maxInstances, `${at}.scaling.minInstances`, minInstances, `it exceeds scaling.maxInstances (${maxInstances}); lower it or raise the maximum`);
  }
}

/** Checks how a service's image is built: safe relative paths, and at least one build input. */
function validateBuild(s: ServiceDefinition, at: string): void {
  const { build } = s;
  check(build !== undefined && build !== null, `${at}.build`, build, "say how its image is built: { dockerfile, context, inputs }, relative to the repository root");
  check(REPOSITORY_PATH.test(build.dockerfile), `${at}.build.dockerfile`, build.dockerfile, "use a relative path inside the repository (letters, digits, '.', '_', '-', '/'; no \"..\")");
  check(REPOSITORY_PATH.test(build.context), `${at}.build.context`, build.context, "use a relative path inside the repository, or \".\" for its root");
  check(build.inputs.length > 0, `${at}.build.inputs`, build.inputs, "name every path the image is built from (the Dockerfile's folder and the shared sources it copies), or it would never be rebuilt");
  for (const input of build.inputs) {
    check(REPOSITORY_PATH.test(input) && input !== "." && input !== "./", `${at}.build.inputs`, input, "use a path relative to the repository root, such as \"journal_service/\" (not the whole repository: \".\")");
  }
}
