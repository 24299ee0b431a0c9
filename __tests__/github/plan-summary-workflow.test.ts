import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { ENVIRONMENTS, production, staging } from "../../environments";
import type { EnvironmentConfig } from "../../environments/types";
import { stackName } from "../../lib/naming";
import { generateWorkflows, phaseWorkflowFile } from "../../workflows";

// Each test starts node once; on a loaded machine that can pass the default 5 s.
jest.setTimeout(20_000);

const ROOT = path.join(__dirname, "..", "..");
const FIXTURES = path.join(ROOT, "__tests__", "fixtures", "plans");
const generated = generateWorkflows();

interface YamlStep {
  name: string;
  if?: string;
  run?: string;
  env?: Record<string, string>;
  uses?: string;
}
interface YamlJob {
  permissions: Record<string, string>;
  steps: YamlStep[];
}
const planJob = (env: EnvironmentConfig, p: 2 | 4) => (parse(generated.get(phaseWorkflowFile(env, p))!) as { jobs: Record<string, YamlJob> }).jobs.plan;
const summaryStep = (env: EnvironmentConfig, p: 2 | 4) => planJob(env, p).steps.find((s) => s.name === "Summarize the plan in the run summary")!;

/**
 * `npm run -s <script> -- args` as npm runs it: package.json's script, in the
 * repository, with the arguments after `--` (without npm's own start-up,
 * which would double each test's time). Any other use of npm fails the step.
 */
function npmStandIn(): string {
  const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
  const cases = Object.entries(scripts)
    .filter(([, command]) => command.startsWith("node "))
    .map(([name, command]) => `  "${name}") cd "${ROOT}" && exec "${process.execPath}" ${command.slice("node ".length)} "\${@:5}" ;;`);
  return [
    "#!/bin/bash",
    'if [ "$1 $2" != "run -s" ] || [ "$4" != "--" ]; then echo "npm stand-in: unexpected npm $*" >&2; exit 97; fi',
    'case "$3" in',
    ...cases,
    '  *) echo "npm stand-in: no script $3" >&2; exit 97 ;;',
    "esac",
    "",
  ].join("\n");
}

/**
 * Runs the generated step with stand-ins for tofu (which shows a recorded plan)
 * and gh (which answers the merged pull request's allow-destroy label search),
 * and the real plan-summary command (through npm's stand-in above).
 */
function runSummary(script: string, fixture: string, merged: string) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-summary-step-"));
  const bin = path.join(tmp, "bin");
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, "tofu"), `#!/bin/bash\nif [[ " $* " == *" -json "* ]]; then cat "${path.join(FIXTURES, fixture)}"; else echo "full plan text"; fi\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(bin, "gh"), `#!/bin/bash\necho "$*" >> "${tmp}/gh.log"\nprintf '%s' "$MERGED"\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(bin, "npm"), npmStandIn(), { mode: 0o755 });
  const summary = path.join(tmp, "summary.md");
  fs.writeFileSync(summary, "");
  const result = spawnSync("bash", ["-eo", "pipefail", "-c", script], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, RUNNER_TEMP: tmp, GITHUB_STEP_SUMMARY: summary, GITHUB_REPOSITORY: "o/r", SHA: "abc1234", MERGED: merged },
  });
  const gh = fs.existsSync(path.join(tmp, "gh.log")) ? fs.readFileSync(path.join(tmp, "gh.log"), "utf8") : "";
  const out = { status: result.status, summary: fs.readFileSync(summary, "utf8"), gh, stderr: result.stderr };
  fs.rmSync(tmp, { recursive: true, force: true });
  return out;
}

describe("plan summaries in the apply phases", () => {
  it.each(ENVIRONMENTS.flatMap((env) => [2, 4].map((p) => [env.name, p, env] as const)))("%s phase %s leads the run summary with plan-summary, then the full plan", (_n, p, env) => {
    const stack = stackName(env, p === 2 ? "services" : "gateway");
    const step = summaryStep(env, p as 2 | 4);
    expect(step.if).toBe("steps.plan.outputs.changes == 'true'");
    const run = step.run!;
    expect(run).toContain(`tofu -chdir=cdktf.out/stacks/${stack} show -json plan.tfplan > "$RUNNER_TEMP/plan.json"`);
    expect(run).toContain(`npm run -s plan-summary -- --env ${env.name} --stack ${stack} --file "$RUNNER_TEMP/plan.json" "\${allow[@]}"`);
    expect(run.indexOf("plan-summary.md\"; echo")).toBeLessThan(run.indexOf("show -no-color"));
    expect(run.trimEnd().split("\n").pop()).toBe('exit "$verdict"');
    // Before the plan is kept for the apply job: a blocked plan leaves nothing to apply.
    const steps = planJob(env, p as 2 | 4).steps;
    expect(steps.indexOf(step)).toBeLessThan(steps.findIndex((s) => s.uses?.startsWith("actions/upload-artifact@") === true));
  });

  it("looks for allow-destroy on the merged pull request only where the environment protects its resources", () => {
    for (const p of [2, 4] as const) {
      expect(summaryStep(production, p).env).toEqual({ GH_TOKEN: "${{ github.token }}", SHA: "${{ steps.revision.outputs.sha }}" });
      expect(summaryStep(production, p).run).toContain('gh pr list --repo "$GITHUB_REPOSITORY" --state merged --search "$SHA" --label allow-destroy');
      expect(planJob(production, p).permissions).toEqual({ contents: "read", "id-token": "write", "pull-requests": "read", ...(p === 4 ? { actions: "read" } : {}) });
      expect(summaryStep(staging, p).run).not.toContain("gh ");
      expect(planJob(staging, p).permissions).toEqual({ contents: "read", "id-token": "write" });
    }
  });

  describe("the generated step, run by bash", () => {
    const production4 = summaryStep(production, 4).run!;

    it("fails on a replace of the production gateway, after writing the summary with the danger on top", () => {
      const result = runSummary(production4, "replace-cloud-run.json", "");
      expect(result.status).toBe(1);
      expect(result.summary.startsWith("### Plan of gateway-production\n\n| create | update | replace | destroy | import |")).toBe(true);
      expect(result.summary).toContain("> - **replace** Cloud Run service `google_cloud_run_v2_service.gateway` (`gateway`)");
      expect(result.summary).toContain("full plan text");
      expect(result.gh).toContain("--search abc1234 --label allow-destroy");
      expect(result.stderr).toContain("plan-summary: gateway-production: 1 stateful resource would be replaced or destroyed in production");
    });

    it("lets it through when the merged pull request carries allow-destroy", () => {
      const result = runSummary(production4, "replace-cloud-run.json", "42 ");
      expect(result.status).toBe(0);
      expect(result.summary).toContain("allowed by the label allow-destroy");
    });

    it("passes an in-place update", () => {
      const result = runSummary(summaryStep(production, 2).run!, "update-in-place.json", "");
      expect(result.status).toBe(0);
      expect(result.summary).toContain("| 0 | 1 | 0 | 0 | 0 |");
    });
  });
});
