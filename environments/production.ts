import type { EnvironmentConfig } from "./types";

/** Production: deployed from `main` through pull requests and two approval gates. */
export const production: EnvironmentConfig = {
  name: "production",
  project: { id: "mindmirror-prod", number: "435339726777" },
  region: "us-east4",
  branch: "main",
  deployOrder: 2,
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
  },
  approval: {
    gate: {
      kind: "reviewers",
      githubEnvironment: "production",
      // Today's approver of production deploys (docs/GITHUB-ENVIRONMENTS-GUIDE.md).
      reviewers: ["Peleke"],
      preventSelfReview: false,
      // Builds and plans run ungated: they must not hold the deployer's rights.
      unattended: { githubEnvironment: "production-ci", builderAccountId: "github-builder-production" },
    },
    imageUpdatesByPullRequest: true,
    requiredPullRequestApprovals: 1,
  },
  labels: { app: "mindmirror", "managed-by": "cdktf" },
};
