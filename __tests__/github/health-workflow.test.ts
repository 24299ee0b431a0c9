import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { SERVICES, servicesOf } from "../../catalog";
import { production, staging } from "../../environments";
import type { EnvironmentConfig } from "../../environments/types";
import { generateWorkflows, phaseWorkflowFile } from "../../workflows";
import type { YamlJob } from "./helpers";

const generated = generateWorkflows();
const jobs = (env: EnvironmentConfig, p: 2 | 4) => (parse(generated.get(phaseWorkflowFile(env, p))!) as { jobs: Record<string, YamlJob> }).jobs;
const step = (job: YamlJob, name: string) => job.steps.find((s) => s.name === name)!;

/** Runs a generated script with stand-ins on PATH: each stub prints $<NAME>_OUT and exits with $<NAME>_EXIT, logging its arguments. */
function runWithStubs(script: string, env: Record<string, string>, stubs: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "health-"));
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  for (const [name, body] of Object.entries(stubs)) fs.writeFileSync(path.join(bin, name), `#!/bin/bash\nprintf '%s\\n' "${name} $*" >> "${dir}/calls.log"\n${body}\n`, { mode: 0o755 });
  const summary = path.join(dir, "summary");
  const output = path.join(dir, "output");
  fs.writeFileSync(summary, "");
  fs.writeFileSync(output, "");
  const result = spawnSync("bash", ["-eo", "pipefail", "-c", script], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, RUNNER_TEMP: dir, GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output, GITHUB_REPOSITORY: "o/r", ...env },
  });
  const read = (f: string) => (fs.existsSync(f) ? fs.readFileSync(f, "utf8") : "");
  const out = { status: result.status, stdout: result.stdout, summary: read(summary), output: read(output), calls: read(path.join(dir, "calls.log")).trim().split("\n") };
  fs.rmSync(dir, { recursive: true, force: true });
  return out;
}

describe("phase 2 health check of every service", () => {
  const backends = servicesOf(SERVICES, "services");
  const check = step(jobs(staging, 2).apply, "Health check of every service");

  it("ends the services apply, after tofu apply, and covers each backend once", () => {
    const { apply } = jobs(staging, 2);
    expect(apply.steps[apply.steps.length - 1]).toEqual(check);
    expect(apply.steps.findIndex((s) => s.name === "tofu apply")).toBeLessThan(apply.steps.length - 1);
    expect(check.env).toEqual({ PROJECT: "${{ vars.GCP_PROJECT_ID }}", REGION: "${{ vars.GCP_REGION }}" });
    const lines = check.run!.split("\n").filter((l) => /^check_(http|tcp) /.test(l));
    expect(lines).toEqual([
      "check_tcp agent-service-staging 8000",
      "check_tcp journal-service-staging 8000",
      "check_tcp habits-service-staging 8003",
      "check_tcp meals-service-staging 8000",
      "check_tcp movements-service-staging 8000",
      "check_http practices-service-staging practices_service_url /health",
      "check_tcp users-service-staging 8000",
    ]);
    expect(lines).toHaveLength(backends.length);
    expect(step(jobs(production, 2).apply, "Health check of every service").run).toContain("check_http practices-service practices_service_url /health");
  });

  const stubs = {
    tofu: 'echo "https://$4.example"',
    npm: 'exit "${NPM_EXIT:-0}"',
    gcloud: 'if [ "$4" = "$BROKEN" ]; then printf "%s\\t%s\\n" "$4-00001-abc" "$4-00002-def"; else printf "%s\\t%s\\n" "$4-00002-def" "$4-00002-def"; fi',
  };

  it("reports one healthy row per service and passes when all are healthy", () => {
    const result = runWithStubs(check.run!, { PROJECT: "mindmirror-69", REGION: "us-east4", BROKEN: "" }, stubs);
    expect(result.status).toBe(0);
    expect(result.summary).toContain("| service | check | result |");
    expect(result.summary).toContain("| practices-service-staging | HTTP GET /health | healthy |");
    expect(result.summary).toContain("| habits-service-staging | TCP :8003 (startup probe) | healthy (habits-service-staging-00002-def ready) |");
    expect(result.summary.split("\n").filter((l) => l.includes("| healthy"))).toHaveLength(7);
    expect(result.calls).toContain("npm run -s health-check -- --url https://practices_service_url.example --path /health --tries 3 --delay 10s");
    expect(result.calls).toContain("gcloud run services describe users-service-staging --region us-east4 --project mindmirror-69 --format=value(status.latestReadyRevisionName,status.latestCreatedRevisionName)");
  });

  it("fails, naming each unhealthy service, when a revision never became ready or the health path fails", () => {
    const result = runWithStubs(check.run!, { PROJECT: "p", REGION: "r", BROKEN: "meals-service-staging", NPM_EXIT: "1" }, stubs);
    expect(result.status).toBe(1);
    expect(result.summary).toContain("| meals-service-staging | TCP :8000 (startup probe) | **unhealthy** (latest meals-service-staging-00002-def, ready meals-service-staging-00001-abc) |");
    expect(result.summary).toContain("| practices-service-staging | HTTP GET /health | **unhealthy** |");
    expect(result.stdout).toContain("::error::Unhealthy: meals-service-staging practices-service-staging");
  });
});

