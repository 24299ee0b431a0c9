/**
 * Each policy rule's full message, and the ways each rule can be broken next
 * to the closest compliant case.
 */
import { ArtifactRegistryRepository } from "@cdktf/provider-google/lib/artifact-registry-repository";
import { CloudRunV2Service, type CloudRunV2ServiceTemplateContainers } from "@cdktf/provider-google/lib/cloud-run-v2-service";
import { CloudRunV2ServiceIamBinding } from "@cdktf/provider-google/lib/cloud-run-v2-service-iam-binding";
import { CloudRunV2ServiceIamMember } from "@cdktf/provider-google/lib/cloud-run-v2-service-iam-member";
import { ProjectIamBinding } from "@cdktf/provider-google/lib/project-iam-binding";
import { ProjectIamMember } from "@cdktf/provider-google/lib/project-iam-member";
import { SecretManagerSecret } from "@cdktf/provider-google/lib/secret-manager-secret";
import { StorageBucket } from "@cdktf/provider-google/lib/storage-bucket";
import { TerraformStack, TerraformVariable, Testing } from "../../lib/cdk";
import { production, type EnvironmentConfig } from "../../environments";
import { imageCondition } from "../../lib/images";
import type { StackKind } from "../../lib/naming";
import { applyPolicy } from "../../policy";
import { IAM_PUBLIC_INVOKER } from "../../policy/rules";
import { compliantService, findingsOf, foundOf, LOCKED, policyStack, TestStack } from "../policy/helpers";

const REGISTRY = "us-east4-docker.pkg.dev/mindmirror-69/mindmirror";
const PINNED = "^us-east4-docker\\\\.pkg\\\\.dev/mindmirror-69/mindmirror/";
const PROTECTED = { ...LOCKED, deletionProtection: true };
/** Production with its backends closed. */
const PRODUCTION_LOCKED: EnvironmentConfig = { ...production, invoker: { unauthenticatedBackends: false } };

/** [level, found] of rule `id`'s findings in the stack `build` makes. */
function found(id: string, build: (s: TestStack) => void, env = LOCKED): [string, string][] {
  return findingsOf(policyStack(build, env), id).map((f) => [f.level, foundOf(f)]);
}

