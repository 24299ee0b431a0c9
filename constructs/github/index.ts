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
  requiredLabels,
} from "./settings";
export { validateAppImages, validateGithub } from "./validate";
