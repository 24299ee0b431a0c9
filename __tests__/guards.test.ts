import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { SERVICES, type ServiceDefinition } from "../catalog";
import { ENVIRONMENT_SOURCES, ENVIRONMENTS, production, staging, type EnvironmentConfig } from "../environments";
import { validateEnvironments, type OtherState } from "../environments/guards";
import { loadImages } from "../environments/image-files";
import { ConfigErrors } from "../lib/errors";
import { withEnv, withGate } from "./helpers";

const GITHUB_STATE = { owner: "the github stack", bucket: "mindmirror-tofu-state", prefix: "github" };
const check = (envs: readonly EnvironmentConfig[], catalog: readonly ServiceDefinition[] = SERVICES) => () =>
  validateEnvironments(envs, { catalog, otherStates: [GITHUB_STATE], sources: () => ENVIRONMENT_SOURCES });

/** The lines an invalid set of environments reports. */
function problems(envs: readonly EnvironmentConfig[], catalog: readonly ServiceDefinition[] = SERVICES): string[] {
  try {
    check(envs, catalog)();
  } catch (error) {
    return (error as Error).message.split("\n");
  }
  return [];
}

/** A third environment in a project of its own, valid beside staging and production. */
const qa: EnvironmentConfig = {
  ...staging,
  name: "qa",
  project: { id: "mindmirror-qa", number: "123456789" },
  branch: "qa",
  naming: { serviceSuffix: "-qa", accountSuffix: "-qa" },
  backend: { mode: "complete", bucket: "mindmirror-tofu-state", prefix: "envs/qa" },
  ci: { ...staging.ci, deployerAccountId: "github-actions-qa", plannerAccountId: "github-planner-qa" },
};