describe("policy messages: [id] description: found. Fix: how", () => {
  it.each([
    [
      "MM-RUN-1",
      (s: TestStack) => compliantService(s, "api", { serviceAccount: null }),
      "every Cloud Run service runs as its own service account, not a shared or default one: template.service_account is unset, so it runs as the default compute account. " +
        "Fix: give the service its own runtime account (the foundation creates one per catalog entry) and set template.service_account to its email (CloudRunService does this)",
    ],
    [
      "MM-RUN-2",
      (s: TestStack) => compliantService(s, "api", { container: { name: "app", startupProbe: undefined } }),
      "every container of a Cloud Run service declares a startup probe: container app has no startup_probe. " +
        "Fix: set startup_probe (tcp_socket on the port, or http_get on the catalog's healthPath) on each container",
    ],
    [
      "MM-RUN-3",
      (s: TestStack) => compliantService(s, "api", { maxInstanceCount: null }),
      "every Cloud Run service caps its instances with template.scaling.max_instance_count: template.scaling.max_instance_count is unset. " +
        "Fix: set template.scaling.max_instance_count (the environment's scaling.maxInstances)",
    ],
    [
      "MM-RUN-4",
      (s: TestStack) => compliantService(s, "api", { labels: { "managed-by": "cdktf", environment: "staging" } }),
      'every Cloud Run service carries the environment\'s labels and `environment=<name>`: label app is null, expected "mindmirror". ' +
        "Fix: set labels to serviceLabels(environment, service) from lib/naming (CloudRunService does this)",
    ],
    [
      "MM-IMG-1",
      (s: TestStack) => compliantService(s, "api", { image: "docker.io/library/nginx:1" }),
      `every image comes from the environment's own Artifact Registry repository: image docker.io/library/nginx:1 is not in ${REGISTRY}/. ` +
        "Fix: use a variable validated by imageCondition() (lib/images), or a literal <registryUrl(env)>/<image>:<tag>",
    ],
    [
      "MM-SEC-1",
      (s: TestStack) => compliantService(s, "api", { container: { env: [{ name: "API_KEY", value: "x" }] } }),
      "no plain env value looks like a secret (a KEY, SECRET, TOKEN or PASSWORD name, or a URL carrying credentials): env API_KEY is a plain value but its name marks a secret. " +
        "Fix: add the name to the service's `secretEnv` in the catalog so it is read from Secret Manager (value_source.secret_key_ref)",
    ],
    [
      "MM-IAM-2",
      (s: TestStack) => new ProjectIamMember(s, "grant", { project: "mindmirror-69", role: "roles/editor", member: "serviceAccount:x@y.iam.gserviceaccount.com" }),
      "no service account is granted roles/owner, roles/editor or roles/secretmanager.secretAccessor on the project: " +
        "serviceAccount:x@y.iam.gserviceaccount.com has roles/editor on project mindmirror-69. " +
        "Fix: grant a narrower role on the resource itself (e.g. google_secret_manager_secret_iam_member per secret, roles/run.developer for deploys)",
    ],
    [
      "MM-IAM-1",
      (s: TestStack) => new CloudRunV2ServiceIamMember(s, "open", { name: "api", location: "us-east4", role: "roles/run.invoker", member: "allUsers" }),
      "only a service marked public in the catalog may be invoked by allUsers or allAuthenticatedUsers: allUsers may invoke api (roles/run.invoker). " +
        "Fix: grant the callers' service accounts instead (grantInvoke), or set `public: true` on the service's catalog entry if it must be open to the internet",
    ],
  ])("%s", (id, build, message) => {
    const findings = findingsOf(policyStack(build), id);
    expect(findings.map((f) => [f.level, f.message])).toEqual([["error", `[${id}] ${message}`]]);
  });

  it.each([
    [
      "MM-PROD-1",
      (s: TestStack) => new SecretManagerSecret(s, "secret", { secretId: "s", replication: { auto: {} } }),
      "where the environment sets deletionProtection, services and secrets set deletion_protection and buckets and registries prevent_destroy: deletion_protection is null. " +
        "Fix: pass deletionProtection: environment.deletionProtection (services, secrets), or lifecycle: { preventDestroy: true } (buckets, registries)",
    ],
    [
      "MM-PROD-2",
      (s: TestStack) => new StorageBucket(s, "bucket", { name: "b", location: "US", forceDestroy: true, lifecycle: { preventDestroy: true } }),
      "no resource sets force_destroy (an error where the environment sets deletionProtection, else a warning): google_storage_bucket sets force_destroy = true. " +
        "Fix: remove force_destroy; empty the bucket deliberately before deleting it",
    ],
  ])("%s, where the environment protects deletion", (id, build, message) => {
    const findings = findingsOf(policyStack(build, PROTECTED), id);
    expect(findings.map((f) => [f.level, f.message])).toEqual([["error", `[${id}] ${message}`]]);
  });
});

describe("MM-RUN-3 instance cap", () => {
  it.each([1, 1000])("accepts a cap of %j", (max) => {
    expect(found("MM-RUN-3", (s) => compliantService(s, "api", { maxInstanceCount: max }))).toEqual([]);
  });

  it.each([0, -1])("fails if the cap is %j", (max) => {
    expect(found("MM-RUN-3", (s) => compliantService(s, "api", { maxInstanceCount: max }))).toEqual([["error", `template.scaling.max_instance_count is ${max}`]]);
  });

  it("accepts a cap from a variable, which its own validation bounds", () => {
    const build = (s: TestStack) => {
      const cap = new TerraformVariable(s, "max", { type: "number" });
      compliantService(s, "api", { maxInstanceCount: cap.numberValue });
    };
    expect(found("MM-RUN-3", build)).toEqual([]);
  });

  it("ignores resources that are not Cloud Run services", () => {
    expect(found("MM-RUN-3", (s) => new StorageBucket(s, "b", { name: "b", location: "US" }))).toEqual([]);
  });

  // Rules read the emitted JSON, so an override cannot hide a missing or zero cap.
  it.each([
    ["template.scaling.max_instance_count", null, "template.scaling.max_instance_count is unset"],
    ["template.scaling.max_instance_count", "0", 'template.scaling.max_instance_count is "0"'],
    ["template", null, "template.scaling.max_instance_count is unset"],
  ])("fails if an override sets %s to %j", (path, value, message) => {
    expect(found("MM-RUN-3", (s) => compliantService(s, "api").addOverride(path, value))).toEqual([["error", message]]);
  });

  it("accepts a cap that an override sets to a string OpenTofu reads as a number", () => {
    expect(found("MM-RUN-3", (s) => compliantService(s, "api").addOverride("template.scaling.max_instance_count", "3"))).toEqual([]);
  });
});

