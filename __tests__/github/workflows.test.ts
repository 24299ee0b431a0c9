import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { parse } from "yaml";
import { deploymentBranches } from "../../lib/ci";
import { actionsVariables } from "../../lib/github";
import { SERVICES, type ServiceDefinition } from "../../catalog";
import { ENVIRONMENTS, production, staging } from "../../environments";
import { GITHUB } from "../../environments/github";
import type { EnvironmentConfig } from "../../environments/types";
import { backendConfigFile, serviceUrlsSecretId, stackName } from "../../lib/naming";
import { PULL_REQUEST_CHECK } from "../../lib/github";
import {
  ACTION_PINS,
  checkCredentialedInstalls,
  DEPENDABOT_FILE,
  dependabotConfig,
  driftTargets,
  GENERATED_HEADER,
  generateWorkflows,
  phaseWorkflowFile,
  phaseWorkflowName,
  rollbackWorkflowFile,
  rollbackWorkflowName,
  TOOLCHAIN,
  workflowFiles,
  type Phase,
} from "../../workflows";
import { GENERATED_MODE, githubDirs, writeGenerated } from "../../scripts/generate-workflows";
import { stepOutputs } from "../../workflows/model";
import { githubStack, synthGithub, withApproval, type YamlJob, type YamlStep } from "./helpers";

const ROOT = path.join(__dirname, "..", "..");
const DIR = path.join(ROOT, ".github", "workflows");
const generated = generateWorkflows();

interface YamlWorkflow {
  name: string;
  on: {
    push?: { branches: string[]; "paths-ignore"?: string[] };
    pull_request?: { branches: string[] };
    workflow_run?: { workflows: string[]; types: string[] };
    workflow_dispatch?: { inputs?: Record<string, { description: string; required: boolean; type: string }> };
  };
  permissions: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  jobs: Record<string, YamlJob>;
}

/** The committed file, parsed (each text once; a test gets its own copy, free to change). */
const parsed = new Map<string, YamlWorkflow>();
function committed(file: string): YamlWorkflow {
  const text = fs.readFileSync(path.join(DIR, file), "utf8");
  if (!parsed.has(text)) parsed.set(text, parse(text) as YamlWorkflow);
  return structuredClone(parsed.get(text)!);
}
const phase = (env: EnvironmentConfig, p: Phase) => committed(phaseWorkflowFile(env, p));
const allFiles = [...generated.keys()];
const allJobs = allFiles.flatMap((file) => Object.entries(committed(file).jobs).map(([id, job]) => ({ file, id, job })));
const runScript = (job: YamlJob) => job.steps.map((s) => s.run ?? "").join("\n");
const stepIndex = (job: YamlJob, predicate: (s: YamlStep) => boolean) => job.steps.findIndex(predicate);

describe("workflow files", () => {
  it("are generated for every phase of every environment and its rollback, plus the pull-request checks and the drift detection", () => {
    expect(allFiles).toEqual([
      "pull-request.yml",
      ...ENVIRONMENTS.flatMap((env) => [...([1, 2, 3, 4] as const).map((p) => phaseWorkflowFile(env, p)), rollbackWorkflowFile(env)]),
      "drift.yml",
    ]);
    expect(allFiles).toContain("tofu-apply-gateway-production.yml");
    expect(allFiles).toEqual(expect.arrayContaining(["rollback-staging.yml", "rollback-production.yml"]));
  });

  it.each(allFiles)("%s is committed exactly as the generator writes it now", (file) => {
    const target = path.join(DIR, file);
    expect(fs.existsSync(target)).toBe(true);
    // A failure here means: run `npm run workflows` and commit the result.
    expect(fs.readFileSync(target, "utf8")).toBe(generated.get(file));
  });

  it("are written to the repository root's .github/ too where this project is its infra/ folder, and kept equal there", () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "workflow-dirs-"));
    try {
      fs.mkdirSync(path.join(tmp, "repo", ".git"), { recursive: true });
      fs.mkdirSync(path.join(tmp, "repo", "infra"));
      fs.mkdirSync(path.join(tmp, "infra"));
      expect(githubDirs(path.join(tmp, "repo", "infra"))).toEqual([path.join(tmp, "repo", "infra", ".github"), path.join(tmp, "repo", ".github")]);
      // Not inside a work tree, or a folder of another name: only this project's own copies.
      expect(githubDirs(path.join(tmp, "infra"))).toEqual([path.join(tmp, "infra", ".github")]);
      expect(githubDirs(path.join(tmp, "repo"))).toEqual([path.join(tmp, "repo", ".github")]);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    for (const dir of githubDirs(ROOT).slice(1)) {
      for (const [file, text] of generated) expect([dir, file, fs.readFileSync(path.join(dir, "workflows", file), "utf8") === text]).toEqual([dir, file, true]);
    }
  });

  it("leaves no generated file behind that the model no longer produces", () => {
    const stale = fs
      .readdirSync(DIR)
      .filter((f) => fs.readFileSync(path.join(DIR, f), "utf8").startsWith(GENERATED_HEADER))
      .filter((f) => !generated.has(f));
    expect(stale).toEqual([]);
  });

  it.each(allFiles)("%s says it is generated and by what", (file) => {
    expect(generated.get(file)!.startsWith("# Generated by `npm run workflows` (scripts/generate-workflows.ts)")).toBe(true);
  });

  it.each(allFiles)("%s is a valid workflow for @action-validator/core", (file) => {
    // The validator warns on stderr that it does not check path globs; nothing else may be said.
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      expect(validateWorkflow(fs.readFileSync(path.join(DIR, file), "utf8")).errors).toEqual([]);
      for (const [message] of warn.mock.calls) expect(String(message)).toMatch(/^WARNING: Glob validation is not yet supported/);
    } finally {
      warn.mockRestore();
    }
  });

  it("would be caught by the validator if broken", () => {
    const broken = generated.get("tofu-apply-production.yml")!.replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest");
    expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0);
  });

  it("writes generated files read-only, and replaces its own read-only files on the next run", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "generated-"));
    try {
      const target = path.join(dir, "x.yml");
      writeGenerated(target, "a\n");
      expect(fs.statSync(target).mode & 0o777).toBe(GENERATED_MODE);
      expect(GENERATED_MODE & 0o222).toBe(0);
      writeGenerated(target, "b\n");
      expect([fs.readFileSync(target, "utf8"), fs.statSync(target).mode & 0o777]).toEqual(["b\n", GENERATED_MODE]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("has the generator's check mode agree, and reject unknown arguments", () => {
    // `npm run workflows`'s own command line.
    const [node, ...generator] = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.workflows.split(" ");
    expect(node).toBe("node");
    expect(execFileSync(process.execPath, [...generator, "--check"], { cwd: ROOT, stdio: "pipe" }).toString()).toBe("");
    const bad = spawnSync(process.execPath, [...generator, "--force"], { cwd: ROOT, stdio: "pipe" });
    expect([bad.status, bad.stderr.toString().trim()]).toEqual([2, 'generate-workflows: unknown argument "--force"; use no argument (write) or --check']);
  });
});

