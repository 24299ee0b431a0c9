import { ActionsEnvironmentVariable } from "@cdktf/provider-github/lib/actions-environment-variable";
import { IssueLabel } from "@cdktf/provider-github/lib/issue-label";
import { GithubProvider } from "@cdktf/provider-github/lib/provider";
import { RepositoryEnvironment } from "@cdktf/provider-github/lib/repository-environment";
import { RepositoryEnvironmentDeploymentPolicy } from "@cdktf/provider-github/lib/repository-environment-deployment-policy";
import { RepositoryRuleset } from "@cdktf/provider-github/lib/repository-ruleset";
import { ENVIRONMENTS, production, staging } from "../../environments";
import { GITHUB } from "../../environments/github";
import { builderEmail } from "../../lib/ci";
import { deployerEmail, registryUrl, workloadIdentityProviderName } from "../../lib/naming";
import { ungated, withGate } from "../helpers";
import { githubStack, synthGithub, warningsOf, withApproval } from "./helpers";

/** Production with two reviewers and a team, so its gate can be approved by someone other than who started the deploy. */
const gatedProduction = withGate(production, { reviewers: ["Peleke", "octo-cat"], reviewerTeamIds: [77], preventSelfReview: true });

describe("github stack", () => {
  const stack = githubStack([staging, gatedProduction]);
  const { text, resources } = synthGithub(stack);

  it("keeps its state in its own prefix of the state bucket and takes the token from the environment", () => {
    const config = JSON.parse(text) as { terraform: { backend: Record<string, unknown> }; provider: { github: Array<Record<string, unknown>> } };
    expect(config.terraform.backend).toEqual({ gcs: { bucket: "mindmirror-tofu-state", prefix: "github" } });
    expect(text).toHaveProviderWithProperties(GithubProvider, { owner: "Peleke" });
    // GITHUB_TOKEN is read by the provider itself; nothing secret is in the config.
    expect(Object.keys(config.provider.github[0])).toEqual(["owner"]);
  });

  it("creates staging, production and the ungated production-ci environment, none bypassable by admins", () => {
    expect(Object.keys(resources.github_repository_environment).sort()).toEqual(["production", "production-ci", "production-plan", "staging", "staging-plan"]);
    for (const [name, environment] of Object.entries(resources.github_repository_environment)) {
      if (name.endsWith("-plan")) continue;
      expect(environment).toMatchObject({
        repository: "MindMirror",
        can_admins_bypass: false,
        deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
      });
    }
  });

  it("gates production with the configured reviewers and self-review setting", () => {
    expect(text).toHaveResourceWithProperties(RepositoryEnvironment, {
      environment: "production",
      prevent_self_review: true,
      reviewers: [{ users: ["${data.github_user.reviewer_peleke.id}", "${data.github_user.reviewer_octo-cat.id}"], teams: [77] }],
    });
  });

  it("resolves each reviewer login to its user id with a github_user lookup at plan time", () => {
    const { data } = JSON.parse(synthGithub(githubStack(ENVIRONMENTS)).text) as { data: Record<string, Record<string, Record<string, unknown>>> };
    expect(production.approval.gate).toMatchObject({ kind: "reviewers", reviewers: ["Peleke"] });
    expect(data.github_user).toEqual({ reviewer_peleke: { username: "Peleke" } });
    const shipped = synthGithub(githubStack(ENVIRONMENTS)).resources.github_repository_environment;
    expect(shipped.production.reviewers).toEqual([{ users: ["${data.github_user.reviewer_peleke.id}"], teams: [] }]);
    // Only the gated environment has reviewers.
    expect(shipped.staging.reviewers).toBeUndefined();
    const two = synthGithub(githubStack([staging, withGate(production, { reviewers: ["Peleke", "octo-cat"] })])).resources.github_repository_environment;
    expect(two.production.reviewers[0].users).toEqual(["${data.github_user.reviewer_peleke.id}", "${data.github_user.reviewer_octo-cat.id}"]);
    // Two gated environments naming one person share one lookup.
    const gatedStaging = withGate(staging, { githubEnvironment: "staging-gate" });
    const both = JSON.parse(synthGithub(githubStack([gatedStaging, production])).text) as {
      data: Record<string, Record<string, unknown>>;
      resource: Record<string, Record<string, Record<string, unknown>>>;
    };
    expect(Object.keys(both.data.github_user)).toEqual(["reviewer_peleke"]);
    expect(both.resource.github_repository_environment["staging-gate"].reviewers).toEqual([{ users: ["${data.github_user.reviewer_peleke.id}"], teams: [] }]);
  });

  it("leaves staging and production-ci without reviewers, so builds and plans never wait", () => {
    expect(resources.github_repository_environment.staging.reviewers).toBeUndefined();
    expect(resources.github_repository_environment["production-ci"].reviewers).toBeUndefined();
    expect(resources.github_repository_environment["production-ci"].prevent_self_review).toBe(false);
  });

  it("lets production deploy from main only and staging from staging (and main, where workflow_run jobs run)", () => {
    const policies = Object.values(resources.github_repository_environment_deployment_policy).map((p) => [p.environment, p.branch_pattern]);
    expect(policies.sort()).toEqual(
      [
        ["${github_repository_environment.production-ci.environment}", "main"],
        ["${github_repository_environment.production.environment}", "main"],
        ["${github_repository_environment.staging.environment}", "main"],
        ["${github_repository_environment.staging.environment}", "staging"],
      ].sort(),
    );
    expect(text).toHaveResourceWithProperties(RepositoryEnvironmentDeploymentPolicy, { branch_pattern: "staging", repository: "MindMirror" });
  });

  it("requires reviewed pull requests on main: N approvals, no force push, no deletion, no bypass", () => {
    expect(text).toHaveResourceWithProperties(RepositoryRuleset, {
      repository: "MindMirror",
      target: "branch",
      enforcement: "active",
      conditions: { ref_name: { include: ["refs/heads/main"], exclude: [] } },
      rules: expect.objectContaining({
        deletion: true,
        non_fast_forward: true,
        pull_request: expect.objectContaining({ required_approving_review_count: 1, dismiss_stale_reviews_on_push: true, require_last_push_approval: true }),
        required_status_checks: { required_check: [{ context: "Test, synthesize and validate" }], strict_required_status_checks_policy: false },
      }),
    });
    expect(resources.github_repository_ruleset.main.bypass_actors).toBeUndefined();
  });

  it("takes the approval count from the environment and puts no ruleset on a branch the pipeline commits to", () => {
    const { resources: three } = synthGithub(githubStack([staging, withApproval(gatedProduction, { requiredPullRequestApprovals: 3 })]));
    expect(Object.keys(three.github_repository_ruleset)).toEqual(["main"]);
    expect(three.github_repository_ruleset.main.rules.pull_request.required_approving_review_count).toBe(3);
  });

  it("creates the pipeline's nine labels with colours and descriptions", () => {
    expect(Object.keys(resources.github_issue_label).sort()).toEqual(["allow-destroy", "critical", "deployment", "drift", "failure", "gateway", "production", "staging", "success"]);
    expect(text).toHaveResourceWithProperties(IssueLabel, { name: "drift", color: "c5def5" });
    expect(text).toHaveResourceWithProperties(IssueLabel, { name: "allow-destroy", color: "e11d21" });
    expect(text).toHaveResourceWithProperties(IssueLabel, { name: "failure", color: "d93f0b", description: "A deployment failed and needs attention" });
    for (const label of Object.values(resources.github_issue_label)) {
      expect(label.color).toMatch(/^[0-9a-f]{6}$/);
      expect(label.description.length).toBeGreaterThan(0);
    }
  });

  it("publishes each GitHub environment's Actions variables, derived from the naming rules", () => {
    const expected = (env: typeof staging, serviceAccount: string | undefined) => ({
      GCP_PROJECT_ID: env.project.id,
      GCP_PROJECT_NUMBER: env.project.number,
      GCP_REGION: env.region,
      GCP_WORKLOAD_IDENTITY_PROVIDER: workloadIdentityProviderName(env),
      GCP_SERVICE_ACCOUNT: serviceAccount,
      GCP_REGISTRY: registryUrl(env),
    });
    const byEnvironment = (name: string) =>
      Object.fromEntries(
        Object.values(resources.github_actions_environment_variable)
          .filter((v) => v.environment === `\${github_repository_environment.${name}.environment}`)
          .map((v) => [v.variable_name, v.value]),
      );
    // One environment for every staging job: the deployer. Production: the deployer behind the gate, the builder outside it.
    expect(byEnvironment("staging")).toEqual(expected(staging, deployerEmail(staging)));
    expect(byEnvironment("production")).toEqual(expected(production, deployerEmail(production)));
    expect(byEnvironment("production-ci")).toEqual(expected(production, builderEmail(production)));
    expect(resources.github_actions_environment_variable["production_gcp_service_account"].value).toBe(
      "github-actions-production@mindmirror-prod.iam.gserviceaccount.com",
    );
    expect(resources.github_actions_environment_variable["production-ci_gcp_service_account"].value).toBe(
      "github-builder-production@mindmirror-prod.iam.gserviceaccount.com",
    );
    expect(resources.github_actions_environment_variable["staging_gcp_service_account"].value).toBe(
      "github-actions-staging@mindmirror-69.iam.gserviceaccount.com",
    );
    expect(text).toHaveResourceWithProperties(ActionsEnvironmentVariable, {
      variable_name: "GCP_WORKLOAD_IDENTITY_PROVIDER",
      value: "projects/435339726777/locations/global/workloadIdentityPools/github-pool/providers/github-oidc",
    });
  });

  it("derives the builder's variable from the model: a gate anywhere moves the builder to its unattended environment", () => {
    const gatedStaging = withGate(staging, { githubEnvironment: "staging-gate" });
    const { resources: gated } = synthGithub(githubStack([gatedStaging, gatedProduction]));
    const account = (name: string) => gated.github_actions_environment_variable[`${name}_gcp_service_account`].value;
    expect(account("staging-gate")).toBe("github-actions-staging@mindmirror-69.iam.gserviceaccount.com");
    expect(account("staging-ci")).toBe("github-builder-staging@mindmirror-69.iam.gserviceaccount.com");
  });

  it("creates a plans' environment per environment: open to every ref (pull requests run on refs/pull/<n>/merge), no reviewers, the planner's variables", () => {
    for (const [name, planner] of [
      ["staging-plan", "github-planner-staging@mindmirror-69.iam.gserviceaccount.com"],
      ["production-plan", "github-planner-production@mindmirror-prod.iam.gserviceaccount.com"],
    ]) {
      const environment = resources.github_repository_environment[name];
      expect(environment).toMatchObject({ environment: name, can_admins_bypass: false, prevent_self_review: false });
      expect(environment.deployment_branch_policy).toBeUndefined();
      expect(environment.reviewers).toBeUndefined();
      const policies = Object.values(resources.github_repository_environment_deployment_policy).filter((p) => p.environment === `\${github_repository_environment.${name}.environment}`);
      expect(policies).toEqual([]);
      const account = Object.values(resources.github_actions_environment_variable).find(
        (v) => v.environment === `\${github_repository_environment.${name}.environment}` && v.variable_name === "GCP_SERVICE_ACCOUNT",
      )!;
      expect(account.value).toBe(planner);
    }
  });

  it("pins the Terraform addresses of the environments, rulesets and labels", () => {
    expect(Object.keys(resources).sort()).toEqual([
      "github_actions_environment_variable",
      "github_issue_label",
      "github_repository_environment",
      "github_repository_environment_deployment_policy",
      "github_repository_ruleset",
    ]);
    expect(Object.keys(resources.github_repository_environment_deployment_policy).sort()).toEqual(["production-ci_main", "production_main", "staging_main", "staging_staging"]);
    expect(Object.keys(resources.github_actions_environment_variable)).toContain("production_gcp_service_account");
    expect(Object.keys(resources.github_actions_environment_variable)).toHaveLength(30);
  });

  it("warns of nothing when the gate can be approved", () => {
    expect(warningsOf(stack)).toEqual([]);
  });

  it("matches the snapshot (a change detector; the assertions above are the contract)", () => {
    expect(text).toMatchSnapshot();
  });

  it("synthesizes the real environments", () => {
    expect(() => synthGithub(githubStack(ENVIRONMENTS))).not.toThrow();
  });
});

