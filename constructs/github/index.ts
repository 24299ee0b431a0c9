export { BranchRuleset, type BranchRulesetProps } from "./branch-ruleset";
export { DeployEnvironment, type DeployEnvironmentProps } from "./deploy-environment";
export { IssueLabels, type IssueLabelsProps } from "./issue-labels";
export {
  ACTIONS_VARIABLES,
  actionsVariables,
  deploymentBranches,
  githubEnvironmentNames,
  githubEnvironmentsOf,
  PIPELINE_LABELS,
  requiredLabels,
  type GithubEnvironmentNames,
} from "./settings";
export { validateAppImages, validateGithub } from "./validate";