describe("pipeline triggers", () => {
  it("starts phase 1 on a push to the environment's branch that does more than move images", () => {
    for (const env of ENVIRONMENTS) {
      expect(phase(env, 1).on.push).toEqual({ branches: [env.branch], "paths-ignore": ["infra/environments/*.auto.tfvars"] });
    }
    expect(phase(staging, 1).on.push!.branches).toEqual(["staging"]);
    expect(phase(production, 1).on.push!.branches).toEqual(["main"]);
  });

  it("chains every staging phase to the previous one with workflow_run, on success", () => {
    for (const p of [2, 3, 4] as const) {
      const workflow = phase(staging, p);
      expect(workflow.on.workflow_run).toEqual({ workflows: [phaseWorkflowName(staging, (p - 1) as Phase)], types: ["completed"] });
      expect(workflow.on.push).toBeUndefined();
      const first = Object.values(workflow.jobs)[0];
      expect(first.if).toContain("github.event.workflow_run.conclusion == 'success'");
    }
    expect(phase(staging, 2).on.workflow_run!.workflows).toEqual(["Deploy to Staging"]);
    expect(phase(staging, 4).name).toBe("Tofu Apply - Gateway (Staging)");
  });

  it("starts production applies on the push a merged PR makes, and the gateway build after the services apply", () => {
    expect(phase(production, 2).on.push).toEqual({ branches: ["main"] });
    expect(phase(production, 4).on.push).toEqual({ branches: ["main"] });
    expect(phase(production, 2).on.workflow_run).toBeUndefined();
    expect(phase(production, 3).on.workflow_run!.workflows).toEqual(["Tofu Apply - Production"]);
  });

  it("names only workflows that exist in workflow_run triggers", () => {
    const names = new Set(allFiles.map((f) => committed(f).name));
    for (const file of allFiles) {
      for (const upstream of committed(file).on.workflow_run?.workflows ?? []) expect([file, names.has(upstream)]).toEqual([file, true]);
    }
  });

  it("does not rebuild the gateway after a hand-started services apply (a rollback)", () => {
    for (const env of ENVIRONMENTS) expect(phase(env, 3).jobs.plan.if).toContain("github.event.workflow_run.event != 'workflow_dispatch'");
  });

  it("can start every phase by hand", () => {
    for (const env of ENVIRONMENTS) for (const p of [1, 2, 3, 4] as const) expect(phase(env, p).on.workflow_dispatch).toEqual({});
  });
});