describe("github stack approval gate", () => {
  it("fails synth, in one line, when a gated environment has no reviewer", () => {
    expect(() => githubStack([staging, withGate(production, { reviewers: [] })])).toThrow(
      /^environments\.production\.approval\.gate\.reviewers: \[\] is not valid; GitHub environment "production" gates applies but has no reviewer, so GitHub would run them unapproved; add at least one GitHub login$/,
    );
    // A team is a reviewer too.
    const team = synthGithub(githubStack([staging, withGate(production, { reviewers: [], reviewerTeamIds: [7] })]));
    expect(team.resources.github_repository_environment.production.reviewers).toEqual([{ users: [], teams: [7] }]);
  });

  it("fails if a reviewer is not a valid GitHub login", () => {
    expect(() => githubStack([staging, withGate(production, { reviewers: ["pe--leke"] })])).toThrow(
      /^environments\.production\.approval\.gate\.reviewers: "pe--leke" is not valid; use a GitHub login: 1-39 letters/,
    );
  });

  it("warns of nothing for the shipped config: one reviewer who may approve deploys others started", () => {
    expect(production.approval.gate).toMatchObject({ preventSelfReview: false });
    expect(warningsOf(githubStack(ENVIRONMENTS))).toEqual([]);
  });

  it("warns when the only reviewer may not approve their own deploy", () => {
    const warnings = warningsOf(githubStack([staging, withGate(production, { reviewers: ["octo-cat"], preventSelfReview: true })]));
    expect(warnings).toEqual([expect.stringMatching(/^environments\.production\.approval\.gate: the only reviewer \(octo-cat\) cannot approve a deploy they started, because preventSelfReview is true/)]);
  });

  it("does not warn for one reviewer who may self-review, two reviewers, or one reviewer plus a team", () => {
    expect(warningsOf(githubStack([staging, withGate(production, { preventSelfReview: true })]))).toEqual([
      expect.stringMatching(/the only reviewer \(Peleke\) cannot approve a deploy they started/),
    ]);
    expect(warningsOf(githubStack([staging, withGate(production, { preventSelfReview: false })]))).toEqual([]);
    expect(warningsOf(githubStack([staging, withGate(production, { reviewers: ["Peleke", "octo-cat"], preventSelfReview: true })]))).toEqual([]);
    expect(warningsOf(githubStack([staging, withGate(production, { reviewerTeamIds: [7], preventSelfReview: true })]))).toEqual([]);
  });

  it("does not warn for an environment without a gate", () => {
    expect(staging.approval.gate.kind).toBe("none");
    expect(warningsOf(githubStack([staging, ungated(production)]))).toEqual([]);
  });

  it("gives an ungated environment one GitHub environment for every job but the plans, as the deployer, without reviewers", () => {
    const { resources } = synthGithub(githubStack([staging, ungated(production)]));
    expect(Object.keys(resources.github_repository_environment).sort()).toEqual(["production", "production-plan", "staging", "staging-plan"]);
    expect(resources.github_repository_environment.production.reviewers).toBeUndefined();
    expect(resources.github_actions_environment_variable.production_gcp_service_account.value).toBe(deployerEmail(production));
  });
});

