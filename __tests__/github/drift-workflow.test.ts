import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { ENVIRONMENTS, production, staging } from "../../environments";
import { GITHUB } from "../../environments/github";
import { driftTargets, generateWorkflows, workflowFiles } from "../../workflows";
import { githubStack, synthGithub, type YamlJob } from "./helpers";

const text = generateWorkflows().get("drift.yml")!;

const workflow = parse(text) as {
  name: string;
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  concurrency: { group: string; "cancel-in-progress": boolean };
  jobs: Record<string, YamlJob>;
};
const STACKS = ["foundation-staging", "services-staging", "gateway-staging", "foundation-production", "services-production", "gateway-production"];
const planJobs = STACKS.map((stack) => ({ stack, job: workflow.jobs[`plan-${stack}`] }));
const step = (job: YamlJob, name: string) => job.steps.find((s) => s.name === name)!;

describe("drift detection workflow", () => {
  it("runs daily and by hand, one run at a time", () => {
    expect(workflow.name).toBe("Drift detection");
    expect(workflow.on).toEqual({ schedule: [{ cron: "17 5 * * *" }], workflow_dispatch: {} });
    expect(workflow.concurrency).toEqual({ group: "drift", "cancel-in-progress": false });
    expect(workflow.permissions).toEqual({});
  });

  it("plans every stack of both environments, the foundations included, one job each, and an issue job after all of them", () => {
    expect(Object.keys(workflow.jobs)).toEqual([...STACKS.map((s) => `plan-${s}`), "report"]);
    expect(driftTargets(ENVIRONMENTS).map((t) => t.stack)).toEqual(STACKS);
    const report = workflow.jobs.report;
    expect(report.needs).toEqual(STACKS.map((s) => `plan-${s}`));
    expect(report.if).toBe("always()");
  });

  it.each(planJobs.map((p) => [p.stack, p.job] as const))("%s: plans its deploy branch read-only with -detailed-exitcode, and applies nothing", (stack, job) => {
    const env = stack.endsWith("-production") ? production : staging;
    expect(job.steps[0].with).toMatchObject({ ref: env.branch, "persist-credentials": false });
    const init = job.steps.find((s) => s.run?.startsWith("tofu init"))!;
    expect(init.run).toBe(env === production ? "tofu init -input=false -backend-config=production.backend.hcl" : "tofu init -input=false");
    const plan = step(job, "tofu plan");
    expect(plan["working-directory"]).toBe(`infra/cdktf.out/stacks/${stack}`);
    expect(plan.run).toMatch(/^tofu plan -lock=false -input=false -detailed-exitcode -no-color -out=plan\.tfplan /m);
    expect(job.outputs).toEqual({ result: "${{ steps.plan.outputs.result }}" });
    expect(step(job, "Write the report").run).toContain(`npm run -s plan-summary -- --env ${env.name} --stack ${stack} --file "$RUNNER_TEMP/plan.json"`);
    expect(step(job, "Keep the report for the issue job")).toMatchObject({ if: "always()", with: { name: `drift-${stack}` } });
  });

  it("never applies, imports, or takes a lock", () => {
    expect(text).not.toMatch(/tofu (apply|import|state|force-unlock)|-auto-approve|-lock-timeout/);
  });

  it("gives each plan job the read-only planner of its environment, and no token write anywhere", () => {
    const { resources } = synthGithub(githubStack(ENVIRONMENTS));
    const accountOf = (environment: string) =>
      Object.values(resources.github_actions_environment_variable).find(
        (v) => v.environment === `\${github_repository_environment.${environment}.environment}` && v.variable_name === "GCP_SERVICE_ACCOUNT",
      )!.value as string;
    const staged = ["staging-plan", "github-planner-staging@mindmirror-69.iam.gserviceaccount.com"];
    const produced = ["production-plan", "github-planner-production@mindmirror-prod.iam.gserviceaccount.com"];
    expect(planJobs.map(({ stack, job }) => [stack, job.environment, accountOf(job.environment!)])).toEqual([
      ["foundation-staging", ...staged],
      ["services-staging", ...staged],
      ["gateway-staging", ...staged],
      ["foundation-production", ...produced],
      ["services-production", ...produced],
      ["gateway-production", ...produced],
    ]);
    for (const { job } of planJobs) expect(job.permissions).toEqual({ contents: "read", "id-token": "write" });
    // The job that writes issues holds no cloud credentials and runs no npm.
    const report = workflow.jobs.report;
    expect(report.permissions).toEqual({ issues: "write" });
    expect(report.environment).toBeUndefined();
    expect(report.steps.some((s) => s.uses?.startsWith("google-github-actions/auth@") || s.run?.includes("npm "))).toBe(false);
  });

  it("keeps one issue per stack, labelled drift,<env>, and a separate one labelled failure when a stack cannot be planned", () => {
    const issueSteps = workflow.jobs.report.steps.filter((s) => s.name.startsWith("Issue of "));
    for (const s of issueSteps) expect(s.if).toBe("always()");
    expect(issueSteps.map((s) => [s.env!.STACK, s.env!.LABELS, s.env!.FAILED_LABELS, s.env!.RESULT, s.env!.DRIFT_TITLE, s.env!.FAILED_TITLE])).toEqual(
      STACKS.map((stack) => {
        const env = stack.split("-")[1];
        return [stack, `drift,${env}`, `drift,${env},failure`, `\${{ needs.plan-${stack}.outputs.result }}`, `Drift in ${stack}`, `Drift check cannot plan ${stack}`];
      }),
    );
  });

  it("follows the environments given, not a fixed list", () => {
    const files = workflowFiles({ environments: [staging], github: GITHUB });
    const drift = files.find((f) => f.file === "drift.yml")!;
    expect(Object.keys(drift.workflow.jobs)).toEqual(["plan-foundation-staging", "plan-services-staging", "plan-gateway-staging", "report"]);
  });
});

