export { BranchRuleset, type BranchRulesetProps } from "./branch-ruleset";
export { DeployEnvironment, type DeployEnvironmentProps } from "./deploy-environment";
export { IssueLabels, type IssueLabelsProps } from "./issue-labels";