describe("apply phases", () => {
  const applyPhases = ENVIRONMENTS.flatMap((env) => [2, 4].map((p) => ({ env, p: p as Phase, kind: p === 2 ? "services" : "gateway" })));

  it.each(applyPhases.map((a) => [a.env.name, a.p, a] as const))("%s phase %s plans, saves the plan, then applies exactly that plan", (_n, _p, { env, p, kind }) => {
    const { plan, apply } = phase(env, p).jobs;
    const dir = `infra/cdktf.out/stacks/${stackName(env, kind as "services" | "gateway")}`;
    const planStep = plan.steps.find((s) => s.id === "plan")!;
    expect(planStep["working-directory"]).toBe(dir);
    // The plan holds no lock (the builder may not write one); the apply takes it and refuses a stale plan.
    expect(planStep.run).toMatch(/^tofu plan -lock=false -input=false -detailed-exitcode -out=plan\.tfplan$/m);
    expect(planStep.run).not.toMatch(/-lock-timeout/);
    const upload = plan.steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"))!;
    expect(upload.with).toMatchObject({ name: `plan-${stackName(env, kind as "services")}`, "include-hidden-files": true });
    expect(String(upload.with!.path)).toContain(`!${dir}/.terraform`);

    expect(apply.needs).toEqual(["plan"]);
    expect(apply.if).toBe("needs.plan.outputs.changes == 'true'");
    const download = stepIndex(apply, (s) => s.uses?.startsWith("actions/download-artifact@") === true);
    const applyAt = stepIndex(apply, (s) => s.name === "tofu apply");
    expect(download).toBeGreaterThanOrEqual(0);
    expect(applyAt).toBeGreaterThan(download);
    expect(apply.steps[applyAt].run).toBe("tofu apply -input=false -lock-timeout=5m plan.tfplan\n");
    expect(apply.steps[applyAt]["working-directory"]).toBe(dir);
    expect(runScript(apply)).not.toMatch(/tofu plan|-auto-approve/);
  });

  it("runs every tofu plan without the state lock, and every apply with it", () => {
    const commands = allJobs.flatMap((j) => runScript(j.job).split("\n").filter((line) => /^tofu (plan|apply)\b/.test(line)));
    // Two apply phases per environment, and the drift detection's plans.
    expect(commands.filter((c) => c.startsWith("tofu plan"))).toHaveLength(ENVIRONMENTS.length * 2 + driftTargets(ENVIRONMENTS).length);
    for (const command of commands) expect([command, command.includes("-lock=false")]).toEqual([command, command.startsWith("tofu plan")]);
  });

  it("runs production applies in the gated production environment and their plans outside it", () => {
    for (const p of [2, 4] as const) {
      const { plan, apply } = phase(production, p).jobs;
      expect(apply.environment).toBe("production");
      expect(plan.environment).toBe("production-ci");
    }
  });

  it("runs staging jobs in the ungated staging environment", () => {
    for (const p of [2, 4] as const) {
      expect(phase(staging, p).jobs.apply.environment).toBe("staging");
      expect(phase(staging, p).jobs.plan.environment).toBe("staging");
    }
  });

  it("completes production's partial backend at every init, and never staging's", () => {
    const inits = (env: EnvironmentConfig) => allJobs.filter((j) => j.file.endsWith(`-${env.name}.yml`)).flatMap((j) => j.job.steps.filter((s) => s.run?.startsWith("tofu init")));
    expect(inits(production).length).toBe(4);
    for (const step of inits(production)) expect(step.run).toBe(`tofu init -input=false -backend-config=${backendConfigFile(production)}`);
    expect(inits(staging).length).toBe(4);
    for (const step of inits(staging)) expect(step.run).toBe("tofu init -input=false");
  });

  it("runs one plan-approve-apply of a stack at a time, per stack, and never cancels one", () => {
    for (const env of ENVIRONMENTS) {
      expect(phase(env, 2).concurrency).toEqual({ group: `tofu-${stackName(env, "services")}`, "cancel-in-progress": false });
      expect(phase(env, 4).concurrency).toEqual({ group: `tofu-${stackName(env, "gateway")}`, "cancel-in-progress": false });
      // At workflow level, not on the apply job: a run waiting for approval holds the group, so no newer run plans meanwhile.
      for (const p of [2, 4] as const) expect(phase(env, p).jobs.apply.concurrency).toBeUndefined();
    }
    expect(phase(staging, 2).concurrency!.group).toBe("tofu-services-staging");
    const groups = ENVIRONMENTS.flatMap((env) => [2, 4].map((p) => phase(env, p as Phase).concurrency!.group));
    expect(new Set(groups).size).toBe(ENVIRONMENTS.length * 2);
    for (const file of allFiles) expect([file, generated.get(file)!.includes("cancel-in-progress: true")]).toEqual([file, file === "pull-request.yml"]);
  });

  it("ends the gateway apply with the health check: 3 tries, 10 s apart", () => {
    for (const env of ENVIRONMENTS) {
      const { apply } = phase(env, 4).jobs;
      const last = apply.steps[apply.steps.length - 1];
      expect(last.name).toBe("Health check");
      expect(last["working-directory"]).toBe("infra");
      expect(last.run).toContain(`tofu -chdir=cdktf.out/stacks/${stackName(env, "gateway")} output -raw gateway_url`);
      expect(last.run).toContain('npm run -s health-check -- --url "$url" --path /healthcheck --tries 3 --delay 10s');
    }
  });

  it("opens issues on success and failure in production, on failure only in staging", () => {
    const report = (env: EnvironmentConfig, p: Phase) => phase(env, p).jobs.report;
    const labels = (job: YamlJob, name: string) => job.steps.find((s) => s.name === name)?.env?.LABELS;
    expect(labels(report(production, 2), "Open a success issue")).toBe("deployment,production,success");
    expect(labels(report(production, 2), "Open a failure issue")).toBe("deployment,production,failure,critical");
    expect(labels(report(production, 4), "Open a failure issue")).toBe("deployment,production,gateway,failure,critical");
    expect(labels(phase(production, 1).jobs.report, "Open a failure issue")).toBe("deployment,production,failure,critical");
    expect(labels(report(production, 4), "Open a success issue")).toBe("deployment,production,gateway,success");
    expect(report(production, 2).steps.find((s) => s.name === "Open a success issue")!.env!.TITLE).toBe("✅ Production deployment");
    expect(report(production, 4).steps.find((s) => s.name === "Open a success issue")!.env!.TITLE).toBe("✅ Production gateway deployment");
    expect(report(production, 2).if).toBe("always() && (contains(needs.*.result, 'failure') || needs.apply.result == 'success')");
    expect(labels(report(staging, 2), "Open a success issue")).toBeUndefined();
    expect(labels(report(staging, 4), "Open a failure issue")).toBe("deployment,staging,gateway,failure");
    // A failed apply points at the remedy.
    for (const env of ENVIRONMENTS) {
      for (const p of [2, 4] as const) expect(report(env, p).steps[0].env!.BODY).toContain(`To roll back, run **${rollbackWorkflowName(env)}** with the last good commit`);
    }
  });

  it("lets the services apply write nothing to Secret Manager: the services stack owns service-urls-<env>", () => {
    for (const file of allFiles) expect([file, /secrets versions add|secrets create/.test(generated.get(file)!)]).toEqual([file, false]);
  });
});

