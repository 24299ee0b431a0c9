import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { ENVIRONMENTS, production, staging } from "../../environments";
import { GITHUB } from "../../environments/github";
import { generateWorkflows, workflowFiles } from "../../workflows";
import { githubStack, synthGithub, type YamlJob } from "./helpers";

const workflow = parse(generateWorkflows().get("pull-request.yml")!) as { jobs: Record<string, YamlJob> };
const SAME_REPOSITORY = "github.event.pull_request.head.repo.full_name == github.repository";
const MARKER = "<!-- pull-request-plan -->";

describe("pull-request plans", () => {
  it("has, beside the required check, a plan and a comment job per environment, and a notice for forks", () => {
    expect(Object.keys(workflow.jobs)).toEqual(["check", "plan-staging", "comment-staging", "plan-production", "comment-production", "fork-notice"]);
  });

  it.each([
    [staging, "staging", "staging-plan"],
    [production, "main", "production-plan"],
  ] as const)("plans every stack of %s for pull requests into %s, as the planner of %s, read-only", (env, branch, planEnvironment) => {
    const job = workflow.jobs[`plan-${env.name}`];
    expect(job.if).toBe(`github.base_ref == '${branch}' && ${SAME_REPOSITORY}`);
    expect(job.environment).toBe(planEnvironment);
    // The pull request's code runs here with cloud credentials: it gets no token that writes to GitHub.
    expect(job.permissions).toEqual({ contents: "read", "id-token": "write" });
    expect(job.steps.find((s) => s.name === "Install dependencies")!.run).toContain("--ignore-scripts");
    const stacks = ["foundation", "services", "gateway"].map((kind) => `${kind}-${env.name}`);
    const plans = job.steps.filter((s) => s.name.startsWith("Plan "));
    expect(plans.map((s) => s.name)).toEqual(stacks.map((s) => `Plan ${s}`));
    const backend = env === production ? " -backend-config=production.backend.hcl" : "";
    for (const [i, stack] of stacks.entries()) {
      const run = plans[i].run!;
      expect(plans[i]).toMatchObject({ if: "always()", "working-directory": "infra" });
      expect(run).toContain(`tofu -chdir=cdktf.out/stacks/${stack} init -input=false${backend} && tofu -chdir=cdktf.out/stacks/${stack} plan -lock=false -input=false -no-color -out=plan.tfplan`);
      expect(run).toContain(`npm run -s plan-summary -- --env ${env.name} --stack ${stack} --file "$RUNNER_TEMP/pr-plan/${stack}.json" "\${allow[@]}"`);
      expect(run).not.toMatch(/tofu (apply|import|state|force-unlock)|-auto-approve/);
    }
    const order = ["Authenticate to Google Cloud", ...stacks.map((s) => `Plan ${s}`), "Keep the sections for the comment job", "Fail when a stack cannot be planned or its plan is refused"];
    const names = job.steps.map((s) => s.name);
    expect(order.map((n) => names.indexOf(n))).toEqual([...order.map((n) => names.indexOf(n))].sort((a, b) => a - b));
    expect(names.indexOf("Authenticate to Google Cloud")).toBeGreaterThan(names.indexOf("Install dependencies"));
  });

  it("comments from a job that holds no cloud credentials and runs no npm, after the plan even when it failed", () => {
    for (const env of ENVIRONMENTS) {
      const job = workflow.jobs[`comment-${env.name}`];
      expect(job.needs).toEqual([`plan-${env.name}`]);
      expect(job.if).toBe(`always() && github.base_ref == '${env.branch}' && ${SAME_REPOSITORY}`);
      expect(job.permissions).toEqual({ "pull-requests": "write" });
      expect(job.environment).toBeUndefined();
      expect(job.steps.some((s) => s.uses?.startsWith("google-github-actions/auth@") || /npm /.test(s.run ?? ""))).toBe(false);
      const comment = job.steps.find((s) => s.name === "Create or update the plan comment")!;
      expect(comment.env).toMatchObject({ MARKER, ENVIRONMENT: env.name, STACKS: `foundation-${env.name} services-${env.name} gateway-${env.name}`, PLAN_RESULT: `\${{ needs.plan-${env.name}.result }}` });
    }
  });

  it("skips the plan of a fork's pull request, which gets no OIDC token, and says so", () => {
    const notice = workflow.jobs["fork-notice"];
    expect(notice.if).toBe(`!(${SAME_REPOSITORY})`);
    expect(notice.permissions).toEqual({});
    expect(notice.steps[0].run).toMatch(/::notice::/);
    expect(notice.steps[0].run).toContain("GITHUB_STEP_SUMMARY");
    for (const env of ENVIRONMENTS) expect(workflow.jobs[`plan-${env.name}`].if).toContain(SAME_REPOSITORY);
  });

  it("uses the plans' environments the github stack creates, which name the planner", () => {
    const { resources } = synthGithub(githubStack(ENVIRONMENTS));
    for (const env of ENVIRONMENTS) {
      const name = workflow.jobs[`plan-${env.name}`].environment!;
      const account = Object.values(resources.github_actions_environment_variable).find(
        (v) => v.environment === `\${github_repository_environment.${name}.environment}` && v.variable_name === "GCP_SERVICE_ACCOUNT",
      )!;
      expect(account.value).toMatch(new RegExp(`^github-planner-${env.name}@`));
    }
  });

  it("follows the environments given", () => {
    const files = workflowFiles({ environments: [staging], github: GITHUB });
    expect(Object.keys(files.find((f) => f.file === "pull-request.yml")!.workflow.jobs)).toEqual(["check", "plan-staging", "comment-staging", "fork-notice"]);
  });
});