/** A folder with stand-ins for tofu and gh on PATH; gh logs its calls and answers `gh issue list` from $ISSUES. */
function sandbox() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drift-"));
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, "tofu"), '#!/bin/bash\necho "tofu $*"\nexit "${TOFU_EXIT:-0}"\n', { mode: 0o755 });
  fs.writeFileSync(path.join(bin, "gh"), `#!/bin/bash\nprintf '%s\\n' "$*" >> "${dir}/gh.log"\nif [ "$1 $2" = "issue list" ]; then printf '%b' "$ISSUES"; fi\n`, { mode: 0o755 });
  const run = (script: string, env: Record<string, string>) => {
    const output = path.join(dir, "output");
    fs.writeFileSync(output, "");
    fs.rmSync(path.join(dir, "gh.log"), { force: true });
    const result = spawnSync("bash", ["-eo", "pipefail", "-c", script], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, RUNNER_TEMP: dir, GITHUB_OUTPUT: output, GITHUB_REPOSITORY: "o/r", GITHUB_STEP_SUMMARY: path.join(dir, "summary"), ...env },
    });
    const log = fs.existsSync(path.join(dir, "gh.log")) ? fs.readFileSync(path.join(dir, "gh.log"), "utf8").trim().split("\n") : [];
    return { status: result.status, output: fs.readFileSync(output, "utf8"), gh: log.filter((l) => !l.startsWith("issue list")), stderr: result.stderr };
  };
  return { dir, run, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

describe("drift detection scripts (run by bash)", () => {
  let box: ReturnType<typeof sandbox>;
  beforeEach(() => (box = sandbox()));
  afterEach(() => box.remove());

  it.each([
    ["0", "result=clean\n"],
    ["2", "result=drift\n"],
    ["1", "result=error\n"],
  ])("the plan step maps tofu's exit code %s to %j, and never fails itself", (code, output) => {
    const result = box.run(step(planJobs[0].job, "tofu plan").run!, { TOFU_EXIT: code });
    expect(result).toMatchObject({ status: 0, output });
  });

  it("fails the plan job when the stack cannot be planned, and only then", () => {
    const fail = step(planJobs[0].job, "Fail when the stack cannot be planned");
    expect(fail.if).toBe("steps.plan.outputs.result != 'clean' && steps.plan.outputs.result != 'drift'");
    expect(box.run(fail.run!, {}).status).toBe(1);
  });

  describe("the issue step", () => {
    const issueStep = workflow.jobs.report.steps.find((s) => s.name === "Issue of services-production")!;
    const run = (result: string, issues: string, report = "### Plan of services-production\n") => {
      const reportFile = path.join(box.dir, "report.md");
      if (report) fs.writeFileSync(reportFile, report);
      else fs.rmSync(reportFile, { force: true });
      return box.run(issueStep.run!, { ...issueStep.env, GH_TOKEN: "t", RUN_URL: "https://run/1", RESULT: result, REPORT: reportFile, ISSUES: issues });
    };

    it("opens a drift issue labelled drift,production when none is open", () => {
      const result = run("drift", "");
      expect(result.status).toBe(0);
      expect(result.gh).toEqual([expect.stringMatching(/^issue create --repo o\/r --title Drift in services-production --label drift,production --body-file .*body-services-production\.md$/)]);
      expect(fs.readFileSync(path.join(box.dir, "body-services-production.md"), "utf8")).toBe("### Plan of services-production\n\nRun: https://run/1\n");
    });

    it("updates the open drift issue of the stack, not one of another stack with a similar title", () => {
      const result = run("drift", "7\\tDrift in services-production-old\\n12\\tDrift in services-production\\n");
      expect(result.gh).toEqual([expect.stringMatching(/^issue edit 12 --repo o\/r --body-file /), "issue comment 12 --repo o/r --body Still drifting: https://run/1"]);
    });

    it("closes the drift issue when the stack is clean again, and does nothing when there is none", () => {
      expect(run("clean", "12\\tDrift in services-production\\n").gh).toEqual(["issue close 12 --repo o/r --comment No drift any more: https://run/1"]);
      expect(run("clean", "").gh).toEqual([]);
    });

    it("reports a stack that cannot be planned as such, and leaves its drift issue alone", () => {
      const result = run("error", "12\\tDrift in services-production\\n");
      expect(result.gh).toEqual([expect.stringMatching(/^issue create --repo o\/r --title Drift check cannot plan services-production --label drift,production,failure --body-file /)]);
      expect(run("", "12\\tDrift in services-production\\n30\\tDrift check cannot plan services-production\\n", "").gh).toEqual([
        expect.stringMatching(/^issue comment 30 --repo o\/r --body-file /),
      ]);
      expect(fs.readFileSync(path.join(box.dir, "body-services-production.md"), "utf8")).toContain("The plan job of services-production ended before it wrote a report.");
    });

    it("closes the cannot-plan issue once the stack plans again", () => {
      expect(run("clean", "30\\tDrift check cannot plan services-production\\n").gh).toEqual(["issue close 30 --repo o/r --comment Planned again: https://run/1"]);
    });
  });
});