describe("validateEnvironments", () => {
  it("accepts today's environments, and a third one in a project of its own", () => {
    expect(check(ENVIRONMENTS)).not.toThrow();
    expect(check([...ENVIRONMENTS, qa])).not.toThrow();
  });

  describe("state prefixes", () => {
    it("fails if two environments share a prefix", () => {
      const bad = withEnv(staging, { backend: { ...staging.backend, prefix: "envs/production" } });
      expect(problems([bad, production])).toEqual([
        'environments.staging.backend.prefix: "envs/production" overlaps production\'s ("envs/production"); give each environment its own prefix, such as "envs/<name>"',
      ]);
    });

    it("fails if one prefix lies beneath another's, but not for a mere common start", () => {
      expect(problems([staging, withEnv(qa, { backend: { ...qa.backend, prefix: "envs/staging/qa" } })])).toEqual([
        expect.stringMatching(/^environments\.staging\.backend\.prefix: "envs\/staging" overlaps qa's \("envs\/staging\/qa"\)/),
      ]);
      expect(problems([staging, withEnv(qa, { backend: { ...qa.backend, prefix: "envs/staging-qa" } })])).toEqual([]);
    });

    it("allows the same prefix in another bucket", () => {
      expect(problems([staging, withEnv(qa, { backend: { ...qa.backend, bucket: "other-state", prefix: "envs/staging" } })])).toEqual([]);
    });

    it("fails if an environment's prefix overlaps the github stack's state", () => {
      expect(problems([withEnv(qa, { backend: { ...qa.backend, prefix: "github/qa" } })])).toEqual([
        expect.stringMatching(/^environments\.qa\.backend\.prefix: "github\/qa" overlaps the state of the github stack \("github"\); give each environment a prefix of its own/),
      ]);
    });
  });

  describe("projects", () => {
    const sameProject = withEnv(qa, { project: { ...staging.project } });

    it("fails if two environments share a project without saying so", () => {
      expect(problems([staging, sameProject])).toEqual(
        expect.arrayContaining([
          'environments.staging.project.id: "mindmirror-69" is also the project of qa; give each environment its own project, or share it on purpose: list qa in project.sharedWith of staging (and staging in theirs)',
          expect.stringMatching(/^environments\.qa\.project\.id: "mindmirror-69" is also the project of staging;/),
        ]),
      );
    });

    it("fails if shared on purpose but the foundations would manage the same registry and pool", () => {
      const a = withEnv(staging, { project: { ...staging.project, sharedWith: ["qa"] } });
      const b = withEnv(sameProject, { project: { ...sameProject.project, sharedWith: ["staging"] } });
      expect(problems([a, b])).toEqual([
        'environments.qa.registry.repository: "us-east4/mindmirror" is also the registry of staging in project "mindmirror-69"; each environment\'s foundation manages its own repository; use another repository id',
        'environments.qa.ci.workloadIdentityPool: "github-pool" is also the Workload Identity pool of staging in project "mindmirror-69"; each environment\'s foundation manages its own pool; use another pool id',
      ]);
      const apart = withEnv(b, { registry: { ...b.registry, repository: "mindmirror-qa" }, ci: { ...b.ci, workloadIdentityPool: "github-pool-qa" } });
      expect(problems([a, apart])).toEqual([]);
    });

    it("fails if sharedWith names an environment in another project, or one project has two numbers", () => {
      const a = withEnv(staging, { project: { ...staging.project, sharedWith: ["production"] } });
      expect(problems([a, production])).toEqual([
        'environments.staging.project.sharedWith: "production" does not share this project; list only environments whose project.id is "mindmirror-69": none',
      ]);
      expect(problems([staging, withEnv(qa, { project: { id: "mindmirror-qa", number: staging.project.number } })])).toEqual([
        'environments.qa.project.number: "3858903851" is also the number of project "mindmirror-69"; a project number belongs to one project id; check mindmirror-69 and mindmirror-qa in the console',
      ]);
    });
  });

  describe("account ids", () => {
    it("fails if a CI account id is a runtime account id of its environment", () => {
      expect(problems([withEnv(staging, { ci: { ...staging.ci, deployerAccountId: "gateway-staging" } })])).toEqual([
        'environments.staging.ci.deployerAccountId: "gateway-staging" is also the runtime account of "gateway" in staging in project "mindmirror-69"; give each CI account an id of its own, such as "github-actions-staging", never a runtime account\'s',
      ]);
      expect(problems([withGate(production, { unattended: { githubEnvironment: "production-ci", builderAccountId: "users-service-production" } })])).toEqual([
        expect.stringMatching(/^environments\.production\.approval\.gate\.unattended\.builderAccountId: "users-service-production" is also the runtime account of "users-service" in production/),
      ]);
    });

    it("fails if environments sharing a project collide on account ids or Cloud Run names", () => {
      const a = withEnv(staging, { project: { ...staging.project, sharedWith: ["qa"] } });
      const b = withEnv(qa, {
        project: { ...staging.project, sharedWith: ["staging"] },
        registry: { ...qa.registry, repository: "mindmirror-qa" },
        naming: { serviceSuffix: "-staging", accountSuffix: "-qa" },
        ci: { ...qa.ci, workloadIdentityPool: "github-pool-qa", deployerAccountId: "github-actions-staging" },
      });
      const lines = problems([a, b]);
      expect(lines).toContain('environments.qa.naming.serviceSuffix: "agent-service-staging" is also the Cloud Run service "agent-service" of staging in project "mindmirror-69"; give each environment in a shared project its own naming suffixes');
      expect(lines).toContain(
        'environments.qa.ci.deployerAccountId: "github-actions-staging" is also the deployer of staging in project "mindmirror-69"; give each CI account an id of its own, such as "github-actions-qa", never a runtime account\'s',
      );
      expect(lines).toHaveLength(SERVICES.length + 1);
      const planners = problems([a, withEnv(b, { ci: { ...b.ci, deployerAccountId: "github-actions-qa", plannerAccountId: "github-planner-staging" } })]);
      expect(planners).toContain(
        'environments.qa.ci.plannerAccountId: "github-planner-staging" is also the planner of staging in project "mindmirror-69"; give the planner an id of its own, such as "github-planner-qa"',
      );
    });
  });

  it("fails if a second environment manages the state bucket", () => {
    expect(problems([staging, withEnv(production, { backend: { ...production.backend, managedBucket: { location: "US" } } })])).toEqual([
      'environments.production.backend.managedBucket: {"location":"US"} manages bucket "mindmirror-tofu-state", which staging already manages; remove it here: one environment manages bucket "mindmirror-tofu-state" (the one whose project holds it), the others only use it',
    ]);
  });

  describe("catalog values reaching the JSON: refused, never escaped", () => {
    const withEnvValue = (value: ServiceDefinition["env"][string]) =>
      SERVICES.map((s) => (s.name === "habits-service" ? { ...s, env: { ...s.env, EXTRA: value } } : s));

    it.each([['${file("/etc/hostname")}'], ["%{ if true }x%{ endif }"], ["a${b}"]])("fails on %s", (value) => {
      expect(problems(ENVIRONMENTS, withEnvValue(value))).toEqual([
        `catalog "habits-service".env.EXTRA: ${JSON.stringify(value)} holds a template sequence; OpenTofu would evaluate it on the machine that runs the plan; write the value without \${ or %{ (a secret belongs in secretEnv)`,
      ]);
    });

    it("checks a value derived from the environment as each environment renders it", () => {
      expect(problems(ENVIRONMENTS, withEnvValue((e) => (e.name === "production" ? "${path.cwd}" : "ok")))).toEqual([
        expect.stringMatching(/^catalog "habits-service"\.env\.EXTRA in production: "\$\{path\.cwd\}" holds a template sequence/),
      ]);
    });

    it("checks what an untyped environment function renders, whatever its type", () => {
      const renders = (() => ["${path.cwd}"]) as unknown as ServiceDefinition["env"][string];
      expect(problems([staging], withEnvValue(renders))).toEqual([
        expect.stringMatching(/^catalog "habits-service"\.env\.EXTRA in staging\[0\]: "\$\{path\.cwd\}" holds a template sequence/),
      ]);
    });

    it("lets a lone $ or % through", () => {
      expect(problems(ENVIRONMENTS, withEnvValue("50% of $5"))).toEqual([]);
    });
  });

  describe("reserved ids", () => {
    it.each([
      [{ ci: { ...staging.ci, workloadIdentityPool: "gcp-github" } }, /^environments\.staging\.ci\.workloadIdentityPool: "gcp-github" is not valid; the prefix "gcp-" is reserved by Google/],
      [{ ci: { ...staging.ci, workloadIdentityProvider: "gcp-oidc" } }, /^environments\.staging\.ci\.workloadIdentityProvider: "gcp-oidc" is not valid; the prefix "gcp-" is reserved by Google/],
      [{ project: { ...staging.project, id: "my-google-app" } }, /^environments\.staging\.project\.id: "my-google-app" is not valid; GCP does not allow "google" in a project id/],
    ] as const)("fails on %j", (patch, message) => {
      expect(problems([withEnv(staging, patch as Partial<EnvironmentConfig>)])).toEqual([expect.stringMatching(message)]);
    });
  });

  it("names the file and the field of a duplicate environment name", () => {
    expect(problems([staging, withEnv(production, { name: "staging" })])).toEqual([
      'ENVIRONMENTS[1] name: "staging" is already the name of the environment in environments/staging.ts; give each environment its own name',
    ]);
    // Found with the environments themselves: the real objects name their files.
    expect([ENVIRONMENT_SOURCES.get(staging), ENVIRONMENT_SOURCES.get(production)]).toEqual(["environments/staging.ts", "environments/production.ts"]);
  });

  it("reports every problem at once, one line each, and checks names before anything built from them", () => {
    const bad = withEnv(staging, { name: "../../etc", region: "nowhere" });
    let error: unknown;
    try {
      check([bad, withEnv(production, { ci: { ...production.ci, workloadIdentityPool: "gcp-x" } })])();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigErrors);
    expect((error as ConfigErrors).message.split("\n")).toEqual([
      expect.stringMatching(/^environments\.<env>\.name: "\.\.\/\.\.\/etc" is not valid/),
      expect.stringMatching(/^environments\.\.\.\/\.\.\/etc\.region: "nowhere" is not valid/),
      expect.stringMatching(/^environments\.production\.ci\.workloadIdentityPool: "gcp-x" is not valid/),
    ]);
  });
});

describe("validateEnvironments, each check on its own", () => {
  const only = (envs: readonly EnvironmentConfig[], catalog: readonly ServiceDefinition[] = SERVICES, otherStates: readonly OtherState[] | undefined = [GITHUB_STATE]) => {
    try {
      validateEnvironments(envs, { catalog, otherStates });
    } catch (error) {
      return (error as Error).message.split("\n");
    }
    return [];
  };

  it("names environments by their place in the list when no sources are given", () => {
    expect(only([staging, withEnv(production, { name: "staging" })])).toEqual([
      'ENVIRONMENTS[1] name: "staging" is already the name of the environment in ENVIRONMENTS[0]; give each environment its own name',
    ]);
  });

  it("reports a duplicate name alone, before any check that names environments by it", () => {
    const twin = withEnv(qa, { name: "staging", backend: { ...qa.backend, prefix: staging.backend.prefix } });
    expect(only([staging, twin])).toEqual([expect.stringMatching(/^ENVIRONMENTS\[1\] name: "staging" is already the name/)]);
  });

  it("checks nothing across environments while one is invalid on its own", () => {
    const bad = withEnv(qa, { region: "nowhere", backend: { ...qa.backend, prefix: staging.backend.prefix } });
    expect(only([staging, bad])).toEqual([expect.stringMatching(/^environments\.qa\.region: "nowhere" is not valid/)]);
    expect(only([staging, withEnv(bad, { name: "staging" })])).toEqual([expect.stringMatching(/^environments\.staging\.region: "nowhere" is not valid/)]);
  });

  it("knows no other state unless told", () => {
    expect(() => validateEnvironments([withEnv(qa, { backend: { ...qa.backend, prefix: "github" } })], { catalog: SERVICES })).not.toThrow();
  });

  /** Three environments in staging's project, each with its own registry and pool. */
  const trio = (patch: (env: EnvironmentConfig) => Partial<EnvironmentConfig> = () => ({})) =>
    [staging, withEnv(qa, { name: "qa" }), withEnv(qa, { name: "dev", naming: { serviceSuffix: "-dev", accountSuffix: "-dev" }, ci: { ...qa.ci, deployerAccountId: "github-actions-dev", plannerAccountId: "github-planner-dev" } })].map((env) =>
      withEnv(env, {
        project: { ...staging.project },
        registry: { ...env.registry, repository: `mindmirror-${env.name}` },
        ci: { ...env.ci, workloadIdentityPool: `github-pool-${env.name}` },
        backend: { ...env.backend, prefix: `envs/${env.name}` },
        ...patch(env),
      }),
    );

  it("lists every environment a project is shared with, in the problem and in the fix", () => {
    expect(only(trio())[0]).toBe(
      'environments.staging.project.id: "mindmirror-69" is also the project of qa, dev; give each environment its own project, or share it on purpose: list qa, dev in project.sharedWith of staging (and staging in theirs)',
    );
    const declared = trio((env) => ({ project: { ...staging.project, sharedWith: ["staging", "qa", "dev", "production"].filter((n) => n !== env.name) } }));
    expect(only(declared)).toEqual([
      'environments.staging.project.sharedWith: "production" does not share this project; list only environments whose project.id is "mindmirror-69": qa, dev',
      'environments.qa.project.sharedWith: "production" does not share this project; list only environments whose project.id is "mindmirror-69": staging, dev',
      'environments.dev.project.sharedWith: "production" does not share this project; list only environments whose project.id is "mindmirror-69": staging, qa',
    ]);
  });

  it("names the account suffix when runtime accounts collide in a shared project", () => {
    const envs = trio((env) => ({ project: { ...staging.project, sharedWith: ["staging", "qa", "dev"].filter((n) => n !== env.name) } }));
    const clash = envs.map((env) => (env.name === "qa" ? withEnv(env, { naming: { serviceSuffix: "-qa", accountSuffix: "-staging" } }) : env));
    expect(only(clash)).toContain(
      'environments.qa.naming.accountSuffix: "agent-service-staging" is also the runtime account of "agent-service" in staging in project "mindmirror-69"; give each environment in a shared project its own naming suffixes',
    );
  });

  it("fails if a deployer's id is another environment's builder, or a builder's or planner's id a runtime account's", () => {
    const a = withEnv(production, { project: { ...production.project, sharedWith: ["qa"] } });
    const b = withEnv(qa, {
      project: { ...production.project, sharedWith: ["production"] },
      registry: { ...qa.registry, repository: "mindmirror-qa" },
      ci: { ...qa.ci, workloadIdentityPool: "github-pool-qa", deployerAccountId: "github-builder-production" },
    });
    expect(only([a, b])).toEqual([
      `environments.qa.ci.deployerAccountId: "github-builder-production" is also the builder of production in project "mindmirror-prod"; give each CI account an id of its own, such as "github-actions-qa", never a runtime account's`,
    ]);
    expect(only([withGate(production, { unattended: { githubEnvironment: "production-ci", builderAccountId: "users-service-production" } })])).toEqual([
      'environments.production.approval.gate.unattended.builderAccountId: "users-service-production" is also the runtime account of "users-service" in production in project "mindmirror-prod"; give the builder an id of its own, such as "github-builder-production"',
    ]);
    expect(only([withEnv(production, { ci: { ...production.ci, plannerAccountId: "gateway-production" } })])).toEqual([
      expect.stringMatching(/^environments\.production\.ci\.plannerAccountId: "gateway-production" is also the runtime account of "gateway" in production/),
    ]);
  });

  it("allows a prefix like another state's in another bucket, and checks every environment against it", () => {
    expect(only([withEnv(qa, { backend: { ...qa.backend, bucket: "other-state", prefix: "github" } })])).toEqual([]);
    expect(only([staging, withEnv(qa, { backend: { ...qa.backend, prefix: "github" } })])).toEqual([
      expect.stringMatching(/^environments\.qa\.backend\.prefix: "github" overlaps the state of the github stack/),
    ]);
  });

  it("fails if environments sharing a project give it two numbers", () => {
    const a = withEnv(staging, { project: { ...staging.project, sharedWith: ["qa"] } });
    const b = withEnv(qa, {
      project: { id: staging.project.id, number: "123456789", sharedWith: ["staging"] },
      registry: { ...qa.registry, repository: "mindmirror-qa" },
      ci: { ...qa.ci, workloadIdentityPool: "github-pool-qa" },
    });
    expect(only([a, b])).toEqual([
      'environments.staging.project.number: "3858903851" differs from another environment\'s number for project "mindmirror-69"; every environment in project "mindmirror-69" must give its one number',
      'environments.qa.project.number: "123456789" differs from another environment\'s number for project "mindmirror-69"; every environment in project "mindmirror-69" must give its one number',
    ]);
  });

  it("finds template sequences in lists and nested objects of the catalog, and passes other values", () => {
    const habits = SERVICES.find((s) => s.name === "habits-service")!;
    const patched = { ...habits, calls: [...habits.calls, "${x}"], resources: { cpu: "1", memory: "%{y}" }, public: false, deprecatedEnv: undefined };
    const catalog = SERVICES.map((s) => (s === habits ? patched : s));
    expect(only(ENVIRONMENTS, catalog).map((line) => line.split(": ")[0])).toEqual([
      `catalog "habits-service".calls[${habits.calls.length}]`,
      'catalog "habits-service".resources.memory',
    ]);
    const rendered = SERVICES.map((s) => (s === habits ? { ...habits, env: { ...habits.env, PORTS: (() => 8000) as unknown as () => string }, extra: null } : s));
    expect(only(ENVIRONMENTS, rendered as ServiceDefinition[])).toEqual([]);
  });
});

describe("loadImages", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mindmirror-images-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("checks the environment's name before reading a file named after it", () => {
    // "../escaped" would reach <dir>/escaped.auto.tfvars from <dir>/sub, a readable file.
    fs.mkdirSync(path.join(dir, "sub"));
    fs.writeFileSync(path.join(dir, "escaped.auto.tfvars"), 'gateway_image = "x"\n');
    expect(() => loadImages(withEnv(staging, { name: "../escaped" }), path.join(dir, "sub"))).toThrow(/^environments\.<env>\.name: "\.\.\/escaped" is not valid/);
  });

  it("fails if the tfvars path is a folder", () => {
    fs.mkdirSync(path.join(dir, "staging.auto.tfvars"));
    expect(() => loadImages(staging, dir)).toThrow(
      /^environments\/staging\.auto\.tfvars: ".*staging\.auto\.tfvars" is not valid; it is a folder, not a file; remove the folder and create the file/,
    );
  });

  it("fails if the tfvars file is missing", () => {
    expect(() => loadImages(production, dir)).toThrow(/^environments\/production\.auto\.tfvars: ".*" is not valid; create it with one <service>_image/);
  });
});
