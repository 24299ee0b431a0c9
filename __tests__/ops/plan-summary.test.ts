import * as fs from "node:fs";
import * as path from "node:path";
import { production, staging } from "../../environments";
import { UsageError } from "../../ops/cli";
import { summarizePlan } from "../../ops/plan-summary";
import { classifyPlan, planVerdict, STATEFUL_TYPES } from "../../lib/plan";
import { lines, ROOT, runInProcess, runOps } from "./run";

// Each test starts node once or twice; on a loaded machine that can pass the default 5 s.
jest.setTimeout(20_000);

const FIXTURES = path.join(ROOT, "__tests__", "fixtures", "plans");
const fixture = (name: string) => path.join(FIXTURES, `${name}.json`);
const read = (name: string) => JSON.parse(fs.readFileSync(fixture(name), "utf8")) as Record<string, unknown>;
const TABLE_HEAD = ["| create | update | replace | destroy | import |", "|---:|---:|---:|---:|---:|"];

describe("plan-summary on recorded plans", () => {
  it("counts a create-only plan and lets it through", async () => {
    const run = await runInProcess("plan-summary", ["--env", "staging", "--stack", "services-staging", "--file", fixture("create-only")]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    const out = lines(run.stdout);
    // The table leads the summary, right under the heading.
    expect(out.slice(0, 4)).toEqual(["### Plan of services-staging", ...TABLE_HEAD, "| 3 | 0 | 0 | 0 | 0 |"]);
    expect(out).toContain("**OK:** no stateful resource is replaced or destroyed.");
    expect(out).toContain("- create `google_service_account.billing_service`");
    expect(out).toContain("Outputs changed: `billing_service_url`.");
    expect(run.stdout).not.toMatch(/\[!CAUTION\]|\[!WARNING\]/);
  });

  it("counts an in-place update of a production service as one update, not a danger", async () => {
    const run = await runInProcess("plan-summary", ["--env", "production", "--stack", "services-production", "--file", fixture("update-in-place")]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(lines(run.stdout).slice(1, 4)).toEqual([...TABLE_HEAD, "| 0 | 1 | 0 | 0 | 0 |"]);
    expect(lines(run.stdout)).toContain("- update `google_cloud_run_v2_service.journal_service` (`journal-service`)");
    // The image deployed by hand since the last apply, which this plan reverts: what a drift issue must show.
    expect(lines(run.stdout)).toContain("Changed outside OpenTofu since the last apply (1): `google_cloud_run_v2_service.journal_service`.");
  });

  it("names a replace of the production gateway at the top and fails the plan without allow-destroy", async () => {
    const run = await runOps("plan-summary", ["--env", "production", "--stack", "gateway-production", "--file", fixture("replace-cloud-run")]);
    expect(run.code).toBe(1);
    const out = lines(run.stdout);
    expect(out.slice(0, 7)).toEqual([
      "### Plan of gateway-production",
      ...TABLE_HEAD,
      "| 0 | 0 | 1 | 0 | 0 |",
      "> [!CAUTION]",
      "> **Stateful resources replaced or destroyed (1):**",
      "> - **replace** Cloud Run service `google_cloud_run_v2_service.gateway` (`gateway`)",
    ]);
    expect(out).toContain(
      "**Blocked:** 1 stateful resource would be replaced or destroyed in production, which protects them; a reviewer who means it adds the label allow-destroy to the pull request and runs the plan again.",
    );
    // The unchanged service account is not listed; the output that changes is.
    expect(run.stdout).not.toContain("google_service_account.gateway");
    expect(out).toContain("Outputs changed: `gateway_url`.");
    expect(lines(run.stderr)).toEqual([
      "plan-summary: gateway-production: 1 stateful resource would be replaced or destroyed in production, which protects them; a reviewer who means it adds the label allow-destroy to the pull request and runs the plan again",
    ]);
  });

  it("lets the same replace through with --allow allow-destroy, still naming it", async () => {
    const run = await runInProcess("plan-summary", ["--env", "production", "--stack", "gateway-production", "--file", fixture("replace-cloud-run"), "--allow", "allow-destroy"]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(lines(run.stdout)).toContain("> [!WARNING]");
    expect(lines(run.stdout)).toContain("**OK:** 1 stateful resource would be replaced or destroyed, allowed by the label allow-destroy.");
  });

  it("does not count a Cloud Run replace as stateful where services are not protected (staging)", () => {
    const plan = classifyPlan(staging, read("replace-cloud-run"));
    expect(plan.counts.replace).toBe(1);
    expect(plan.dangers).toEqual([]);
    expect(planVerdict(staging, plan, false).ok).toBe(true);
  });

  it("names a destroy of the URL secret and fails in production; its version is counted but is no danger of its own", async () => {
    const run = await runInProcess("plan-summary", ["--env", "production", "--stack", "services-production", "--file", fixture("destroy-url-secret")]);
    expect(run.code).toBe(1);
    const out = lines(run.stdout);
    expect(out.slice(3, 7)).toEqual([
      "| 0 | 0 | 0 | 2 | 0 |",
      "> [!CAUTION]",
      "> **Stateful resources replaced or destroyed (1):**",
      "> - **destroy** secret `google_secret_manager_secret.service_urls` (`service-urls-production`)",
    ]);
    expect(out).toContain("- destroy `google_secret_manager_secret_version.service_urls` (`projects/435339726777/secrets/service-urls-production/versions/3`)");
    expect(lines(run.stderr)).toHaveLength(1);
  });

  it("names the same destroy in staging but does not block it", () => {
    const plan = classifyPlan(staging, read("destroy-url-secret"));
    expect(plan.dangers.map((d) => [d.action, d.address])).toEqual([["destroy", "google_secret_manager_secret.service_urls"]]);
    expect(planVerdict(staging, plan, false)).toEqual({ ok: true, reason: "1 stateful resource would be replaced or destroyed; staging does not protect its resources, so this is not blocked" });
  });

  it("counts imports, with the one import that also updates, and skips data sources", async () => {
    const run = await runInProcess("plan-summary", ["--env", "production", "--stack", "services-production", "--file", fixture("imports")]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    const out = lines(run.stdout);
    expect(out.slice(3, 4)).toEqual(["| 0 | 1 | 0 | 0 | 3 |"]);
    expect(out).toContain("Changed addresses (3):");
    expect(out).toContain("- import `google_cloud_run_v2_service.journal_service` (`journal-service`)");
    expect(out).toContain("- update `google_cloud_run_v2_service.users_service` (`users-service`), imported");
    expect(out).toContain("- import `google_secret_manager_secret.service_urls` (`service-urls-production`)");
    expect(run.stdout).not.toContain("data.google_project.current");
  });

  it("reads the plan from stdin", async () => {
    const run = await runOps("plan-summary", ["--env", "staging", "--stack", "services-staging"], fs.readFileSync(fixture("update-in-place"), "utf8"));
    expect(run.code).toBe(0);
    expect(lines(run.stdout)[3]).toBe("| 0 | 1 | 0 | 0 | 0 |");
  });

  it("summarizes a plan without changes (resource_changes left out) as such", () => {
    const empty = JSON.stringify({ format_version: "1.2", terraform_version: "1.8.8", planned_values: { root_module: {} }, errored: false });
    const summary = summarizePlan({ env: "production", stack: "gateway-production" }, empty, "stdin");
    expect(summary.ok).toBe(true);
    expect(summary.lines.slice(4, 5)).toEqual(["| 0 | 0 | 0 | 0 | 0 |"]);
    expect(summary.lines).toContain("No resource changes.");
  });
});

describe("plan-summary bad input", () => {
  it("fails with exit 2 and one line for a plan JSON that does not parse", async () => {
    const run = await runOps("plan-summary", ["--env", "production", "--stack", "services-production"], "Planning failed. See below.\n{");
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    const err = lines(run.stderr);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^plan-summary: stdin is not JSON \(.+\); give the output of tofu show -json plan\.tfplan$/);
  });

  it("fails with exit 2 and one line for an unknown label", async () => {
    const run = await runInProcess("plan-summary", ["--env", "production", "--stack", "services-production", "--file", fixture("imports"), "--allow", "allow-destory"]);
    expect(run).toMatchObject({ code: 2, stdout: "" });
    expect(lines(run.stderr)).toEqual(['plan-summary: --allow "allow-destory" is not an override label; use --allow allow-destroy or leave it out']);
  });

  it("checks the flags before it waits for stdin", async () => {
    const run = await runInProcess("plan-summary", ["--env", "prod", "--stack", "services-production"]);
    expect(run.code).toBe(2);
    expect(lines(run.stderr)).toEqual(['plan-summary: --env "prod" is not an environment; use staging or production']);
  });

  it.each([
    [{ env: "staging", stack: "services-production" }, "{}", /^--stack "services-production" is not a stack of staging; use one of foundation-staging, services-staging, gateway-staging$/],
    [{ env: "staging" }, "{}", /^--stack is required; give the stack the plan is of, e.g\. --stack services-staging$/],
    [{ env: "staging", stack: "services-staging" }, "[]", /^f holds an array, not a plan object$/],
    [{ env: "staging", stack: "services-staging" }, '{"format_version":"2.0"}', /^f has format_version "2\.0"; this command reads format 1\.x/],
    [{ env: "staging", stack: "services-staging" }, '{"format_version":"1.2","errored":true}', /^f is a plan that errored; fix the plan first$/],
    [{ env: "staging", stack: "services-staging" }, '{"format_version":"1.2","resource_changes":{}}', /^f has resource_changes that is not an array$/],
    [{ env: "staging", stack: "services-staging" }, '{"format_version":"1.2","resource_drift":[{}]}', /^f has resource_drift that is not an array of changes with an address$/],
    [{ env: "staging", stack: "services-staging" }, '{"format_version":"1.2","resource_changes":[{"address":"x.y"}]}', /^f has resource_changes\[0\] without address, type and change\.actions$/],
    [
      { env: "staging", stack: "services-staging" },
      '{"format_version":"1.2","resource_changes":[{"address":"x.y","type":"x","change":{"actions":["delete","forget"]}}]}',
      /^f has actions \["delete","forget"\] for x\.y, which this command does not know; update lib\/plan\.ts$/,
    ],
  ])("fails if the flags are %j and the input %s", (flags, text, message) => {
    expect(() => summarizePlan(flags, text, "f")).toThrow(UsageError);
    expect(() => summarizePlan(flags, text, "f")).toThrow(message);
  });

  it("counts a forget outside the table and says so", () => {
    const text = JSON.stringify({ format_version: "1.2", resource_changes: [{ address: "google_service_account.old", mode: "managed", type: "google_service_account", change: { actions: ["forget"], before: { account_id: "old-sa" } } }] });
    const summary = summarizePlan({ env: "production", stack: "services-production" }, text, "f");
    expect(summary.ok).toBe(true);
    expect(summary.lines[4]).toBe("| 0 | 0 | 0 | 0 | 0 |");
    expect(summary.lines).toContain("1 removed from state only (forget), not destroyed.");
  });

  it("prints its help with the exit codes", async () => {
    const run = await runInProcess("plan-summary", ["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Usage: npm run -s plan-summary -- --env <env> --stack <stack> [--file plan.json] [--allow allow-destroy]");
    expect(run.stdout).toMatch(/ {2}1 {2}the plan replaces or destroys a stateful resource the environment protects/);
  });

  it("names a replace of the Workload Identity provider and a destroy of the registry in any environment, blocking them only in production", () => {
    const plan = {
      format_version: "1.2",
      resource_changes: [
        { address: "google_iam_workload_identity_pool_provider.github_oidc", mode: "managed", type: "google_iam_workload_identity_pool_provider", change: { actions: ["create", "delete"], before: { workload_identity_pool_provider_id: "github-oidc" } } },
        { address: "google_artifact_registry_repository.mindmirror", mode: "managed", type: "google_artifact_registry_repository", change: { actions: ["delete"], before: { repository_id: "mindmirror" } } },
        { address: "google_project_iam_member.deployer_run_developer", mode: "managed", type: "google_project_iam_member", change: { actions: ["delete"], before: {} } },
      ],
    };
    const summary = (env: string) => summarizePlan({ env, stack: `foundation-${env}` }, JSON.stringify(plan), "f");
    for (const env of ["staging", "production"]) {
      expect(summary(env).lines).toEqual(
        expect.arrayContaining([
          "| 0 | 0 | 1 | 2 | 0 |",
          "> - **replace** Workload Identity provider `google_iam_workload_identity_pool_provider.github_oidc` (`github-oidc`)",
          "> - **destroy** image registry `google_artifact_registry_repository.mindmirror` (`mindmirror`)",
        ]),
      );
      expect(summary(env).lines.filter((l) => l.startsWith("> - "))).toHaveLength(2);
    }
    expect([summary("staging").ok, summary("production").ok]).toEqual([true, false]);
  });

  it("treats exactly these resource types as stateful (a change here changes what blocks a production plan)", () => {
    expect(Object.entries(STATEFUL_TYPES).map(([type, s]) => [type, s.kind, s.protectedOnly ?? false])).toEqual([
      ["google_artifact_registry_repository", "image registry", false],
      ["google_storage_bucket", "bucket", false],
      ["google_secret_manager_secret", "secret", false],
      ["google_service_account", "service account", false],
      ["google_iam_workload_identity_pool", "Workload Identity pool", false],
      ["google_iam_workload_identity_pool_provider", "Workload Identity provider", false],
      ["google_cloud_run_v2_service", "Cloud Run service", true],
    ]);
  });

  it("uses the environments' own protection setting, not their names", () => {
    expect([staging.deletionProtection, production.deletionProtection]).toEqual([false, true]);
    const unprotected = { ...production, deletionProtection: false };
    expect(classifyPlan(unprotected, read("replace-cloud-run")).dangers).toEqual([]);
    expect(planVerdict(unprotected, classifyPlan(unprotected, read("destroy-url-secret")), false).ok).toBe(true);
  });
});