describe("github stack config errors", () => {
  it("fails if an environment has more than 6 reviewers", () => {
    const crowded = withGate(production, { reviewers: ["a", "b", "c", "d"], reviewerTeamIds: [5, 6, 7] });
    expect(() => githubStack([staging, crowded])).toThrow(/^environments\.production\.approval\.gate\.reviewers: \["a","b","c","d"\] is not valid; GitHub allows at most 6 required reviewers/);
  });

  it("fails, in one line, if the plans' suffix is not one, or gives one of the gate's names", () => {
    expect(() => githubStack(ENVIRONMENTS, { ...GITHUB, planEnvironmentSuffix: "plan" })).toThrow(/^github\.planEnvironmentSuffix: "plan" is not valid; use "-" followed by lowercase letters or digits[^\n]*$/);
    expect(() => githubStack(ENVIRONMENTS, { ...GITHUB, planEnvironmentSuffix: "-ci" })).toThrow(
      /^GitHub environment of production: "production-ci" is not valid; the plans' environment would share the variables of another CI account/,
    );
    const clash = withGate(production, { githubEnvironment: "production-plan" });
    expect(() => githubStack([staging, clash])).toThrow(/^GitHub environment of production: "production-plan" is not valid; the plans' environment would share the variables of another CI account/);
  });

  it("fails if two environments would share a GitHub environment", () => {
    const taken = withGate(production, { unattended: { githubEnvironment: "staging", builderAccountId: "github-builder-production" } });
    expect(() => githubStack([staging, taken])).toThrow(/^GitHub environment of production: "staging" is not valid; environment staging uses it already/);
  });

  it("fails if the owner is not a GitHub login", () => {
    expect(() => githubStack(ENVIRONMENTS, { ...GITHUB, owner: "-mind mirror" })).toThrow(/^github\.owner: "-mind mirror" is not valid; a GitHub owner has 1-39 letters/);
    expect(() => githubStack(ENVIRONMENTS, { ...GITHUB, owner: "a".repeat(40) })).toThrow(/github\.owner/);
  });

  it("fails if a repository name is not one GitHub allows", () => {
    expect(() => githubStack(ENVIRONMENTS, { ...GITHUB, repository: "infra/repo" })).toThrow(/^github\.repository: "infra\/repo" is not valid; a GitHub repository name has up to 100/);
    expect(() => githubStack(ENVIRONMENTS, { ...GITHUB, repository: "MindMirror.git" })).toThrow(/github\.repository: "MindMirror\.git" is not valid/);
    expect(() => githubStack(ENVIRONMENTS, { ...GITHUB, infraDirectory: "../infra" })).toThrow(/^github\.infraDirectory: "\.\.\/infra" is not valid/);
    expect(() => githubStack(ENVIRONMENTS, { ...GITHUB, ids: { repository: 0, owner: 1 } })).toThrow(/^github\.ids\.repository: 0 is not valid; use the numeric id GitHub reports/);
    expect(() => githubStack(ENVIRONMENTS, { ...GITHUB, repository: ".." })).toThrow(/github\.repository: "\.\."/);
  });

  it("fails if the github stack's state prefix overlaps an environment's", () => {
    expect(() => githubStack(ENVIRONMENTS, { ...GITHUB, state: { bucket: "mindmirror-tofu-state", prefix: "envs" } })).toThrow(
      /github\.state\.prefix: "envs" is not valid; it overlaps environments\.staging\.backend\.prefix "envs\/staging" in the same bucket/,
    );
  });

  it("fails if a label the pipeline uses is missing, badly coloured, or taken by an environment's own", () => {
    const withoutDeployment = GITHUB.labels.filter((l) => l.name !== "deployment");
    expect(() => githubStack(ENVIRONMENTS, { ...GITHUB, labels: withoutDeployment })).toThrow(/^github\.labels: "deployment" is not valid; the pipeline labels its issues and PRs with it/);
    const taken = [...GITHUB.labels, { name: "Staging", color: "000000", description: "" }];
    expect(() => githubStack(ENVIRONMENTS, { ...GITHUB, labels: taken })).toThrow(/^github\.labels name: "staging" is not valid; label names are case-insensitive in GitHub; keep one$/);
    const withoutDrift = GITHUB.labels.filter((l) => l.name !== "drift");
    expect(() => githubStack(ENVIRONMENTS, { ...GITHUB, labels: withoutDrift })).toThrow(/^github\.labels: "drift" is not valid; the pipeline labels its issues and PRs with it/);
    const badColour = GITHUB.labels.map((l) => (l.name === "failure" ? { ...l, color: "#d93f0b" } : l));
    expect(() => githubStack(ENVIRONMENTS, { ...GITHUB, labels: badColour })).toThrow(/github\.labels\.failure\.color: "#d93f0b" is not valid; use six hex digits without '#'/);
    expect(() => githubStack(ENVIRONMENTS, { ...GITHUB, labels: [...GITHUB.labels, { name: "Failure", color: "000000", description: "" }] })).toThrow(/case-insensitive/);
  });

  it("labels each environment's issues: red where a person approves its deploys, yellow where nobody does", () => {
    const labels = synthGithub(githubStack([staging, production, withGate({ ...staging, name: "qa", branch: "qa" }, { githubEnvironment: "qa-gate" })])).resources.github_issue_label;
    expect([labels.staging, labels.production, labels.qa].map((l) => [l.name, l.color, l.description])).toEqual([
      ["staging", "fbca04", "Concerns the staging environment"],
      ["production", "b60205", "Concerns the production environment"],
      ["qa", "b60205", "Concerns the qa environment"],
    ]);
  });

  it("fails if two environments would share a GitHub environment or a branch", () => {
    const twin = withGate({ ...staging, name: "preview", branch: "preview" }, { githubEnvironment: "staging" });
    expect(() => githubStack([staging, twin])).toThrow(/GitHub environment of preview: "staging" is not valid; environment staging uses it already/);
    expect(() => githubStack([staging, { ...staging, name: "preview" }])).toThrow(/environments\.preview\.branch: "staging" is not valid; environment staging deploys from it already/);
  });
});