describe("after a failed gateway health check", () => {
  it("staging records a passing gateway image and commits the record to staging", () => {
    const { record } = jobs(staging, 4);
    expect(record.needs).toEqual(["plan", "apply"]);
    expect(record.if).toBe("needs.apply.result == 'success'");
    expect(record.permissions).toEqual({ contents: "write" });
    expect(record.concurrency).toEqual({ group: "image-updates-staging", "cancel-in-progress": false });
    const mark = step(record, "Record the applied gateway image");
    expect(mark.env).toMatchObject({ SHA: "${{ needs.plan.outputs.sha }}", TFVARS: "infra/environments/staging.auto.tfvars" });
    expect(mark.run).toContain('git show "$SHA:$TFVARS" > "$RUNNER_TEMP/applied.auto.tfvars"');
    expect(mark.run).toContain('npm run -s mark-healthy -- --env staging --service gateway --tfvars "$RUNNER_TEMP/applied.auto.tfvars" --commit "$SHA" --run "$RUN"');
    const commit = step(record, "Commit to staging");
    const imageCommit = step((parse(generated.get("deploy-staging.yml")!) as { jobs: Record<string, YamlJob> }).jobs["update-tfvars"], "Commit to staging");
    expect(commit.run).toBe(imageCommit.run);
    expect(commit.env).toMatchObject({ TFVARS: "infra/environments/staging.healthy.json", BRANCH: "staging" });
  });

  it("staging restores the last healthy image with restore-healthy, commits it and applies the gateway again", () => {
    const { apply, rollback } = jobs(staging, 4);
    expect(apply.outputs).toEqual({ health: "${{ steps.health.outcome }}" });
    expect(step(apply, "Health check").id).toBe("health");
    expect(rollback.if).toBe("always() && needs.apply.outputs.health == 'failure'");
    expect(rollback.permissions).toEqual({ contents: "write", actions: "write" });
    expect(rollback.concurrency).toEqual({ group: "image-updates-staging", "cancel-in-progress": false });
    const names = rollback.steps.map((s) => s.name);
    const restore = names.indexOf("Restore the last healthy gateway image");
    expect(names.slice(restore)).toEqual(["Restore the last healthy gateway image", "Commit to staging", "Apply the gateway again"]);
    expect(step(rollback, "Commit to staging").env).toMatchObject({ TFVARS: "infra/environments/staging.auto.tfvars" });
    expect(step(rollback, "Apply the gateway again").run).toBe('gh workflow run tofu-apply-gateway-staging.yml --repo "$GITHUB_REPOSITORY" --ref "$DEFAULT_BRANCH"\n');
  });

  it("staging's restore step hands the restored image to the failure issue", () => {
    const { rollback } = jobs(staging, 4);
    const good = "us-east4-docker.pkg.dev/mindmirror-69/mindmirror/mesh:v9.9.9-aaaaaaa";
    const result = runWithStubs(step(rollback, "Restore the last healthy gateway image").run!, {}, {
      npm: `echo "staging gateway_image: x -> ${good}"; echo "  passed its health check at 2026-12-01T00:00:00.000Z"`,
    });
    expect(result.status).toBe(0);
    expect(result.output).toBe(`image=${good}\n`);
    expect(result.summary).toContain("### Rolled back the gateway");
    const failed = runWithStubs(step(rollback, "Restore the last healthy gateway image").run!, {}, { npm: "echo 'restore-healthy: no gateway image' >&2; exit 1" });
    expect(failed.status).toBe(1);
  });

  it("staging's failure issue says what was serving and what it rolled back to", () => {
    const { report } = jobs(staging, 4);
    expect(report.needs).toEqual(["plan", "apply", "record", "rollback"]);
    const body = step(report, "Open a failure issue").env!.BODY;
    expect(body).toContain("- Serving before this deploy: `${{ needs.plan.outputs.serving || 'unknown' }}`");
    expect(body).toContain("- Rolled back to: `${{ needs.rollback.outputs.image || 'nothing: see the run' }}`, the last gateway image that passed its health check");
  });

  it("production never acts alone: no record or rollback job; the issue links the rollback workflow with the last good ref and names the serving image", () => {
    const production4 = jobs(production, 4);
    expect(Object.keys(production4)).toEqual(["plan", "apply", "report"]);
    const { plan, report } = production4;
    expect(plan.outputs).toMatchObject({ serving: "${{ steps.serving.outputs.image }}", "last-good": "${{ steps.last-good.outputs.ref }}" });
    expect(step(plan, "Find the last good ref").env).toEqual({ GH_TOKEN: "${{ github.token }}", WORKFLOW: "tofu-apply-gateway-production.yml" });
    expect(step(plan, "Find the last good ref").run).toContain('gh run list --repo "$GITHUB_REPOSITORY" --workflow "$WORKFLOW" --status success --limit 1');
    expect(step(plan, "Read the gateway image serving now").env).toMatchObject({ SERVICE: "gateway" });
    const body = step(report, "Open a failure issue").env!.BODY;
    expect(body).toContain("- Serving before this deploy: `${{ needs.plan.outputs.serving || 'unknown' }}`");
    expect(body).toContain("- Last good ref: `${{ needs.plan.outputs.last-good || 'none found' }}`");
    expect(body).toContain(
      "run [**Rollback - Production**](${{ github.server_url }}/Peleke/MindMirror/actions/workflows/rollback-production.yml) with ref `${{ needs.plan.outputs.last-good }}`, or `gh workflow run rollback-production.yml -f ref=${{ needs.plan.outputs.last-good }}`",
    );
    expect(body).toContain("Nothing was rolled back.");
    // Only the gateway phase reads what serves.
    expect(jobs(production, 2).plan.steps.some((s) => s.id === "serving")).toBe(false);
  });

  it("runs the serving-image lookup read-only and tolerates a missing service", () => {
    const result = runWithStubs(step(jobs(staging, 4).plan, "Read the gateway image serving now").run!, { SERVICE: "gateway-staging", PROJECT: "p", REGION: "r" }, { gcloud: "exit 1" });
    expect(result).toMatchObject({ status: 0, output: "image=\n" });
  });
});
