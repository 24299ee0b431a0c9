/**
 * Versions and names every generated workflow shares. Actions are pinned to a
 * major version (Dependabot can move them to commit SHAs); OpenTofu to an
 * exact release, so a plan and its apply run the same binary.
 */
export const TOOLCHAIN = {
  /** GitHub-hosted runner image. */
  runner: "ubuntu-latest",
  /** Node for `npm ci`, `cdktf synth` and the ops commands (package.json engines: >=20). */
  node: "20",
  /** OpenTofu release (today's pipeline runs 1.6; 1.8 reads the same state). */
  tofu: "1.8.8",
} as const;

/** The actions the workflows use. */
export const ACTIONS = {
  checkout: "actions/checkout@v4",
  setupNode: "actions/setup-node@v4",
  setupTofu: "opentofu/setup-opentofu@v1",
  auth: "google-github-actions/auth@v2",
  setupGcloud: "google-github-actions/setup-gcloud@v2",
  uploadArtifact: "actions/upload-artifact@v4",
  downloadArtifact: "actions/download-artifact@v4",
  createPullRequest: "peter-evans/create-pull-request@v7",
} as const;

/**
 * Repository secrets a maintainer may set; each falls back to the job's own
 * token, which is enough when the application repository is public and
 * "Allow GitHub Actions to create and approve pull requests" is on.
 */
export const SECRETS = {
  /** Read access to the application repository (fine-grained PAT or GitHub App token). */
  appRepositoryToken: "APP_REPOSITORY_TOKEN",
  /** Opens the production image PRs; a PAT or App token also makes PR checks run on them. */
  deployPullRequestToken: "DEPLOY_PR_TOKEN",
} as const;

/** Where the application repository is checked out inside the workspace. */
export const APP_DIR = "app";
