import type { EnvironmentConfig } from "./types";

/** Production: deployed from `main` through pull requests and two approval gates. */
export const production: EnvironmentConfig = {
  name: "production",
  project: { id: "mindmirror-prod", number: "435339726777" },
  region: "us-east4",
  branch: "main",
  naming: { serviceSuffix: "", accountSuffix: "-production" },
  backend: { mode: "partial", bucket: "mindmirror-tofu-state", prefix: "envs/production" },
  app: { logLevel: "INFO", debug: false },
  importExisting: true,
  deletionProtection: true,
  scaling: { minInstances: 1, maxInstances: 20, concurrency: 20 },
  registry: { location: "us-east4", repository: "mindmirror" },
  // The apps do not send ID tokens yet; see README "Service-to-service authentication".
  invoker: { unauthenticatedBackends: true },
  ci: {
    workloadIdentityPool: "github-pool",
    workloadIdentityProvider: "github-oidc",
    deployerAccountId: "github-actions-production",
    plannerAccountId: "github-planner-production",
    // Builds and plans run ungated in production-ci: they must not hold the deployer's rights.
    builderAccountId: "github-builder-production",
  },
  approval: {
    githubEnvironment: "production",
    // Filled in by a maintainer with the numeric ids of the people who approve deploys.
    reviewerUserIds: [],
    reviewerTeamIds: [],
    preventSelfReview: false,
    imageUpdatesByPullRequest: true,
    requiredPullRequestApprovals: 1,
  },
  labels: { app: "mindmirror", "managed-by": "cdktf" },
};
