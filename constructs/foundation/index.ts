export { Builder, type BuilderProps } from "./builder";
export { CiAccount, type CiAccountProps, type CiGrantTargets } from "./ci-account";
export { Deployer, type DeployerProps } from "./deployer";
export {
  BUILDER_ROLES,
  cloudRunServicesCondition,
  DEPLOYER_ROLES,
  PLANNER_ROLES,
  type BuilderRole,
  type PlannerRole,
  type PlannerScope,
  type BuilderScope,
  type DeployerRole,
  type DeployerScope,
} from "./deployer-roles";
export {
  GITHUB_ATTRIBUTE_MAPPING,
  GITHUB_ISSUER,
  GithubIdentity,
  githubAttributeCondition,
  type GithubIdentityProps,
} from "./github-identity";
export { Planner, type PlannerProps } from "./planner";
export { ImageRegistry, ROLLBACK_VERSIONS, TAGGED_MAX_AGE, UNTAGGED_MAX_AGE, type ImageRegistryProps } from "./image-registry";
export { RuntimeAccounts, type RuntimeAccount, type RuntimeAccountsProps } from "./runtime-accounts";
export { ServiceBucket, type ServiceBucketProps } from "./service-bucket";
export {
  StateBucket,
  StatePrefixAccess,
  statePrefixCondition,
  type StateBucketProps,
  type StatePrefixAccessProps,
} from "./state-bucket";
