/**
 * The two changes people make most, made the way the README says and nothing
 * more, on a copy of this project: a service is one catalog entry plus one
 * tfvars line per environment; an environment is one module plus its tfvars
 * file. The real app and the workflow generator then produce everything the
 * new service or environment needs, with no other file touched.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const ROOT = path.join(__dirname, "..");
/** What a copy of the project needs: its sources, not its outputs or its tests. */
const SKIP = new Set(["node_modules", "cdktf.out", ".git", ".github", "reports", ".stryker-tmp", "__tests__", "coverage"]);
const TAG = "v1.2.3-abc1234";

/** A copy of the project's sources in a temp folder, node_modules linked. */
function copyProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "one-file-"));
  for (const entry of fs.readdirSync(ROOT)) {
    if (!SKIP.has(entry)) fs.cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

interface Synthesized {
  readonly stacks: Record<string, any>;
  readonly workflows: Record<string, string>;
}

/** The node arguments of cdktf.json's app command and of `npm run workflows`: what `cdktf synth` and a person run. */
function commands(): { app: string[]; workflows: string[] } {
  const nodeArgs = (command: string) => {
    const [node, ...args] = command.split(" ");
    expect(node).toBe("node");
    return args;
  };
  const cdktf = JSON.parse(fs.readFileSync(path.join(ROOT, "cdktf.json"), "utf8")) as { app: string };
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
  return { app: nodeArgs(cdktf.app), workflows: nodeArgs(pkg.scripts.workflows) };
}

/** Runs the app and the workflow generator in `dir`, as `cdktf synth` and `npm run workflows` do. */
async function synthesize(dir: string): Promise<Synthesized> {
  const outdir = path.join(dir, "cdktf.out");
  const env = { ...process.env, CDKTF_OUTDIR: outdir };
  const { app, workflows: generator } = commands();
  await Promise.all([run(process.execPath, app, { cwd: dir, env }), run(process.execPath, generator, { cwd: dir, env })]);
  const stacksDir = path.join(outdir, "stacks");
  const stacks = Object.fromEntries(fs.readdirSync(stacksDir).map((s) => [s, JSON.parse(fs.readFileSync(path.join(stacksDir, s, "cdk.tf.json"), "utf8"))]));
  const workflowsDir = path.join(dir, ".github", "workflows");
  const workflows = Object.fromEntries(fs.readdirSync(workflowsDir).map((f) => [f, fs.readFileSync(path.join(workflowsDir, f), "utf8")]));
  return { stacks, workflows };
}

const NEW_SERVICE = `  {
    name: "notes-service",
    image: "notes_service",
    build: python("notes_service"),
    port: 8000,
    stack: "services",
    env: { ...COMMON },
    secretEnv: ["DATABASE_URL"],
    calls: ["users-service"],
    healthPath: "/health",
  },
`;

/** Adds notes-service to the catalog and its image to each tfvars file: the whole change. */
function addService(dir: string): void {
  const catalog = path.join(dir, "catalog", "services.ts");
  const text = fs.readFileSync(catalog, "utf8");
  const end = text.indexOf("];\n\n/** The GraphQL mesh gateway");
  expect(end).toBeGreaterThan(0);
  fs.writeFileSync(catalog, text.slice(0, end) + NEW_SERVICE + text.slice(end));
  for (const [env, project] of [["staging", "mindmirror-69"], ["production", "mindmirror-prod"]]) {
    fs.appendFileSync(path.join(dir, "environments", `${env}.auto.tfvars`), `notes_service_image = "us-east4-docker.pkg.dev/${project}/mindmirror/notes_service:${TAG}"\n`);
  }
}

/** Adds the qa environment, from staging's module, and its tfvars file: the whole change. */
function addEnvironment(dir: string): void {
  const envs = path.join(dir, "environments");
  const module = fs
    .readFileSync(path.join(envs, "staging.ts"), "utf8")
    .replace(/staging/g, "qa")
    .replace(/mindmirror-69/g, "mindmirror-qa")
    .replace(/"3858903851"/, '"123456789012"')
    .replace(/deployOrder: 1/, "deployOrder: 3")
    .replace(/importExisting: true/, "importExisting: false")
    .replace(/\n\s*managedBucket: \{[^\n]*\},?/, "");
  expect(module).toContain("export const qa: EnvironmentConfig");
  expect(module).not.toContain("managedBucket");
  fs.writeFileSync(path.join(envs, "qa.ts"), module);
  const images = fs
    .readFileSync(path.join(envs, "staging.auto.tfvars"), "utf8")
    .replace(/mindmirror-69/g, "mindmirror-qa")
    .replace(/:v[^"]+"/g, `:${TAG}"`);
  fs.writeFileSync(path.join(envs, "qa.auto.tfvars"), images);
}

describe("one-file changes", () => {
  // Both changes in one copy (a synth costs seconds): each part's assertions are about its own change.
  let dir: string;
  let service: Synthesized;
  let environment: Synthesized;

  beforeAll(async () => {
    dir = copyProject();
    addService(dir);
    addEnvironment(dir);
    service = environment = await synthesize(dir);
  }, 60_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe("a service: its catalog entry and a tfvars line per environment", () => {
    it.each([
      ["staging", "notes-service-staging"],
      ["production", "notes-service"],
    ])("is deployed in %s, from its image variable, as its own account", (env, cloudRunName) => {
      const services = service.stacks[`services-${env}`];
      const run = Object.values(services.resource.google_cloud_run_v2_service as Record<string, any>).find((r) => r.name === cloudRunName);
      expect(run).toBeDefined();
      expect(run.template.containers[0].image).toBe("${var.notes_service_image}");
      expect(run.template.service_account).toMatch(new RegExp(`^notes-service-${env}@`));
      expect(services.variable.notes_service_image).toBeDefined();
    });

    it("gets its runtime account and secret grant in the foundation, and the deployer may deploy it", () => {
      const foundation = service.stacks["foundation-staging"];
      expect(foundation.resource.google_service_account.notes_service.account_id).toBe("notes-service-staging");
      expect(foundation.resource.google_secret_manager_secret_iam_member.notes_service_secret_database_url).toMatchObject({
        secret_id: "DATABASE_URL",
        member: "serviceAccount:${google_service_account.notes_service.email}",
      });
      const conditions = Object.values(foundation.resource.google_project_iam_member as Record<string, any>).map((m) => m.condition?.expression ?? "");
      expect(conditions.filter((c) => c.includes('resource.name.endsWith("/services/notes-service-staging")'))).toHaveLength(1);
    });

    it("may invoke the service it calls, and its URL joins the service URLs the gateway is built with", () => {
      const services = service.stacks["services-staging"];
      expect(services.resource.google_cloud_run_v2_service_iam_member.users_service_invoker_notes_service.member).toBe(
        "serviceAccount:notes-service-staging@mindmirror-69.iam.gserviceaccount.com",
      );
      const urls = JSON.parse(services.resource.google_secret_manager_secret_version.service_urls.secret_data) as Record<string, string>;
      expect(urls.notes_service_url).toBe("https://notes-service-staging-3858903851.us-east4.run.app");
    });

    it("is health-checked after each services apply, on its own health path", () => {
      expect(service.workflows["tofu-apply-staging.yml"]).toContain("check_http notes-service-staging notes_service_url /health");
      expect(service.workflows["tofu-apply-production.yml"]).toContain("check_http notes-service notes_service_url /health");
    });
  });

  describe("an environment: its module and its tfvars file", () => {
    it("gets its three stacks", () => {
      expect(Object.keys(environment.stacks).sort()).toEqual(
        ["foundation-production", "foundation-qa", "foundation-staging", "gateway-production", "gateway-qa", "gateway-staging", "github", "services-production", "services-qa", "services-staging"],
      );
      const qa = environment.stacks["services-qa"];
      expect(JSON.stringify(qa.resource.google_cloud_run_v2_service)).toContain("journal-service-qa");
      expect(qa.terraform.backend.gcs).toEqual({ bucket: "mindmirror-tofu-state", prefix: "envs/qa/services" });
      // A new project has nothing to adopt.
      expect(qa.import ?? []).toEqual([]);
    });

    it("gets its GitHub environments and variables in the github stack", () => {
      const environments = Object.keys(environment.stacks.github.resource.github_repository_environment);
      expect(environments).toEqual(expect.arrayContaining(["qa", "qa-plan"]));
      expect(JSON.stringify(environment.stacks.github.resource.github_actions_environment_variable)).toContain("github-actions-qa@mindmirror-qa.iam.gserviceaccount.com");
    });

    it("gets its four phase workflows and its rollback, and joins the pull-request and drift workflows", () => {
      for (const file of ["deploy-qa.yml", "tofu-apply-qa.yml", "deploy-gateway-qa.yml", "tofu-apply-gateway-qa.yml", "rollback-qa.yml"]) {
        expect(Object.keys(environment.workflows)).toContain(file);
      }
      const drift = environment.workflows["drift.yml"];
      // Listed after the others, by its deployOrder (3).
      expect(drift.indexOf("plan-gateway-production:")).toBeGreaterThan(0);
      expect(drift.indexOf("plan-foundation-qa:")).toBeGreaterThan(drift.indexOf("plan-gateway-production:"));
      expect(environment.workflows["pull-request.yml"]).toContain("plan-qa");
    });

    it("half made (a tfvars file without its module) fails synth and the generator in one line naming the file", async () => {
      fs.rmSync(path.join(dir, "environments", "qa.ts"));
      const message = 'environments/qa.auto.tfvars: "qa" is not valid; it has no environment: add environments/qa.ts exporting `const qa: EnvironmentConfig`, or remove the file';
      const { app, workflows } = commands();
      const scripts = [app, workflows];
      const failures = await Promise.all(
        scripts.map((args) =>
          run(process.execPath, args, { cwd: dir, env: { ...process.env, CDKTF_OUTDIR: path.join(dir, "half") } }).then(
            () => undefined,
            (error: { code: number; stderr: string }) => error,
          ),
        ),
      );
      expect(failures.map((f, i) => [scripts[i].at(-1), f?.code, f?.stderr.trim()])).toEqual(scripts.map((args) => [args.at(-1), 1, message]));
    }, 60_000);
  });
});
