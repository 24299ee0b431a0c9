import { ActionsEnvironmentVariable } from "@cdktf/provider-github/lib/actions-environment-variable";
import { DataGithubUser } from "@cdktf/provider-github/lib/data-github-user";
import { RepositoryEnvironment } from "@cdktf/provider-github/lib/repository-environment";
import { RepositoryEnvironmentDeploymentPolicy } from "@cdktf/provider-github/lib/repository-environment-deployment-policy";
import { Construct } from "constructs";
import type { GithubConfig } from "../../environments/github";
import type { EnvironmentConfig } from "../../environments/types";
import { Annotations, TerraformStack, Token } from "../../lib/cdk";
import { githubEnvironmentNames, type CiJob, type GithubEnvironmentNames } from "../../lib/naming";
import { actionsVariables, addressPart, deploymentBranches } from "../../lib/github";

export interface DeployEnvironmentProps {
  /** The deployment environment whose GitHub side this is. */
  readonly environment: EnvironmentConfig;
  /** The repository the GitHub environments belong to. */
  readonly github: GithubConfig;
}

/**
 * The GitHub side of one deployment environment: the GitHub environment(s)
 * its jobs run in, each restricted to the branches that deploy it and holding
 * the Actions variables the workflows authenticate with (the deployer's in the
 * gated one, the builder's in the ungated one), and the read-only plans'
 * environment (`<env>-plan`), open to every ref, with the planner's; on the gated one, the
 * required reviewers who approve `tofu apply`, named by GitHub login
 * (`github.reviewers`) and resolved to ids by a `github_user` lookup at plan
 * time. A gated environment without a reviewer fails synth
 * (`validateGithub`); a lone reviewer who may not approve their own deploy
 * is a warning.
 */
export class DeployEnvironment extends Construct {
  /** The GitHub environment names this construct manages. */
  readonly names: GithubEnvironmentNames;
  /** GitHub environments by name. */
  readonly environments = new Map<string, RepositoryEnvironment>();
  /** The reviewer lookups of the gated environment, by login. */
  readonly reviewers = new Map<string, DataGithubUser>();

  constructor(scope: Construct, id: string, props: DeployEnvironmentProps) {
    super(scope, id);
    const { environment: env, github } = props;
    this.names = githubEnvironmentNames(env, github);
    if (this.names.gated) {
      for (const login of github.reviewers[env.name] ?? []) this.reviewers.set(login, reviewerLookup(this, login));
    }

    // Where both kinds of job share one environment (no gate), it holds the deployer's variables.
    this.addEnvironment(env, github, this.names.deploy, this.names.gated, "deploy");
    if (this.names.unattended !== this.names.deploy) this.addEnvironment(env, github, this.names.unattended, false, "unattended");
    this.addEnvironment(env, github, this.names.plan, false, "plan");
    this.warnOnUnapprovableGate(env);
  }

  private addEnvironment(env: EnvironmentConfig, github: GithubConfig, name: string, gated: boolean, job: CiJob): void {
    const { approval } = env;
    // github_user's id is the numeric user id, as a string until plan time.
    const users = [...[...this.reviewers.values()].map((u) => Token.asNumber(u.id)), ...approval.reviewerUserIds];
    const hasReviewers = users.length + approval.reviewerTeamIds.length > 0;
    const environment = new RepositoryEnvironment(this, name, {
      repository: github.repository,
      environment: name,
      // Nobody skips the gate, admins included: the reviewers are the approval.
      canAdminsBypass: false,
      preventSelfReview: gated ? approval.preventSelfReview : false,
      reviewers: gated && hasReviewers ? [{ users, teams: [...approval.reviewerTeamIds] }] : undefined,
      // Plans run for pull requests, on refs/pull/<n>/merge, which no branch policy admits; the planner only reads.
      deploymentBranchPolicy: job === "plan" ? undefined : { protectedBranches: false, customBranchPolicies: true },
    });
    environment.overrideLogicalId(addressPart(name));
    this.environments.set(name, environment);

    for (const branch of job === "plan" ? [] : deploymentBranches(env, github)) {
      const policy = new RepositoryEnvironmentDeploymentPolicy(this, `${name}-branch-${branch}`, {
        repository: github.repository,
        // The attribute, not the literal, so the policy is created after its environment.
        environment: environment.environment,
        branchPattern: branch,
      });
      policy.overrideLogicalId(`${addressPart(name)}_${addressPart(branch)}`);
    }

    for (const [variableName, value] of actionsVariables(env, job)) {
      const variable = new ActionsEnvironmentVariable(this, `${name}-${variableName}`, {
        repository: github.repository,
        environment: environment.environment,
        variableName,
        value,
      });
      variable.overrideLogicalId(`${addressPart(name)}_${variableName.toLowerCase()}`);
    }
  }

  /** A policy finding, not misuse: the stack still synthesizes, and `cdktf synth` prints it. */
  private warnOnUnapprovableGate(env: EnvironmentConfig): void {
    if (!this.names.gated) return;
    const { reviewerUserIds, reviewerTeamIds: teams, preventSelfReview } = env.approval;
    const people = [...this.reviewers.keys(), ...reviewerUserIds.map((id) => `user ${id}`)];
    if (preventSelfReview && people.length === 1 && teams.length === 0) {
      Annotations.of(this).addWarning(
        `environments.${env.name}.approval: the only reviewer (${people[0]}) cannot approve a deploy they started, because preventSelfReview is true, ` +
          "and nobody else can; add a second reviewer or a team, or set preventSelfReview to false",
      );
    }
  }
}

/** One `github_user` lookup per login and stack, shared by every environment that names it. */
function reviewerLookup(scope: Construct, login: string): DataGithubUser {
  const stack = TerraformStack.of(scope);
  const id = `reviewer-${login.toLowerCase()}`;
  const existing = stack.node.tryFindChild(id);
  if (existing instanceof DataGithubUser) return existing;
  const user = new DataGithubUser(stack, id, { username: login });
  user.overrideLogicalId(`reviewer_${addressPart(login.toLowerCase())}`);
  return user;
}