describe("build phases", () => {
  it("builds the service images the build plan names, from the commit it names, in the same repository", () => {
    for (const env of ENVIRONMENTS) {
      const { plan, build } = phase(env, 1).jobs;
      // The pushed commit; the branch's tip when started by hand. Full history, to compare with each image's commit.
      expect(plan.steps[0].with).toMatchObject({ ref: `\${{ github.event_name == 'push' && github.sha || '${env.branch}' }}`, "fetch-depth": 0 });
      const decide = plan.steps.find((s) => s.id === "plan")!;
      expect(decide["working-directory"]).toBe("infra");
      expect(decide.run).toBe(`npm run -s build-plan -- --env ${env.name} --stack services --commit "$COMMIT" >> "$GITHUB_OUTPUT"\n`);
      expect(build.if).toBe("needs.plan.outputs.build == 'true'");
      expect((build as unknown as { strategy: { matrix: string } }).strategy.matrix).toBe("${{ fromJSON(needs.plan.outputs.matrix) }}");
      expect(build.steps[0].with).toMatchObject({ ref: "${{ needs.plan.outputs.commit }}" });
      expect(build.steps[0].with!.repository).toBeUndefined();
      expect(phase(env, 1).jobs["update-tfvars"].if).toBe("needs.plan.outputs.build == 'true'");
    }
  });

  it("checks out no repository but this one", () => {
    for (const { job } of allJobs) for (const s of job.steps.filter((s) => s.uses?.startsWith("actions/checkout@"))) expect(s.with?.repository).toBeUndefined();
    for (const file of allFiles) expect([file, /mindmirror-infra|mindmirror\/MindMirror/.test(generated.get(file)!)]).toEqual([file, false]);
  });

  it("skips the push of a tag the registry has already, so a re-run never fails on an immutable tag", () => {
    for (const env of ENVIRONMENTS) {
      for (const p of [1, 3] as const) {
        const step = phase(env, p).jobs.build.steps.find((s) => s.name === "Build and push")!;
        const lines = step.run!.split("\n");
        const describe = lines.findIndex((l) => l.startsWith('if gcloud artifacts docker images describe "$IMAGE"'));
        expect(describe).toBeGreaterThanOrEqual(0);
        expect(lines[describe + 2]).toBe("  exit 0");
        expect(lines.findIndex((l) => l.startsWith("docker build"))).toBeGreaterThan(describe);
        expect(lines.findIndex((l) => l === 'docker push "$IMAGE"')).toBeGreaterThan(describe);
      }
    }
  });

  it("sets only the images it built, with set-image, not sed", () => {
    const update = phase(staging, 1).jobs["update-tfvars"];
    const set = update.steps.find((s) => s.run?.includes("set-image"))!;
    expect(set["working-directory"]).toBe("infra");
    expect(set.env).toEqual({ TAG: "${{ needs.plan.outputs.tag }}", SERVICES: "${{ needs.plan.outputs.services }}" });
    expect(set.run).toContain('npm run -s set-image -- --env staging --service "$service" --tag "$TAG"');
    // gh's own --jq filter (finding a comment by its marker) is not the jq tool and touches no file.
    for (const file of allFiles) expect([file, /\bsed\b|(?<!--)\bjq\b/.test(generated.get(file)!)]).toEqual([file, false]);
  });

  it("builds the gateway from the commit the services apply planned, with the URLs of service-urls-<env> as build args", () => {
    for (const env of ENVIRONMENTS) {
      const { plan, build } = phase(env, 3).jobs;
      const fetch = plan.steps.find((s) => s.uses?.startsWith("actions/download-artifact@"))!;
      expect(fetch.with).toMatchObject({ name: "deploy-commit", "run-id": "${{ github.event.workflow_run.id }}" });
      expect(plan.permissions).toEqual({ contents: "read", actions: "read" });
      const upload = phase(env, 2).jobs.plan.steps.find((s) => s.with?.name === "deploy-commit")!;
      expect(upload.uses).toMatch(/^actions\/upload-artifact@/);
      expect(plan.steps.find((s) => s.id === "plan")!.run).toContain(`--stack gateway --commit "$COMMIT"`);
      const script = runScript(build);
      expect(script).toContain(`gcloud secrets versions access latest --secret=${serviceUrlsSecretId(env)} --project="$PROJECT" > "$RUNNER_TEMP/urls.json"`);
      expect(script).toContain(`npm run -s build-args -- --env ${env.name} --file "$RUNNER_TEMP/urls.json" > "$RUNNER_TEMP/build-args.txt"`);
      const buildStep = build.steps.find((s) => s.name === "Build and push")!;
      expect(buildStep.env).toEqual({ IMAGE: "${{ vars.GCP_REGISTRY }}/mesh:${{ needs.plan.outputs.tag }}", DOCKERFILE: "mesh/Dockerfile", CONTEXT: "mesh" });
      expect(buildStep.run).toContain('docker build "${args[@]}" --tag "$IMAGE"');
      expect(build.steps[0].with).toMatchObject({ ref: "${{ needs.plan.outputs.commit }}" });
    }
  });

  it("commits staging's tfvars to staging and never opens a PR there", () => {
    for (const p of [1, 3] as const) {
      const update = phase(staging, p).jobs["update-tfvars"];
      expect(update.steps.some((s) => s.uses?.startsWith("peter-evans/create-pull-request@"))).toBe(false);
      const commit = update.steps[update.steps.length - 1];
      expect(commit.env).toMatchObject({ BRANCH: "staging", TFVARS: "infra/environments/staging.auto.tfvars" });
      expect(commit.run).toContain('git "${auth[@]}" push origin "HEAD:$BRANCH"');
      expect(update.permissions).toEqual({ contents: "write" });
    }
  });

  it("proposes production's tfvars as a PR to main and never pushes to main", () => {
    for (const p of [1, 3] as const) {
      const update = phase(production, p).jobs["update-tfvars"];
      const pr = update.steps.find((s) => s.uses?.startsWith("peter-evans/create-pull-request@"))!;
      expect(pr.with).toMatchObject({ base: "main", "add-paths": "infra/environments/production.auto.tfvars", branch: p === 1 ? "deploy/production/services" : "deploy/production/gateway" });
      expect(update.permissions).toEqual({ contents: "write", "pull-requests": "write" });
    }
    const productionFiles = allFiles.filter((f) => f.endsWith("-production.yml"));
    for (const file of productionFiles) expect([file, /git (?:"\$\{auth\[@\]\}" )?push/.test(generated.get(file)!)]).toEqual([file, false]);
  });

  it("runs one build of a phase at a time and queues the next", () => {
    for (const env of ENVIRONMENTS) {
      for (const p of [1, 3] as const) expect(phase(env, p).concurrency).toEqual({ group: phaseWorkflowFile(env, p).replace(".yml", ""), "cancel-in-progress": false });
    }
  });
});

describe("permissions", () => {
  const authenticates = (job: YamlJob) => job.steps.some((s) => s.uses?.startsWith("google-github-actions/auth@"));

  it("grants nothing at workflow level to the pipeline, and read-only contents to pull-request checks", () => {
    for (const env of ENVIRONMENTS) for (const p of [1, 2, 3, 4] as const) expect(phase(env, p).permissions).toEqual({});
    for (const env of ENVIRONMENTS) expect(committed(rollbackWorkflowFile(env)).permissions).toEqual({});
    expect(committed("pull-request.yml").permissions).toEqual({ contents: "read" });
  });

  it.each(allJobs.map((j) => [j.file, j.id, j.job] as const))("%s %s asks for id-token: write only if it authenticates", (_f, _id, job) => {
    expect(job.permissions["id-token"] === "write").toBe(authenticates(job));
  });

  it("authenticates with the variables of the job's GitHub environment, and only in one", () => {
    for (const { file, id, job } of allJobs.filter((j) => authenticates(j.job))) {
      expect([file, id, job.environment !== undefined]).toEqual([file, id, true]);
      const auth = job.steps.find((s) => s.uses?.startsWith("google-github-actions/auth@"))!;
      expect(auth.with).toEqual({ workload_identity_provider: "${{ vars.GCP_WORKLOAD_IDENTITY_PROVIDER }}", service_account: "${{ vars.GCP_SERVICE_ACCOUNT }}" });
    }
  });

  it("gives write access only where it is used: contents to tfvars updates and rollbacks, actions to the rollback that starts applies, issues to reports", () => {
    for (const { file, id, job } of allJobs) {
      const writes = Object.entries(job.permissions).filter(([scope, level]) => level === "write" && scope !== "id-token").map(([scope]) => scope).sort();
      const publishes = file.endsWith("-production.yml") ? ["contents", "pull-requests"] : ["contents"];
      const expected =
        id === "update-tfvars"
          ? publishes
          : id === "rollback"
            ? file.endsWith("-production.yml")
              ? publishes
              : ["actions", "contents"]
            : id === "report"
              ? ["issues"]
              : id.startsWith("comment-")
                ? ["pull-requests"]
              : id === "record"
                ? ["contents"]
                : [];
      expect([file, id, writes]).toEqual([file, id, expected]);
    }
  });
});

