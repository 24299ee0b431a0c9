import type { EnvironmentConfig } from "./types";

/** Staging: deployed from the `staging` branch, auto-approved, cheap to rebuild. */
export const staging: EnvironmentConfig = {
  name: "staging",
  project: { id: "mindmirror-69", number: "3858903851" },
  region: "us-east4",
  branch: "staging",
  deployOrder: 1,
  naming: { serviceSuffix: "-staging", accountSuffix: "-staging" },
  // The state bucket lives in this project, so foundation-staging manages it.
  backend: {
    mode: "complete",
    bucket: "mindmirror-tofu-state",
    prefix: "envs/staging",
    managedBucket: { location: "US-EAST4", accessLogs: { bucket: "mindmirror-69-tofu-state-logs" } },
  },
  app: { logLevel: "DEBUG", debug: true },
  importExisting: true,
  deletionProtection: false,
  scaling: { minInstances: 1, maxInstances: 4, concurrency: 20 },
  registry: { location: "us-east4", repository: "mindmirror" },
  // The apps do not send ID tokens yet; see README "Service-to-service authentication".
  invoker: { unauthenticatedBackends: true },
  ci: {
    workloadIdentityPool: "github-pool",
    workloadIdentityProvider: "github-oidc",
    deployerAccountId: "github-actions-staging",
    plannerAccountId: "github-planner-staging",
  },
  approval: {
    gate: { kind: "none" },
    imageUpdatesByPullRequest: false,
    requiredPullRequestApprovals: 0,
  },
  labels: { app: "mindmirror", "managed-by": "cdktf" },
};