describe("MM-RUN-2 startup probe", () => {
  /** A Cloud Run service with exactly these containers. */
  const withContainers = (containers: CloudRunV2ServiceTemplateContainers[]) => (s: TestStack) =>
    new CloudRunV2Service(s, "api", { name: "api", location: "us-east4", template: { containers } });

  it("fails on each container without a probe, by name or else by position", () => {
    const build = withContainers([
      { image: `${REGISTRY}/a:v1`, name: "with", startupProbe: { tcpSocket: { port: 8000 } } },
      { image: `${REGISTRY}/a:v1`, name: "sidecar" },
      { image: `${REGISTRY}/a:v1` },
    ]);
    expect(found("MM-RUN-2", build)).toEqual([
      ["error", "container sidecar has no startup_probe"],
      ["error", "container 2 has no startup_probe"],
    ]);
  });

  it("fails if the template has no containers", () => {
    expect(found("MM-RUN-2", withContainers([]))).toEqual([["error", "the template has no containers"]]);
  });

  it.each([
    ["template.containers.0.startup_probe", "container 0 has no startup_probe"],
    ["template", "the template has no containers"],
  ])("fails if an override sets %s to null", (path, message) => {
    expect(found("MM-RUN-2", (s) => compliantService(s, "api").addOverride(path, null))).toEqual([["error", message]]);
  });

  it("accepts an HTTP startup probe", () => {
    const probe = { httpGet: { path: "/health" } };
    expect(found("MM-RUN-2", (s) => compliantService(s, "api", { container: { startupProbe: probe } }))).toEqual([]);
  });
});

describe("MM-RUN-1 own service account", () => {
  it("fails if the account is App Engine's default", () => {
    expect(found("MM-RUN-1", (s) => compliantService(s, "api", { serviceAccount: "mindmirror-69@appspot.gserviceaccount.com" }))).toEqual([
      ["error", "template.service_account is the default account mindmirror-69@appspot.gserviceaccount.com"],
    ]);
  });

  it("accepts two services with literal accounts of their own, and an account whose name merely contains compute", () => {
    const build = (s: TestStack) => {
      compliantService(s, "first", { serviceAccount: "first@mindmirror-69.iam.gserviceaccount.com" });
      compliantService(s, "second", { serviceAccount: "compute-developer@mindmirror-69.iam.gserviceaccount.com" });
    };
    expect(found("MM-RUN-1", build)).toEqual([]);
  });

  it("fails on both services sharing one literal account", () => {
    const shared = "shared@mindmirror-69.iam.gserviceaccount.com";
    const build = (s: TestStack) => {
      compliantService(s, "first", { serviceAccount: shared });
      compliantService(s, "second", { serviceAccount: shared });
    };
    expect(found("MM-RUN-1", build)).toEqual([
      ["error", "template.service_account is shared with foundation-staging/second"],
      ["error", "template.service_account is shared with foundation-staging/first"],
    ]);
  });
});