describe("rollback", () => {
  const rollbackOf = (env: EnvironmentConfig) => committed(rollbackWorkflowFile(env));
  const job = (env: EnvironmentConfig) => rollbackOf(env).jobs.rollback;
  const step = (env: EnvironmentConfig, name: string) => job(env).steps.find((s) => s.name === name)!;
  const REF_EXPRESSION = "${{ inputs.ref }}";

  it("is one workflow per environment, named after it and started only by hand with a required ref", () => {
    expect(rollbackWorkflowFile(staging)).toBe("rollback-staging.yml");
    expect(rollbackOf(staging).name).toBe("Rollback - Staging");
    expect(rollbackOf(production).name).toBe("Rollback - Production");
    for (const env of ENVIRONMENTS) {
      const workflow = rollbackOf(env);
      expect(workflow.name).toBe(rollbackWorkflowName(env));
      expect(Object.keys(workflow.on)).toEqual(["workflow_dispatch"]);
      expect(workflow.on.workflow_dispatch).toEqual({ inputs: { ref: { description: expect.stringContaining("Git ref"), required: true, type: "string" } } });
      expect(Object.keys(workflow.jobs)).toEqual(["rollback", "report"]);
    }
  });

  it("hands the ref to scripts only as $REF, and checks it before npm ci and the rollback command", () => {
    for (const env of ENVIRONMENTS) {
      const { steps } = job(env);
      for (const s of steps) expect([s.name, s.run?.includes("inputs.") ?? false]).toEqual([s.name, false]);
      const users = steps.filter((s) => s.run?.includes("$REF"));
      expect(users.map((s) => s.name)).toEqual(["Check the ref", `Restore the ${env.name} images of the ref`]);
      for (const s of users) expect(s.env).toEqual({ REF: REF_EXPRESSION });
      const check = stepIndex(job(env), (s) => s.id === "ref");
      expect(check).toBeLessThan(stepIndex(job(env), (s) => s.run?.startsWith("npm ci --ignore-scripts") === true));
      expect(check).toBeLessThan(stepIndex(job(env), (s) => s.run?.includes("npm run -s rollback") === true));
    }
  });

  describe("ref check (the generated script, run by bash in this repository)", () => {
    const script = step(staging, "Check the ref").run!;
    const run = (ref: string) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rollback-ref-"));
      try {
        const out = path.join(dir, "output");
        fs.writeFileSync(out, "");
        const result = spawnSync("bash", ["-eo", "pipefail", "-c", script], { cwd: ROOT, env: { ...process.env, REF: ref, GITHUB_OUTPUT: out }, encoding: "utf8" });
        return { status: result.status, stdout: result.stdout, output: fs.readFileSync(out, "utf8") };
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    };

    it("accepts a commit and records its short SHA", () => {
      const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd: ROOT }).toString().trim();
      expect(run("HEAD")).toMatchObject({ status: 0, output: `commit=${head.slice(0, 7)}\n` });
      expect(run(head).status).toBe(0);
    });

    it.each([["-x"], ["--output=/tmp/x"], ["a b"], ["$(touch rollback-pwned)"], ["`id`"], ["a;b"], ["a:b"], [""], ["a\nb"], ["a".repeat(201)]])(
      "rejects %j with an error annotation, before git sees it",
      (ref) => {
        const result = run(ref);
        expect(result.status).toBe(1);
        expect(result.stdout).toMatch(/^::error::The ref input must be a commit SHA, a tag, HEAD~N or origin\/<branch>/);
        expect(result.output).toBe("");
        expect(fs.existsSync(path.join(ROOT, "rollback-pwned"))).toBe(false);
      },
    );

    it("rejects a well-formed ref that names no commit", () => {
      const result = run("no-such-ref-for-rollback");
      expect(result.status).toBe(1);
      expect(result.stdout).toMatch(/^::error::no-such-ref-for-rollback is not a commit of this repository/);
    });
  });

  it("restores the tfvars file of the ref from the deploy branch's full history and writes the changes to the job summary", () => {
    for (const env of ENVIRONMENTS) {
      expect(job(env).steps[0]).toMatchObject({ uses: expect.stringMatching(/^actions\/checkout@[0-9a-f]{40}$/), with: { ref: env.branch, "fetch-depth": 0, "persist-credentials": false } });
      const restore = step(env, `Restore the ${env.name} images of the ref`).run!;
      expect(restore).toContain(`npm run -s rollback -- --env ${env.name} --to "$REF" | tee "$RUNNER_TEMP/rollback.txt"`);
      expect(restore).toMatch(/cat "\$RUNNER_TEMP\/rollback\.txt".*>> "\$GITHUB_STEP_SUMMARY"/);
    }
  });

  it("commits staging's file to staging with the very commit step of the image updates", () => {
    const commit = step(staging, "Commit to staging");
    const buildCommit = phase(staging, 1).jobs["update-tfvars"].steps.find((s) => s.name === "Commit to staging")!;
    expect(commit.run).toBe(buildCommit.run);
    expect(commit.env).toEqual({ ...buildCommit.env, MESSAGE: "rollback(staging): images of ${{ inputs.ref }} (${{ steps.ref.outputs.commit }})" });
    expect(commit.env).toMatchObject({ BRANCH: "staging", TFVARS: "infra/environments/staging.auto.tfvars" });
    expect(job(staging).steps.some((s) => s.uses?.startsWith("peter-evans/create-pull-request@"))).toBe(false);
  });

  it("proposes production's file as a pull request to main from rollback/production, labelled like the image PRs, and never pushes", () => {
    const pr = step(production, "Open a pull request to main");
    const buildPr = phase(production, 1).jobs["update-tfvars"].steps.find((s) => s.uses?.startsWith("peter-evans/create-pull-request@"))!;
    expect(pr.uses).toBe(buildPr.uses);
    expect(pr.with).toMatchObject({
      token: buildPr.with!.token,
      base: "main",
      branch: "rollback/production",
      "add-paths": "infra/environments/production.auto.tfvars",
      "commit-message": "rollback(production): images of ${{ inputs.ref }} (${{ steps.ref.outputs.commit }})",
      labels: buildPr.with!.labels,
      "delete-branch": true,
    });
    expect(pr.with!.labels).toBe("deployment,production");
    expect(pr.with!.body).toContain("Merging starts **Tofu Apply - Production** and **Tofu Apply - Gateway (Production)**");
    expect(runScript(job(production))).not.toMatch(/git (?:"\$\{auth\[@\]\}" )?push|gh workflow run/);
  });

  it("asks for exactly the permissions it uses", () => {
    // id-token: the command signs in to check each restored image still exists in the registry.
    expect(job(staging).permissions).toEqual({ contents: "write", actions: "write", "id-token": "write" });
    expect(job(production).permissions).toEqual({ contents: "write", "pull-requests": "write", "id-token": "write" });
    // Cloud credentials of the unattended account only: it reads the registry, never deploys.
    expect([job(staging).environment, job(production).environment]).toEqual(["staging", "production-ci"]);
    for (const env of ENVIRONMENTS) {
      expect(rollbackOf(env).permissions).toEqual({});
      expect(rollbackOf(env).jobs.report.permissions).toEqual({ issues: "write" });
    }
  });

  it("shares one concurrency group with both image updates of its environment, queued and never cancelled", () => {
    for (const env of ENVIRONMENTS) {
      const group = job(env).concurrency;
      expect(group).toEqual({ group: `image-updates-${env.name}`, "cancel-in-progress": false });
      for (const p of [1, 3] as const) expect(phase(env, p).jobs["update-tfvars"].concurrency).toEqual(group);
    }
    const writers = allJobs.filter((j) => j.job.steps.some((s) => s.name.startsWith("Commit to ") || s.uses?.startsWith("peter-evans/create-pull-request@")));
    // Two image updates and a rollback per environment; staging's gateway apply also records and restores healthy images.
    expect(writers).toHaveLength(ENVIRONMENTS.length * 3 + 2);
    for (const w of writers) expect([w.file, w.id, w.job.concurrency?.group.startsWith("image-updates-")]).toEqual([w.file, w.id, true]);
  });

  it("leads staging's rollback to both staging applies: it dispatches them on the default branch after the commit", () => {
    const steps = job(staging).steps;
    const start = steps[steps.length - 1];
    expect(stepIndex(job(staging), (s) => s.name === "Commit to staging")).toBe(steps.length - 2);
    expect(start.env).toEqual({ GH_TOKEN: "${{ github.token }}", DEFAULT_BRANCH: GITHUB.defaultBranch });
    const dispatched = [...start.run!.matchAll(/^gh workflow run (\S+) --repo "\$GITHUB_REPOSITORY" --ref "\$DEFAULT_BRANCH"$/gm)].map((m) => m[1]);
    expect(dispatched).toEqual(["tofu-apply-staging.yml", "tofu-apply-gateway-staging.yml"]);
    expect(dispatched.map((f) => committed(f).name)).toEqual(["Tofu Apply - Staging", "Tofu Apply - Gateway (Staging)"]);
    for (const p of [2, 4] as const) {
      const apply = phase(staging, p);
      // A dispatched run starts: the trigger exists and the start condition lets it through.
      expect(apply.on.workflow_dispatch).toEqual({});
      expect(apply.jobs.plan.if).toMatch(/^github\.event_name != 'workflow_run' \|\| /);
      // It runs where the chained runs do, in a GitHub environment that admits that branch, and plans the deploy branch.
      expect(deploymentBranches(staging, GITHUB)).toContain(GITHUB.defaultBranch);
      expect(apply.jobs.plan.steps[0].with).toMatchObject({ ref: "staging" });
    }
    // The dispatched services apply does not rebuild the gateway from the application's tip (which would undo the rollback).
    expect(phase(staging, 3).jobs.plan.if).toContain("github.event.workflow_run.event != 'workflow_dispatch'");
    // Not by workflow_run: the applies wait for no rollback.
    for (const p of [2, 3, 4] as const) expect(phase(staging, p).on.workflow_run!.workflows).not.toContain(rollbackWorkflowName(staging));
  });

  it("leaves production's applies to the merge of its pull request, which starts both on the push to main", () => {
    expect(job(production).permissions.actions).toBeUndefined();
    for (const p of [2, 4] as const) expect(phase(production, p).on.push).toEqual({ branches: ["main"] });
    // The merge changes only the tfvars file, so it rebuilds no service image.
    expect(phase(production, 1).on.push!["paths-ignore"]).toEqual(["infra/environments/*.auto.tfvars"]);
  });

  it("opens a failure issue like the other phases", () => {
    for (const env of ENVIRONMENTS) {
      const report = rollbackOf(env).jobs.report;
      const buildReport = phase(env, 1).jobs.report;
      expect(report.needs).toEqual(["rollback"]);
      expect(report.if).toBe(buildReport.if);
      const issue = report.steps[0];
      expect(issue.run).toBe(buildReport.steps[0].run);
      expect(issue.env).toMatchObject({ TITLE: `❌ ${rollbackOf(env).name.replace("Rollback - ", "")} rollback failed`, LABELS: buildReport.steps[0].env!.LABELS });
      expect(issue.env!.LABELS).toBe(env === production ? "deployment,production,failure,critical" : `deployment,${env.name},failure`);
      expect(issue.env!.BODY).toContain("A rollback failed in **${{ github.workflow }}**");
      expect(issue.env!.BODY).toContain("- Ref: `${{ inputs.ref }}`");
    }
  });

  it("follows the environment model, not the environment's name", () => {
    const reviewed = withApproval({ ...staging, branch: "develop" }, { imageUpdatesByPullRequest: true });
    const direct = withApproval(production, { imageUpdatesByPullRequest: false });
    const files = workflowFiles({ environments: [reviewed, direct] });
    const rollbackJob = (name: string) => files.find((f) => f.file === `rollback-${name}.yml`)!.workflow.jobs.rollback;
    const staged = rollbackJob("staging");
    expect(staged.steps[0].with!.ref).toBe("develop");
    expect(staged.steps.find((s) => s.uses?.startsWith("peter-evans/create-pull-request@"))!.with).toMatchObject({ base: "develop", branch: "rollback/staging" });
    expect(staged.steps.some((s) => s.run?.includes("gh workflow run"))).toBe(false);
    expect(staged.permissions).toEqual({ contents: "write", pullRequests: "write", idToken: "write" });
    const prod = rollbackJob("production");
    expect(prod.steps.find((s) => s.name === "Commit to main")!.env).toMatchObject({ BRANCH: "main" });
    expect(prod.steps[prod.steps.length - 1].run).toContain("gh workflow run tofu-apply-gateway-production.yml");
    expect(prod.permissions).toEqual({ contents: "write", actions: "write", idToken: "write" });
  });
});

