export { BranchRuleset, type BranchRulesetProps } from "./branch-ruleset";
export { DeployEnvironment, type DeployEnvironmentProps } from "./deploy-environment";
export { IssueLabels, type IssueLabelsProps } from "./issue-labels";
export { githubEnvironmentNames, type GithubEnvironmentNames } from "../../lib/naming";
export {
  ACTIONS_VARIABLES,
  actionsVariables,
  deploymentBranches,
  githubEnvironmentsOf,
  PIPELINE_LABELS,
  PULL_REQUEST_CHECK,
  requiredLabels,
} from "./settings";
export { GITHUB_LOGIN, validateGithub, validateImages } from "./validate";
