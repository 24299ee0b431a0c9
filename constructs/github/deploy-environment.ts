import { ActionsEnvironmentVariable } from "@cdktf/provider-github/lib/actions-environment-variable";
import { DataGithubUser } from "@cdktf/provider-github/lib/data-github-user";
import { RepositoryEnvironment } from "@cdktf/provider-github/lib/repository-environment";
import { RepositoryEnvironmentDeploymentPolicy } from "@cdktf/provider-github/lib/repository-environment-deployment-policy";
import { Construct } from "constructs";
import type { GithubConfig } from "../../environments/github";
import type { EnvironmentConfig, ReviewerGate } from "../../environments/types";
import { Annotations, TerraformStack, Token } from "../../lib/cdk";
import { ciTopology, type CiTopology, type GithubEnvironmentSpec } from "../../lib/ci";
import { actionsVariables, addressPart } from "../../lib/github";

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
 * environment (`<env>-plan`), open to every ref, with the planner's; on the
 * gated one, the required reviewers who approve `tofu apply`, named by GitHub
 * login (`approval.gate.reviewers`) and resolved to ids by a `github_user`
 * lookup at plan time. All of it is the environment's `ciTopology`. A gate
 * without a reviewer fails synth (`validateEnvironment`); a lone reviewer who
 * may not approve their own deploy is a warning.
 */
export class DeployEnvironment extends Construct {
  /** The GitHub environments, accounts and gate this construct manages. */
  readonly topology: CiTopology;
  /** GitHub environments by name. */
  readonly environments = new Map<string, RepositoryEnvironment>();
  /** The reviewer lookups of the gated environment, by login. */
  readonly reviewers = new Map<string, DataGithubUser>();

  constructor(scope: Construct, id: string, props: DeployEnvironmentProps) {
    super(scope, id);
    const { environment: env, github } = props;
    this.topology = ciTopology(env, github);
    for (const spec of this.topology.githubEnvironments) this.addEnvironment(env, github, spec);
  }

  private addEnvironment(env: EnvironmentConfig, github: GithubConfig, spec: GithubEnvironmentSpec): void {
    const { name, gate } = spec;
    // github_user's id is the numeric user id, as a string until plan time.
    const users = (gate?.reviewers ?? []).map((login) => Token.asNumber(this.reviewer(login).id));
    const environment = new RepositoryEnvironment(this, name, {
      repository: github.repository,
      environment: name,
      // Nobody skips the gate, admins included: the reviewers are the approval.
      canAdminsBypass: false,
      preventSelfReview: gate?.preventSelfReview ?? false,
      reviewers: gate === undefined ? undefined : [{ users, teams: [...(gate.reviewerTeamIds ?? [])] }],
      deploymentBranchPolicy: spec.branches === undefined ? undefined : { protectedBranches: false, customBranchPolicies: true },
    });
    environment.overrideLogicalId(addressPart(name));
    this.environments.set(name, environment);

    for (const branch of spec.branches ?? []) {
      const policy = new RepositoryEnvironmentDeploymentPolicy(this, `${name}-branch-${branch}`, {
        repository: github.repository,
        // The attribute, not the literal, so the policy is created after its environment.
        environment: environment.environment,
        branchPattern: branch,
      });
      policy.overrideLogicalId(`${addressPart(name)}_${addressPart(branch)}`);
    }

    for (const [variableName, value] of actionsVariables(env, spec.account)) {
      const variable = new ActionsEnvironmentVariable(this, `${name}-${variableName}`, {
        repository: github.repository,
        environment: environment.environment,
        variableName,
        value,
      });
      variable.overrideLogicalId(`${addressPart(name)}_${variableName.toLowerCase()}`);
    }
    if (gate !== undefined) warnOnUnapprovableGate(this, env, gate);
  }

  private reviewer(login: string): DataGithubUser {
    let user = this.reviewers.get(login);
    if (user === undefined) {
      user = reviewerLookup(this, login);
      this.reviewers.set(login, user);
    }
    return user;
  }
}

/** A policy finding, not misuse: the stack still synthesizes, and `cdktf synth` prints it. */
function warnOnUnapprovableGate(scope: Construct, env: EnvironmentConfig, gate: ReviewerGate): void {
  const teams = gate.reviewerTeamIds ?? [];
  if (gate.preventSelfReview && gate.reviewers.length === 1 && teams.length === 0) {
    Annotations.of(scope).addWarning(
      `environments.${env.name}.approval.gate: the only reviewer (${gate.reviewers[0]}) cannot approve a deploy they started, because preventSelfReview is true, ` +
        "and nobody else can; add a second reviewer or a team, or set preventSelfReview to false",
    );
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