describe("workflows and the github stack", () => {
  const { resources } = synthGithub(githubStack(ENVIRONMENTS));

  it("use only GitHub environments the github stack creates", () => {
    const created = new Set(Object.values(resources.github_repository_environment).map((e) => e.environment));
    const used = new Set(allJobs.flatMap((j) => (j.job.environment ? [j.job.environment] : [])));
    expect([...used].sort()).toEqual(["production", "production-ci", "production-plan", "staging", "staging-plan"]);
    for (const name of used) expect(created.has(name)).toBe(true);
  });

  it("authenticate as the builder in production's builds and plans, and as the deployer only in its gated applies", () => {
    const accountOf = (environment: string) =>
      Object.values(resources.github_actions_environment_variable).find(
        (v) => v.environment === `\${github_repository_environment.${environment}.environment}` && v.variable_name === "GCP_SERVICE_ACCOUNT",
      )!.value as string;
    const authenticating = allJobs.filter((j) => j.job.steps.some((s) => s.uses?.startsWith("google-github-actions/auth@")));
    const accounts = authenticating.map((j) => [j.file, j.id, accountOf(j.job.environment!)]);
    const builder = "github-builder-production@mindmirror-prod.iam.gserviceaccount.com";
    const deployer = "github-actions-production@mindmirror-prod.iam.gserviceaccount.com";
    expect(accounts.filter(([file]) => file.endsWith("-production.yml")).sort()).toEqual(
      [
        ["deploy-production.yml", "build", builder],
        ["deploy-gateway-production.yml", "build", builder],
        ["tofu-apply-production.yml", "plan", builder],
        ["tofu-apply-production.yml", "apply", deployer],
        ["tofu-apply-gateway-production.yml", "plan", builder],
        ["tofu-apply-gateway-production.yml", "apply", deployer],
        ["rollback-production.yml", "rollback", builder],
      ].sort(),
    );
    for (const [file, , account] of accounts.filter(([file]) => file.endsWith("-staging.yml"))) {
      expect([file, account]).toEqual([file, "github-actions-staging@mindmirror-69.iam.gserviceaccount.com"]);
    }
  });

  it("read only Actions variables the github stack publishes", () => {
    const published = new Set(actionsVariables(staging, "deploy").map(([name]) => name));
    expect(actionsVariables(production, "unattended").map(([name]) => name)).toEqual([...published]);
    const read = new Set([...generated.values()].flatMap((text) => [...text.matchAll(/vars\.([A-Z_]+)/g)].map((m) => m[1])));
    expect(read.size).toBeGreaterThan(2);
    for (const name of read) expect([name, published.has(name)]).toEqual([name, true]);
  });

  it("put only labels the github stack creates on issues and PRs", () => {
    const created = new Set(Object.values(resources.github_issue_label).map((l) => l.name as string));
    const used = allJobs.flatMap((j) => j.job.steps.flatMap((s) => [s.env?.LABELS, s.with?.labels as string | undefined])).filter((l): l is string => l !== undefined);
    expect(used.length).toBeGreaterThan(8);
    for (const label of used.flatMap((l) => l.split(","))) expect([label, created.has(label)]).toEqual([label, true]);
  });
});

