/**
 * Versions and names every generated workflow shares. Every action is pinned
 * to the full commit SHA of a release (a tag can be moved; a commit cannot),
 * written with the release in a comment, which Dependabot reads and updates;
 * OpenTofu to an exact release, so a plan and its apply run the same binary.
 */
export const TOOLCHAIN = {
  /** GitHub-hosted runner image. */
  runner: "ubuntu-latest",
  /** Node for `npm ci`, `cdktf synth` and the ops commands (package.json engines: >=20). */
  node: "20",
  /**
   * OpenTofu release. Today's pipeline runs 1.6.0; a state written by a newer
   * OpenTofu cannot be read by an older one, so maintainers use this one too.
   */
  tofu: "1.8.8",
} as const;

/** One pinned action: its repository, the commit of a release, and that release. */
export interface ActionPin {
  readonly repository: string;
  /** 40 hex digits: the commit the release tag points to. */
  readonly sha: string;
  /** The release, written beside the SHA as `# v4.4.0`. */
  readonly version: string;
}

/** The actions the workflows use, each at the commit of its release tag. */
export const ACTION_PINS = {
  checkout: { repository: "actions/checkout", sha: "11d5960a326750d5838078e36cf38b85af677262", version: "v4.4.0" },
  setupNode: { repository: "actions/setup-node", sha: "49933ea5288caeca8642d1e84afbd3f7d6820020", version: "v4.4.0" },
  setupTofu: { repository: "opentofu/setup-opentofu", sha: "9d84900f3238fab8cd84ce47d658d25dd008be2f", version: "v1.0.8" },
  auth: { repository: "google-github-actions/auth", sha: "c200f3691d83b41bf9bbd8638997a462592937ed", version: "v2.1.13" },
  setupGcloud: { repository: "google-github-actions/setup-gcloud", sha: "e427ad8a34f8676edf47cf7d7925499adf3eb74f", version: "v2.2.1" },
  uploadArtifact: { repository: "actions/upload-artifact", sha: "ea165f8d65b6e75b540449e92b4886f43607fa02", version: "v4.6.2" },
  downloadArtifact: { repository: "actions/download-artifact", sha: "d3f86a106a0bac45b974a628896c90dbdf5c8093", version: "v4.3.0" },
  createPullRequest: { repository: "peter-evans/create-pull-request", sha: "22a9089034f40e5a961c8808d113e2c98fb63676", version: "v7.0.11" },
  githubScript: { repository: "actions/github-script", sha: "f28e40c7f34bde8b3046d885e986cb6290c5673b", version: "v7.1.0" },
} as const satisfies Record<string, ActionPin>;

/** `uses:` values: `actions/checkout@<sha>`. */
export const ACTIONS = Object.fromEntries(Object.entries(ACTION_PINS).map(([key, pin]) => [key, `${pin.repository}@${pin.sha}`])) as {
  readonly [key in keyof typeof ACTION_PINS]: string;
};

/**
 * Repository secrets a maintainer may set; each falls back to the job's own
 * token.
 */
export const SECRETS = {
  /**
   * Opens the production image PRs, so that PR checks run on them. A GitHub
   * App installation token or a machine user's fine-grained PAT, limited to
   * this repository with Contents and Pull requests write; never a
   * reviewer's own token (README, "One-time setup").
   */
  deployPullRequestToken: "DEPLOY_PR_TOKEN",
} as const;
