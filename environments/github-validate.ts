import type { GithubConfig } from "./github";
import type { EnvironmentConfig } from "./types";
import { validateEnvironment } from "./validate";
import { check } from "../lib/errors";
import { ciTopology } from "../lib/ci";
import { repositoryLabels, requiredLabels } from "../lib/github";
import { FOLDER_PATH, GCS_BUCKET, GITHUB_LOGIN, GITHUB_REPOSITORY, GIT_BRANCH, HEX_COLOR, ISSUE_LABEL, PATH_SEGMENTS, REQUIRED_SUFFIX } from "../lib/patterns";

function repositoryName(field: string, value: string): void {
  check(
    GITHUB_REPOSITORY.test(value) && value !== "." && value !== ".." && !value.toLowerCase().endsWith(".git"),
    field,
    value,
    "a GitHub repository name has up to 100 letters, digits, '.', '_' or '-', is not \".\" or \"..\" and has no .git suffix",
  );
}

/** True when one state prefix equals or contains the other, so two stacks would share state objects. */
function overlaps(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
}

/**
 * Checks the repository config and the environments the `github` stack is
 * built from. Throws a ConfigError naming the field (`github.owner`), the bad
 * value and what is allowed.
 */
export function validateGithub(github: GithubConfig, environments: readonly EnvironmentConfig[]): void {
  check(GITHUB_LOGIN.test(github.owner), "github.owner", github.owner, "a GitHub owner has 1-39 letters, digits or single hyphens and does not start or end with a hyphen");
  repositoryName("github.repository", github.repository);
  if (github.ids !== undefined) {
    for (const [key, id] of Object.entries(github.ids)) {
      check(Number.isSafeInteger(id) && id > 0, `github.ids.${key}`, id, `use the numeric id GitHub reports (gh api repos/${github.owner}/${github.repository} --jq '.id, .owner.id'), or leave ids out`);
    }
  }
  check(FOLDER_PATH.test(github.infraDirectory), "github.infraDirectory", github.infraDirectory, "use the folder of this project inside the repository, such as \"infra\"");
  check(GIT_BRANCH.test(github.defaultBranch), "github.defaultBranch", github.defaultBranch, "use a git branch name such as \"main\"");
  check(GCS_BUCKET.test(github.state.bucket), "github.state.bucket", github.state.bucket, "a GCS bucket name has 3-63 lowercase letters, digits, '.', '_' or '-'");
  check(PATH_SEGMENTS.test(github.state.prefix), "github.state.prefix", github.state.prefix, "use path segments without leading or trailing '/', such as \"github\"");
  check(REQUIRED_SUFFIX.test(github.planEnvironmentSuffix), "github.planEnvironmentSuffix", github.planEnvironmentSuffix, "use \"-\" followed by lowercase letters or digits, such as \"-plan\"");

  check(environments.length > 0, "github environments", environments.length, "give at least one environment to deploy");
  const owners = new Map<string, string>();
  const branches = new Map<string, string>();
  for (const env of environments) {
    validateEnvironment(env);
    check(
      !(env.backend.bucket === github.state.bucket && overlaps(env.backend.prefix, github.state.prefix)),
      "github.state.prefix",
      github.state.prefix,
      `it overlaps environments.${env.name}.backend.prefix "${env.backend.prefix}" in the same bucket; give the github stack a prefix of its own`,
    );
    const other = branches.get(env.branch);
    check(other === undefined, `environments.${env.name}.branch`, env.branch, `environment ${other} deploys from it already; give each environment its own branch`);
    branches.set(env.branch, env.name);
    const { environmentOf, githubEnvironments } = ciTopology(env, github);
    check(
      githubEnvironments.filter((e) => e.name === environmentOf.plan).length === 1,
      `GitHub environment of ${env.name}`,
      environmentOf.plan,
      "the plans' environment would share the variables of another CI account; rename approval.gate's GitHub environments or github.planEnvironmentSuffix",
    );
    for (const { name } of githubEnvironments) {
      const owner = owners.get(name);
      check(owner === undefined, `GitHub environment of ${env.name}`, name, `environment ${owner} uses it already; rename approval.gate's GitHub environments or the environment`);
      owners.set(name, env.name);
    }
  }

  const labels = new Set<string>();
  for (const label of repositoryLabels(github, environments)) {
    check(ISSUE_LABEL.test(label.name), "github.labels name", label.name, "use 1-50 characters without commas, not starting with a space");
    check(!labels.has(label.name.toLowerCase()), "github.labels name", label.name, "label names are case-insensitive in GitHub; keep one");
    labels.add(label.name.toLowerCase());
    check(HEX_COLOR.test(label.color), `github.labels.${label.name}.color`, label.color, "use six hex digits without '#', such as \"0e8a16\"");
    check(label.description.length <= 100, `github.labels.${label.name}.description`, label.description, "GitHub allows at most 100 characters");
  }
  for (const name of requiredLabels()) {
    check(labels.has(name.toLowerCase()), "github.labels", name, "the pipeline labels its issues and PRs with it; add it with a colour and description");
  }
}
