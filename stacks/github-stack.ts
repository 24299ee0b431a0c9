import { GithubProvider } from "@cdktf/provider-github/lib/provider";
import type { Construct } from "constructs";
import { BranchRuleset } from "../constructs/github/branch-ruleset";
import { DeployEnvironment } from "../constructs/github/deploy-environment";
import { IssueLabels } from "../constructs/github/issue-labels";
import { PULL_REQUEST_CHECK, repositoryLabels } from "../lib/github";
import { validateGithub } from "../environments/github-validate";
import { GITHUB, type GithubConfig } from "../environments/github";
import type { EnvironmentConfig } from "../environments/types";
import { GcsBackend, TerraformStack } from "../lib/cdk";

export interface GithubStackProps {
  /** The environments whose pipeline settings this repository holds, in deploy order. */
  readonly environments: readonly EnvironmentConfig[];
  /**
   * The repository, its state location and its labels.
   * @default GITHUB
   */
  readonly github?: GithubConfig;
}

/**
 * `github`: the repository settings that make the pipeline's approval gates
 * real, derived from the environments: per environment its GitHub
 * environment(s) with branch policy, reviewers and Actions variables; a
 * ruleset on each branch whose changes need approved pull requests; the issue
 * labels. Applied by a maintainer with a token in `GITHUB_TOKEN` (the
 * provider's own variable; no token is ever in the config), never by the
 * pipeline it governs. Its state has a complete GCS backend of its own.
 */
export class GithubStack extends TerraformStack {
  /** The GitHub side of each environment, by environment name. */
  readonly environments = new Map<string, DeployEnvironment>();
  /** Branch rulesets, by branch. */
  readonly rulesets = new Map<string, BranchRuleset>();
  readonly labels: IssueLabels;

  constructor(scope: Construct, id: string, props: GithubStackProps) {
    const github = props.github ?? GITHUB;
    validateGithub(github, props.environments);
    super(scope, id);

    new GcsBackend(this, { bucket: github.state.bucket, prefix: github.state.prefix });
    new GithubProvider(this, "github", { owner: github.owner });

    for (const env of props.environments) {
      this.environments.set(env.name, new DeployEnvironment(this, `environment-${env.name}`, { environment: env, github }));
      const approvals = env.approval.requiredPullRequestApprovals;
      // 0 approvals: the pipeline commits to this branch directly, so a PR rule would block it.
      if (approvals > 0) {
        this.rulesets.set(env.branch, new BranchRuleset(this, `ruleset-${env.name}`, {
            repository: github.repository,
            branch: env.branch,
            requiredApprovals: approvals,
            requiredChecks: [PULL_REQUEST_CHECK],
          }));
      }
    }
    this.labels = new IssueLabels(this, "labels", { repository: github.repository, labels: repositoryLabels(github, props.environments) });
  }
}
