/**
 * Where the pipeline runs: this repository, whose workflows deploy, and the
 * application repository the images are built from. Shared by every
 * environment; the GitHub stack and the Workload Identity condition read it.
 */
export interface GithubConfig {
  /** Organisation (or user) owning both repositories. */
  readonly owner: string;
  /** This repository: workflows, GitHub environments and rulesets live here. */
  readonly repository: string;
  /** The application source the service and gateway images are built from. */
  readonly appRepository: string;

  /**
   * This repository's default branch. GitHub runs every `workflow_run`-triggered
   * job on it, so the GitHub environments those jobs use must allow it.
   */
  readonly defaultBranch: string;

  /** Where the `github` stack keeps its state (a complete GCS backend). */
  readonly state: {
    /** State bucket, e.g. `mindmirror-tofu-state`. */
    readonly bucket: string;
    /** Prefix of the `github` stack, e.g. `github`. */
    readonly prefix: string;
  };

  /**
   * Appended to a gated environment's name for the ungated GitHub environment
   * its unattended jobs (image builds, plans) run in: `production-ci`.
   */
  readonly unattendedEnvironmentSuffix: string;

  /** Issue labels the pipeline puts on its PRs and issues; one per environment name plus the fixed ones. */
  readonly labels: readonly IssueLabelConfig[];

  /**
   * How each image (the catalog's `image`) is built from the application
   * repository: paths relative to its root. Assumes the application keeps
   * today's layout at the branch of the same name as the environment's.
   */
  readonly appImages: Readonly<Record<string, AppImageBuild>>;
}

/** One issue label. */
export interface IssueLabelConfig {
  /** Label name, e.g. `deployment`. */
  readonly name: string;
  /** Six hex digits without `#`, e.g. `0e8a16`. */
  readonly color: string;
  /** Shown in GitHub's label picker; at most 100 characters. */
  readonly description: string;
}

/** Where one image's Dockerfile and build context are in the application repository. */
export interface AppImageBuild {
  /** Dockerfile path, e.g. `journal_service/Dockerfile`. */
  readonly dockerfile: string;
  /** Build context directory, e.g. `.` (the repository root) or `mesh`. */
  readonly context: string;
}

export const GITHUB: GithubConfig = {
  owner: "mindmirror",
  repository: "mindmirror-infra",
  appRepository: "MindMirror",
  defaultBranch: "main",
  state: { bucket: "mindmirror-tofu-state", prefix: "github" },
  unattendedEnvironmentSuffix: "-ci",
  labels: [
    { name: "deployment", color: "1d76db", description: "Opened by the deployment pipeline" },
    { name: "staging", color: "fbca04", description: "Concerns the staging environment" },
    { name: "production", color: "b60205", description: "Concerns the production environment" },
    { name: "gateway", color: "5319e7", description: "Concerns the GraphQL mesh gateway" },
    { name: "success", color: "0e8a16", description: "A deployment succeeded" },
    { name: "failure", color: "d93f0b", description: "A deployment failed and needs attention" },
    { name: "drift", color: "c5def5", description: "A stack differs from its code (daily drift detection)" },
    { name: "allow-destroy", color: "e11d21", description: "A reviewer allows this PR's plan to replace or destroy stateful resources" },
  ],
  // Today's layout of the application repository (from its build workflow).
  appImages: {
    agent_service: { dockerfile: "src/agent_service/Dockerfile", context: "." },
    journal_service: { dockerfile: "journal_service/Dockerfile", context: "." },
    habits_service: { dockerfile: "habits_service/Dockerfile", context: "." },
    meals_service: { dockerfile: "meals_service/Dockerfile", context: "." },
    movements_service: { dockerfile: "movements_service/Dockerfile", context: "." },
    practices_service: { dockerfile: "practices_service/Dockerfile", context: "." },
    users_service: { dockerfile: "users_service/Dockerfile", context: "." },
    mesh: { dockerfile: "mesh/Dockerfile", context: "mesh" },
  },
};