describe("scripts and toolchain", () => {
  it("pins OpenTofu to an exact release of 1.6 or newer in every setup step", () => {
    expect(TOOLCHAIN.tofu).toMatch(/^1\.(?:[6-9]|\d{2,})\.\d+$/);
    const setups = allJobs.flatMap((j) => j.job.steps.filter((s) => s.uses?.startsWith("opentofu/setup-opentofu@")));
    expect(setups.length).toBeGreaterThan(8);
    for (const s of setups) expect(s.with).toEqual({ tofu_version: TOOLCHAIN.tofu, tofu_wrapper: false });
  });

  it("keeps expressions out of scripts: values reach them as environment variables", () => {
    for (const { file, id, job } of allJobs) for (const s of job.steps) expect([file, id, s.name, s.run?.includes("${{") ?? false]).toEqual([file, id, s.name, false]);
  });

  it("writes every script so bash can parse it", () => {
    const scripts = allJobs.flatMap((j) => j.job.steps.flatMap((s) => (s.run ? [s.run] : [])));
    expect(scripts.length).toBeGreaterThan(30);
    // Each distinct script once: the phases of both environments share most of theirs.
    for (const script of new Set(scripts)) {
      const result = spawnSync("bash", ["-n"], { input: script });
      expect([script, result.status]).toEqual([script, 0]);
    }
  });

  it("checks a pull request with npm test, synth, and tofu init -backend=false + validate of every stack", () => {
    const workflow = committed("pull-request.yml");
    expect(workflow.on.pull_request!.branches.sort()).toEqual(ENVIRONMENTS.map((e) => e.branch).sort());
    const script = runScript(workflow.jobs.check);
    const order = ["npm ci", "npm test", "npx cdktf synth", "for dir in cdktf.out/stacks/*/", 'tofu -chdir="$dir" init -backend=false -input=false', 'tofu -chdir="$dir" validate'].map((s) => script.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(workflow.jobs.check.permissions).toEqual({ contents: "read" });
    for (const s of workflow.jobs.check.steps.filter((s) => /npm|npx|tofu/.test(s.run ?? ""))) expect([s.name, s["working-directory"]]).toEqual([s.name, "infra"]);
    // The name the main ruleset requires.
    expect((workflow.jobs.check as unknown as { name: string }).name).toBe(PULL_REQUEST_CHECK);
  });
});

describe("workflow generator errors", () => {
  it("fails if a service's build is missing, leaves the repository, or names no input", () => {
    const withBuild = (name: string, build: unknown) => SERVICES.map((s) => (s.name === name ? { ...s, build } : s)) as ServiceDefinition[];
    expect(() => workflowFiles({ catalog: withBuild("gateway", undefined) })).toThrow(/^catalog "gateway"\.build: undefined is not valid; say how its image is built/);
    const mesh = SERVICES.find((s) => s.name === "gateway")!.build;
    expect(() => workflowFiles({ catalog: withBuild("gateway", { ...mesh, dockerfile: "../mesh/Dockerfile" }) })).toThrow(/catalog "gateway"\.build\.dockerfile: "\.\.\/mesh\/Dockerfile" is not valid/);
    const journal = SERVICES.find((s) => s.name === "journal-service")!.build;
    expect(() => workflowFiles({ catalog: withBuild("journal-service", { ...journal, inputs: [] }) })).toThrow(/^catalog "journal-service"\.build\.inputs: \[\] is not valid; name every path the image is built from[^\n]*$/);
    expect(() => workflowFiles({ catalog: withBuild("journal-service", { ...journal, inputs: ["."] }) })).toThrow(/^catalog "journal-service"\.build\.inputs: "\." is not valid/);
  });

  it("fails if a job that can mint cloud credentials would run npm ci without --ignore-scripts", () => {
    const files = workflowFiles();
    const [file] = files.filter((f) => f.file === "tofu-apply-staging.yml");
    const plan = file.workflow.jobs.plan;
    const unsafe = { ...plan, steps: plan.steps.map((s) => (s.run?.startsWith("npm ci") ? { ...s, run: "npm ci --no-audit" } : s)) };
    const broken = { ...file, workflow: { ...file.workflow, jobs: { ...file.workflow.jobs, plan: unsafe } } };
    expect(() => checkCredentialedInstalls([broken])).toThrow(
      /^tofu-apply-staging\.yml jobs\.plan step "Install dependencies": "npm ci --no-audit" is not valid; this job can mint cloud credentials \(id-token: write\); add --ignore-scripts/,
    );
    // The same step in a job without id-token is the job's own business.
    const uncredentialed = { ...broken, workflow: { ...broken.workflow, jobs: { plan: { ...unsafe, permissions: { contents: "read" as const } } } } };
    expect(() => checkCredentialedInstalls([uncredentialed])).not.toThrow();
    expect(() => checkCredentialedInstalls(files)).not.toThrow();
  });

  it("derives per-environment values from the model: a renamed branch moves every trigger and checkout", () => {
    const moved = { ...staging, branch: "develop" };
    const files = workflowFiles({ environments: [moved, production] });
    const deploy = files.find((f) => f.file === "deploy-staging.yml")!.workflow;
    expect(deploy.on.push!.branches).toEqual(["develop"]);
    expect(deploy.jobs.plan.steps[0].with!.ref).toBe("${{ github.event_name == 'push' && github.sha || 'develop' }}");
    expect(files.find((f) => f.file === "pull-request.yml")!.workflow.on.pullRequest!.branches).toEqual(["develop", "main"]);
  });
});

describe("hardening", () => {
  it("pins every action to a 40-hex commit, with its release in a comment", () => {
    let count = 0;
    for (const [file, text] of generated) {
      for (const line of text.split("\n").filter((l) => /^\s*(?:- )?uses:/.test(l))) {
        count++;
        expect([file, line]).toEqual([file, expect.stringMatching(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/)]);
      }
    }
    expect(count).toBeGreaterThan(40);
    for (const pin of Object.values(ACTION_PINS)) expect(pin.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(ACTION_PINS.checkout).toEqual({ repository: "actions/checkout", sha: "11d5960a326750d5838078e36cf38b85af677262", version: "v4.4.0" });
  });

  it("runs npm ci with --ignore-scripts in every job", () => {
    const installs = allJobs.flatMap((j) => j.job.steps.filter((s) => /\bnpm (ci|install)\b/.test(s.run ?? "")).map((s) => [j.file, j.id, s.run]));
    expect(installs.length).toBeGreaterThan(15);
    for (const [file, id, run] of installs) expect([file, id, run]).toEqual([file, id, "npm ci --ignore-scripts --no-audit --no-fund"]);
  });

  it("runs every npm, npx and tofu command in infra/", () => {
    for (const { file, id, job } of allJobs) {
      for (const s of job.steps.filter((s) => /(?:^|\s)(?:npm|npx|tofu) /m.test(s.run ?? ""))) {
        expect([file, id, s.name, s["working-directory"]?.startsWith("infra")]).toEqual([file, id, s.name, true]);
      }
    }
  });

  it("commits a Dependabot config for the actions and this project's npm lock file, as the generator writes it", () => {
    const text = fs.readFileSync(path.join(ROOT, ".github", DEPENDABOT_FILE), "utf8");
    expect(text).toBe(dependabotConfig(GITHUB));
    const config = parse(text) as { version: number; updates: { "package-ecosystem": string; directory: string }[] };
    expect(config.version).toBe(2);
    expect(config.updates.map((u) => [u["package-ecosystem"], u.directory])).toEqual([
      ["github-actions", "/"],
      ["npm", "/infra"],
    ]);
  });
});

describe("step output handles", () => {
  it("name the step's outputs in references, and refuse an output the step does not write", () => {
    const plan = stepOutputs("plan", ["changes", "sha"]);
    expect(plan.id).toBe("plan");
    expect(plan.ref("changes")).toBe("steps.plan.outputs.changes");
    expect(plan.expr("sha")).toBe("${{ steps.plan.outputs.sha }}");
    // @ts-expect-error: an output name the step does not write fails the type check.
    expect(() => plan.ref("change")).toThrow(/^step plan writes no output "change"$/);
  });

  it("leave no step output referenced by a literal string in the model", () => {
    const dir = path.join(ROOT, "workflows");
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".ts") && f !== "model.ts")) {
      expect([file, /steps\.[\w-]+\.outputs/.test(fs.readFileSync(path.join(dir, file), "utf8"))]).toEqual([file, false]);
    }
  });
});