describe("MM-RUN-1 accounts across stacks and environments", () => {
  /** [path, found] of MM-RUN-1 in each of `stacks`, built in one app and checked together. */
  function acrossStacks(stacks: [EnvironmentConfig, StackKind, (s: TestStack) => void][]): [string, string][] {
    const app = Testing.app();
    const built = stacks.map(([env, kind, build]) => {
      const stack = new TestStack(app, env, kind);
      build(stack);
      return stack;
    });
    applyPolicy(app);
    for (const stack of built) Testing.synth(stack);
    return built.flatMap((stack) => findingsOf(stack, "MM-RUN-1").map((f): [string, string] => [f.path, foundOf(f)]));
  }

  it("accepts one account reference per stack, though the references read the same", () => {
    // Each stack's `${google_service_account.api-account.email}` is its own account.
    const api = (s: TestStack) => compliantService(s, "api");
    expect(acrossStacks([[LOCKED, "services", api], [LOCKED, "gateway", api]])).toEqual([]);
  });

  it("accepts one literal account in two environments, and fails where one environment's stacks share it", () => {
    const shared = (id: string) => (s: TestStack) => compliantService(s, id, { serviceAccount: "shared@mindmirror-69.iam.gserviceaccount.com" });
    expect(acrossStacks([[LOCKED, "services", shared("api")], [PRODUCTION_LOCKED, "services", shared("api")]])).toEqual([]);
    expect(acrossStacks([[LOCKED, "services", shared("api")], [LOCKED, "gateway", shared("gateway")]])).toEqual([
      ["services-staging/api", "template.service_account is shared with gateway-staging/gateway"],
      ["gateway-staging/gateway", "template.service_account is shared with services-staging/api"],
    ]);
  });
});

describe("MM-RUN-4 labels", () => {
  it("fails on a service without labels, naming each missing one", () => {
    const build = (s: TestStack) => new CloudRunV2Service(s, "api", { name: "api", location: "us-east4", template: {} });
    expect(found("MM-RUN-4", build)).toEqual([
      ["error", 'label app is null, expected "mindmirror"'],
      ["error", 'label managed-by is null, expected "cdktf"'],
      ["error", 'label environment is null, expected "staging"'],
    ]);
  });


  it("accepts extra labels next to the environment's", () => {
    const labels = { app: "mindmirror", "managed-by": "cdktf", environment: "staging", team: "core" };
    expect(found("MM-RUN-4", (s) => compliantService(s, "api", { labels }))).toEqual([]);
  });
});

describe("MM-IMG-1 registry", () => {
  /** A service whose image is variable `app_image`, validated by `conditions`. */
  const withVariable = (conditions: string[]) => (s: TestStack) => {
    const variable = new TerraformVariable(s, "app_image", {
      type: "string",
      validation: conditions.map((condition) => ({ condition, errorMessage: "x" })),
    });
    compliantService(s, "api", { image: variable.stringValue });
  };
  const pattern = (p: string) => `can(regex("${p}", var.app_image))`;
  const UNPINNED = [["error", `image var.app_image has no validation pinning it to ${REGISTRY}/`]];

  it.each([
    ["imageCondition", imageCondition(LOCKED, "app", "app_image")],
    ["an alternation inside a group", pattern(`${PINNED}(a|b):v1$`)],
    ["an escaped '|'", pattern(`${PINNED}a\\\\|b$`)],
    ["a '|' in a character class", pattern(`${PINNED}[a|b]+$`)],
    ["a ']' escaped in a character class", pattern(`${PINNED}[\\\\]|]+$`)],
  ])("accepts a variable validated by %s", (_what, condition) => {
    expect(found("MM-IMG-1", withVariable([condition]))).toEqual([]);
  });

  it("accepts a variable when any one of its validations pins it", () => {
    expect(found("MM-IMG-1", withVariable([pattern(".*"), imageCondition(LOCKED, "app", "app_image")]))).toEqual([]);
  });

  it.each([
    ["an escape hatch to another registry", pattern(`${PINNED}app:v1|^ghcr\\\\.io/.*`)],
    ["an escape hatch after a group", pattern(`${PINNED}(a|b)|x`)],
    ["an escape hatch after a character class", pattern(`${PINNED}[a]|x`)],
    ["an unanchored pattern", pattern("us-east4-docker\\\\.pkg\\\\.dev/mindmirror-69/mindmirror/.*")],
    ["the registry's dots unescaped", pattern("^us-east4-docker.pkg.dev/mindmirror-69/mindmirror/.*")],
    ["a pattern JavaScript cannot read", pattern(`${PINNED}(?P<tag>.*)`)],
    ["a condition that is not a regex", "length(var.app_image) > 0"],
  ])("fails if the variable is validated by %s", (_what, condition) => {
    expect(found("MM-IMG-1", withVariable([condition]))).toEqual(UNPINNED);
  });

  it("fails on a literal of the registry that embeds an expression", () => {
    const build = (s: TestStack) => {
      const tag = new TerraformVariable(s, "tag", { type: "string" });
      compliantService(s, "api", { image: `${REGISTRY}/app:${tag.stringValue}` });
    };
    expect(found("MM-IMG-1", build)).toEqual([
      [
        "error",
        `image ${REGISTRY}/app:\${var.tag} is not deployable in staging (use ${REGISTRY}/app:<tag> or ${REGISTRY}/app@sha256:<64 hex digits>, where <tag> is a release tag starting with "v" (e.g. v1.0.0-252ad69))`,
      ],
    ]);
  });

});