/** Stand-ins for tofu, npm and gh; gh logs its calls and answers the comment search with $EXISTING. */
function sandbox() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pr-plan-"));
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, "tofu"), '#!/bin/bash\nif [ "$2" = plan ] && [ -n "$TOFU_FAIL" ]; then echo "Error: no credentials"; exit 1; fi\necho "tofu $*"\n', { mode: 0o755 });
  fs.writeFileSync(path.join(bin, "npm"), '#!/bin/bash\necho "### Summary of $8"\nexit "${SUMMARY_EXIT:-0}"\n', { mode: 0o755 });
  fs.writeFileSync(
    path.join(bin, "gh"),
    `#!/bin/bash\nprintf '%s\\n' "$*" >> "${dir}/gh.log"\nfor a in "$@"; do case "$a" in body=@*) cp "\${a#body=@}" "${dir}/posted.md" ;; esac; done\nif [ "$2" != "--method" ]; then printf '%b' "$EXISTING"; fi\n`,
    { mode: 0o755 },
  );
  const run = (script: string, env: Record<string, string>) => {
    fs.rmSync(path.join(dir, "gh.log"), { force: true });
    fs.rmSync(path.join(dir, "posted.md"), { force: true });
    const result = spawnSync("bash", ["-eo", "pipefail", "-c", script], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, RUNNER_TEMP: dir, GITHUB_REPOSITORY: "o/r", GITHUB_STEP_SUMMARY: path.join(dir, "summary"), ...env },
    });
    const log = fs.existsSync(path.join(dir, "gh.log")) ? fs.readFileSync(path.join(dir, "gh.log"), "utf8").trim().split("\n") : [];
    const posted = fs.existsSync(path.join(dir, "posted.md")) ? fs.readFileSync(path.join(dir, "posted.md"), "utf8") : undefined;
    return { status: result.status, gh: log, posted, stderr: result.stderr };
  };
  return { dir, run, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

describe("pull-request plan scripts (run by bash)", () => {
  let box: ReturnType<typeof sandbox>;
  beforeEach(() => (box = sandbox()));
  afterEach(() => box.remove());
  const planJob = workflow.jobs["plan-staging"];
  const planStep = planJob.steps.find((s) => s.name === "Plan services-staging")!;
  const failStep = planJob.steps.find((s) => s.name === "Fail when a stack cannot be planned or its plan is refused")!;
  const section = () => fs.readFileSync(path.join(box.dir, "pr-plan", "services-staging.md"), "utf8");

  it("writes the plan-summary of a stack that plans, and the job passes", () => {
    expect(box.run(planStep.run!, { ALLOW: "" }).status).toBe(0);
    expect(section()).toBe("### Summary of services-staging\n");
    expect(box.run(failStep.run!, {}).status).toBe(0);
  });

  it("writes why a stack cannot be planned, plans on, and fails the job at its end", () => {
    expect(box.run(planStep.run!, { ALLOW: "", TOFU_FAIL: "1" }).status).toBe(0);
    expect(section()).toContain("### services-staging cannot be planned");
    expect(section()).toContain("Error: no credentials");
    const fail = box.run(failStep.run!, {});
    expect(fail.status).toBe(1);
  });

  it("fails the job when plan-summary refuses the plan, keeping its summary", () => {
    expect(box.run(planStep.run!, { ALLOW: "", SUMMARY_EXIT: "1" }).status).toBe(0);
    expect(section()).toBe("### Summary of services-staging\n");
    expect(box.run(failStep.run!, {}).status).toBe(1);
  });

  describe("the comment step", () => {
    const step = workflow.jobs["comment-staging"].steps.find((s) => s.name === "Create or update the plan comment")!;
    const run = (existing: string, sections: Record<string, string>, result = "success") => {
      fs.mkdirSync(path.join(box.dir, "pr-plan"), { recursive: true });
      for (const [stack, text] of Object.entries(sections)) fs.writeFileSync(path.join(box.dir, "pr-plan", `${stack}.md`), text);
      return box.run(step.run!, { ...step.env, GH_TOKEN: "t", PR: "42", RUN_URL: "https://run/1", PLAN_RESULT: result, EXISTING: existing });
    };

    it("creates one comment, led by the marker, with each stack's summary in apply order", () => {
      const result = run("", { "foundation-staging": "F\n", "services-staging": "S\n", "gateway-staging": "G\n" });
      expect(result.status).toBe(0);
      expect(result.gh).toEqual([expect.stringMatching(/^api repos\/o\/r\/issues\/42\/comments --paginate --jq /), expect.stringMatching(/^api --method POST repos\/o\/r\/issues\/42\/comments -F body=@/)]);
      const body = result.posted!;
      expect(body.split("\n")[0]).toBe(MARKER);
      expect(body).toContain("## Plan of staging");
      expect(body.indexOf("F\n")).toBeLessThan(body.indexOf("S\n"));
      expect(body.indexOf("S\n")).toBeLessThan(body.indexOf("G\n"));
      expect(body).toContain("https://run/1");
    });

    it("updates the comment it finds by the marker instead of adding another", () => {
      const result = run("991\\n", { "foundation-staging": "F\n", "services-staging": "S\n", "gateway-staging": "G\n" });
      expect(result.gh[1]).toMatch(/^api --method PATCH repos\/o\/r\/issues\/comments\/991 -F body=@/);
      expect(result.gh).toHaveLength(2);
    });

    it("names a stack the plan job did not reach", () => {
      const body = run("", { "foundation-staging": "F\n" }, "failure").posted!;
      expect(body).toContain("### services-staging\n\nThe plan job ended before it planned this stack.");
      expect(body).toContain("### gateway-staging\n\nThe plan job ended before it planned this stack.");
    });

    it("comments nothing when the plan job was skipped and left no section", () => {
      const result = run("", {}, "skipped");
      expect(result).toMatchObject({ status: 0, gh: [] });
    });
  });
});
