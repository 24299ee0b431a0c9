/**
 * The repository facts, in one place: the GitHub repository that holds the
 * application at its root, this project in `infra/`, and the workflows in
 * `.github/workflows/`. Shared by every environment; the GitHub stack, the Workload
 * Identity condition and the workflow generator read it.
 */
export interface GithubConfig {
  /** Owner (user or organisation) of the repository, e.g. `Peleke`. */
  readonly owner: string;
  /** The repository: application code, `infra/`, workflows, GitHub environments and rulesets. */
  readonly repository: string;
  /**
   * Numeric ids of the repository and its owner (`gh api repos/<owner>/<repo> --jq '.id, .owner.id'`).
   * The Workload Identity condition admits tokens carrying them too, so a
   * deleted and re-created repository (or owner) of the same name is refused.
   * @default - names only; synth warns until they are given
   */
  readonly ids?: {
    readonly repository: number;
    readonly owner: number;
  };

  /** Folder of this project inside the repository; every npm, synth and tofu step runs there. */
  readonly infraDirectory: string;

  /**
   * The repository's default branch. GitHub runs every `workflow_run`-triggered
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
   * Appended to every environment's name for the GitHub environment its
   * read-only plans run in (pull requests, drift detection): `staging-plan`.
   * It has no branch policy and no reviewers, since a pull request's jobs run
   * on `refs/pull/<n>/merge`; the account it leads to can only read.
   */
  readonly planEnvironmentSuffix: string;

  /** The fixed issue labels the pipeline puts on its PRs and issues; the github stack adds one per environment. */
  readonly labels: readonly IssueLabelConfig[];
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

export const GITHUB: GithubConfig = {
  owner: "Peleke",
  repository: "MindMirror",
  // Not yet read from GitHub: `gh api repos/Peleke/MindMirror --jq '.id, .owner.id'` (README, "Cut-over").
  ids: undefined,
  infraDirectory: "infra",
  defaultBranch: "main",
  state: { bucket: "mindmirror-tofu-state", prefix: "github" },
  planEnvironmentSuffix: "-plan",
  labels: [
    { name: "deployment", color: "1d76db", description: "Opened by the deployment pipeline" },
    { name: "gateway", color: "5319e7", description: "Concerns the GraphQL mesh gateway" },
    { name: "success", color: "0e8a16", description: "A deployment succeeded" },
    { name: "failure", color: "d93f0b", description: "A deployment failed and needs attention" },
    { name: "critical", color: "b60205", description: "A deployment of a gated environment failed" },
    { name: "drift", color: "c5def5", description: "A stack differs from its code (daily drift detection)" },
    { name: "allow-destroy", color: "e11d21", description: "A reviewer allows this PR's plan to replace or destroy stateful resources" },
  ],
};