describe("MM-SEC-1 plain secrets", () => {
  it.each(["KEYBOARD_LAYOUT", "KEYBOARD", "TOKENIZER_MODEL", "PUBLIC_URL", "SECRETARY"])("accepts %s, whose segments do not end like a secret", (name) => {
    expect(found("MM-SEC-1", (s) => compliantService(s, "api", { container: { env: [{ name, value: "x" }] } }))).toEqual([]);
  });

  it.each(["api_key", "Db.Passwd", "SERVICE_TOKENS", "X-SECRET", "APIKEYS"])("fails if %s is a plain value", (name) => {
    expect(found("MM-SEC-1", (s) => compliantService(s, "api", { container: { env: [{ name, value: "x" }] } }))).toEqual([
      ["error", `env ${name} is a plain value but its name marks a secret`],
    ]);
  });

  it.each(["https://github.com/x@y", "mailto:ops@mindmirror.app", "https://host/a@b", "not a url user@host"])("accepts %s, which holds no credentials", (value) => {
    expect(found("MM-SEC-1", (s) => compliantService(s, "api", { container: { env: [{ name: "LINK", value }] } }))).toEqual([]);
  });

  it.each(["HTTPS://user:pw@host", "git+ssh://git@host/x", "jdbc:postgresql://app:pw@db/x", "see https://token@host"])(
    "fails if a URL with credentials (%s) is a plain value",
    (value) => {
      expect(found("MM-SEC-1", (s) => compliantService(s, "api", { container: { env: [{ name: "LINK", value }] } }))).toEqual([
        ["error", "env LINK is a plain value holding a URL with credentials"],
      ]);
    },
  );
});

describe("MM-SEC-1 one finding per value", () => {
  it("names a secret's name once, though its value is also a URL with credentials", () => {
    const env = [{ name: "DB__PASSWORD", value: "postgres://app:pw@db/x" }];
    expect(found("MM-SEC-1", (s) => compliantService(s, "api", { container: { env } }))).toEqual([
      ["error", "env DB__PASSWORD is a plain value but its name marks a secret"],
    ]);
  });
});

describe("MM-IAM-2 project roles", () => {
  it("names every service account of a binding, and the provider's project when none is set", () => {
    const build = (s: TestStack) =>
      new ProjectIamBinding(s, "binding", {
        project: undefined as unknown as string,
        role: "roles/owner",
        members: ["serviceAccount:a@p.iam.gserviceaccount.com", "user:ops@example.com", "serviceAccount:b@p.iam.gserviceaccount.com"],
      });
    expect(found("MM-IAM-2", build)).toEqual([
      ["error", "serviceAccount:a@p.iam.gserviceaccount.com has roles/owner on project (provider default)"],
      ["error", "serviceAccount:b@p.iam.gserviceaccount.com has roles/owner on project (provider default)"],
    ]);
  });

  it("accepts a broad role for a person, and a narrow role for an account", () => {
    const build = (s: TestStack) => {
      new ProjectIamMember(s, "person", { project: "p", role: "roles/owner", member: "user:ops@example.com" });
      new ProjectIamMember(s, "narrow", { project: "p", role: "roles/run.developer", member: "serviceAccount:a@p.iam.gserviceaccount.com" });
    };
    expect(found("MM-IAM-2", build)).toEqual([]);
  });
});

describe("MM-PROD-1 deletion protection", () => {
  it("names a registry without prevent_destroy, and accepts one with it, where the environment protects deletion", () => {
    const build = (s: TestStack) => {
      new ArtifactRegistryRepository(s, "open", { repositoryId: "a", format: "DOCKER", lifecycle: { preventDestroy: false } });
      new ArtifactRegistryRepository(s, "kept", { repositoryId: "b", format: "DOCKER", lifecycle: { preventDestroy: true } });
      new StorageBucket(s, "bucket", { name: "b", location: "US" });
    };
    expect(found("MM-PROD-1", build, PROTECTED)).toEqual([
      ["error", "lifecycle.prevent_destroy is false"],
      ["error", "lifecycle.prevent_destroy is null"],
    ]);
  });
});

describe("MM-PROD-2 force_destroy", () => {
  it("warns where the environment does not protect deletion, and accepts force_destroy = false", () => {
    const build = (s: TestStack) => {
      new StorageBucket(s, "forced", { name: "a", location: "US", forceDestroy: true });
      new StorageBucket(s, "kept", { name: "b", location: "US", forceDestroy: false });
    };
    expect(found("MM-PROD-2", build)).toEqual([["warning", "google_storage_bucket sets force_destroy = true"]]);
  });
});

describe("MM-IAM-1 public invokers", () => {
  const grant = (members: string[]) => (s: TestStack) =>
    new CloudRunV2ServiceIamBinding(s, "open", { name: "api", location: "us-east4", role: "roles/run.invoker", members });

  it("names both public members of one binding", () => {
    expect(found("MM-IAM-1", grant(["allUsers", "allAuthenticatedUsers", "user:ops@example.com"]))).toEqual([
      ["error", "allUsers and allAuthenticatedUsers may invoke api (roles/run.invoker)"],
    ]);
  });

  it("accepts a binding of people and service accounts only", () => {
    expect(found("MM-IAM-1", grant(["user:ops@example.com", "serviceAccount:a@p.iam.gserviceaccount.com"]))).toEqual([]);
  });

  it("sums up the warnings of one environment by the members they open to", () => {
    const one = 'allUsers may invoke a (roles/run.invoker), allowed only because environment "staging" sets invoker.unauthenticatedBackends';
    const both = "allUsers and allAuthenticatedUsers may invoke b (roles/run.invoker), allowed only because …";
    const other = "allAuthenticatedUsers may invoke c (roles/run.invoker), allowed only because …";
    const tail = '(invoker.unauthenticatedBackends; README "Service-to-service authentication")';
    expect(IAM_PUBLIC_INVOKER.summary!([one])).toBe(`1 backend invokable by allUsers ${tail}`);
    expect(IAM_PUBLIC_INVOKER.summary!([other, one])).toBe(`2 backends invokable by allUsers or allAuthenticatedUsers ${tail}`);
    expect(IAM_PUBLIC_INVOKER.summary!([both, both])).toBe(`2 backends invokable by allUsers or allAuthenticatedUsers ${tail}`);
    expect(IAM_PUBLIC_INVOKER.summary!([other])).toBe(`1 backend invokable by allAuthenticatedUsers ${tail}`);
  });
});

describe("a stack outside any environment", () => {
  /** The [rule id, level] of every finding in a plain stack that `build` fills. */
  function plainFindings(build: (s: TerraformStack) => void): [string, string][] {
    const stack = new TerraformStack(Testing.app(), "plain");
    build(stack);
    applyPolicy(stack);
    Testing.synth(stack);
    return ["MM-IAM-1", "MM-IMG-1", "MM-RUN-1", "MM-RUN-4", "MM-PROD-1", "MM-PROD-2"].flatMap((id) => findingsOf(stack, id).map((f): [string, string] => [id, f.level]));
  }

  it("fails on a public invoker, with no environment to allow it", () => {
    const build = (s: TerraformStack) => new CloudRunV2ServiceIamMember(s, "open", { name: "api", location: "us-east4", role: "roles/run.invoker", member: "allUsers" });
    expect(plainFindings(build)).toEqual([["MM-IAM-1", "error"]]);
  });

  it("leaves the checks that need an environment's values alone", () => {
    const build = (s: TerraformStack) => {
      for (const name of ["api", "worker"]) {
        const template = { serviceAccount: `${name}@p.iam.gserviceaccount.com`, containers: [{ image: "docker.io/library/nginx:1" }] };
        new CloudRunV2Service(s, name, { name, location: "us-east4", template });
      }
      new StorageBucket(s, "bucket", { name: "b", location: "US", forceDestroy: true });
    };
    expect(plainFindings(build)).toEqual([["MM-PROD-2", "warning"]]);
  });
});
