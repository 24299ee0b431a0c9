import { Problems } from "../lib/errors";
import type { EnvironmentConfig, LogLevel } from "./types";
import { ARTIFACT_REPOSITORY, ENVIRONMENT_NAME, GCS_BUCKET, GCS_LOCATION, GITHUB_ENVIRONMENT, GITHUB_LOGIN, GIT_BRANCH, LABEL_KEY, LABEL_VALUE, NAME_SUFFIX, PATH_SEGMENTS, PROJECT_ID, PROJECT_NUMBER, REGION, SERVICE_ACCOUNT_ID, WORKLOAD_IDENTITY_ID } from "../lib/patterns";

const LOG_LEVELS: readonly LogLevel[] = ["DEBUG", "INFO", "WARNING", "ERROR"];
const MAX_REVIEWERS = 6;

/** Google reserves these for its own pools and providers. */
const RESERVED_POOL_PREFIX = "gcp-";
/** GCP refuses project ids containing this. */
const RESERVED_PROJECT_WORD = "google";

/**
 * Checks an environment before any stack is built from it. Throws a
 * ConfigError naming the field (`environments.staging.project.id`), the bad
 * value and what is allowed; ConfigErrors, one line each, when there are several.
 */
export function validateEnvironment(env: EnvironmentConfig): void {
  const problems = new Problems();
  environmentProblems(env, problems);
  problems.throwIfAny();
}

/** True when `name` may be an environment name, and so part of a file name (`<name>.auto.tfvars`). */
export function isEnvironmentName(name: unknown): name is string {
  return typeof name === "string" && ENVIRONMENT_NAME.test(name);
}

/** Records every problem of `env` in `problems`. */
export function environmentProblems(env: EnvironmentConfig, problems: Problems): void {
  const check = problems.check.bind(problems);
  check(ENVIRONMENT_NAME.test(env.name), "environments.<env>.name", env.name, "use 2-20 lowercase letters or digits, starting with a letter");
  const f = (field: string) => `environments.${env.name}.${field}`;
  const int = (n: number, min: number, max: number) => Number.isInteger(n) && n >= min && n <= max;

  check(PROJECT_ID.test(env.project.id), f("project.id"), env.project.id, "a GCP project id has 6-30 lowercase letters, digits or hyphens and starts with a letter");
  check(!env.project.id.includes(RESERVED_PROJECT_WORD), f("project.id"), env.project.id, `GCP does not allow "${RESERVED_PROJECT_WORD}" in a project id; use the id the project really has`);
  check(PROJECT_NUMBER.test(env.project.number), f("project.number"), env.project.number, "a GCP project number is 6-19 digits, as a string");
  check(REGION.test(env.region), f("region"), env.region, "use a GCP region such as \"us-east4\" or \"europe-west1\"");
  check(int(env.deployOrder, 0, 1000), f("deployOrder"), env.deployOrder, "use an integer from 0 to 1000; environments are listed in this order");
  check(GIT_BRANCH.test(env.branch), f("branch"), env.branch, "use a git branch name such as \"staging\" or \"main\" (no spaces, \"..\", or leading \"-\")");
  check(NAME_SUFFIX.test(env.naming.serviceSuffix), f("naming.serviceSuffix"), env.naming.serviceSuffix, "use \"\" or \"-\" followed by lowercase letters or digits, such as \"-staging\"");
  check(NAME_SUFFIX.test(env.naming.accountSuffix), f("naming.accountSuffix"), env.naming.accountSuffix, "use \"\" or \"-\" followed by lowercase letters or digits, such as \"-staging\"");

  check(env.backend.mode === "complete" || env.backend.mode === "partial", f("backend.mode"), env.backend.mode, "use \"complete\" (plain tofu init) or \"partial\" (tofu init -backend-config=<env>.backend.hcl)");
  check(GCS_BUCKET.test(env.backend.bucket), f("backend.bucket"), env.backend.bucket, "a GCS bucket name has 3-63 lowercase letters, digits, '.', '_' or '-'");
  check(PATH_SEGMENTS.test(env.backend.prefix), f("backend.prefix"), env.backend.prefix, "use path segments without leading or trailing '/', such as \"envs/staging\"");
  if (env.backend.managedBucket !== undefined) {
    const { location, accessLogs } = env.backend.managedBucket;
    check(GCS_LOCATION.test(location), f("backend.managedBucket.location"), location, "use a GCS location in upper case, such as \"US-EAST4\", \"US\" or \"NAM4\"");
    if (accessLogs !== undefined) {
      check(GCS_BUCKET.test(accessLogs.bucket), f("backend.managedBucket.accessLogs.bucket"), accessLogs.bucket, "a GCS bucket name has 3-63 lowercase letters, digits, '.', '_' or '-'");
      check(
        accessLogs.bucket !== env.backend.bucket,
        f("backend.managedBucket.accessLogs.bucket"),
        accessLogs.bucket,
        "logs go to a bucket of their own: a bucket logging into itself logs its own log writes; use a new name such as \"<project>-tofu-state-logs\"",
      );
      if (accessLogs.prefix !== undefined) {
        check(PATH_SEGMENTS.test(accessLogs.prefix), f("backend.managedBucket.accessLogs.prefix"), accessLogs.prefix, "use path segments without leading or trailing '/', such as \"tofu-state\"");
      }
    }
  }

  check(LOG_LEVELS.includes(env.app.logLevel), f("app.logLevel"), env.app.logLevel, `use one of ${LOG_LEVELS.join(", ")}`);
  check(typeof env.app.debug === "boolean", f("app.debug"), env.app.debug, "use true or false");
  check(typeof env.importExisting === "boolean", f("importExisting"), env.importExisting, "use true or false");
  check(typeof env.deletionProtection === "boolean", f("deletionProtection"), env.deletionProtection, "use true or false");

  const { minInstances, maxInstances, concurrency } = env.scaling;
  check(int(minInstances, 0, 100), f("scaling.minInstances"), minInstances, "use an integer from 0 to 100");
  check(int(maxInstances, Math.max(1, minInstances), 1000), f("scaling.maxInstances"), maxInstances, `use an integer from ${Math.max(1, minInstances)} (at least minInstances) to 1000`);
  check(int(concurrency, 1, 1000), f("scaling.concurrency"), concurrency, "use an integer from 1 to 1000");

  check(REGION.test(env.registry.location), f("registry.location"), env.registry.location, "use a GCP region such as \"us-east4\"");
  check(ARTIFACT_REPOSITORY.test(env.registry.repository), f("registry.repository"), env.registry.repository, "an Artifact Registry repository id has lowercase letters, digits and hyphens");

  check(WORKLOAD_IDENTITY_ID.test(env.ci.workloadIdentityPool), f("ci.workloadIdentityPool"), env.ci.workloadIdentityPool, "a pool id has 4-32 lowercase letters, digits or hyphens");
  check(WORKLOAD_IDENTITY_ID.test(env.ci.workloadIdentityProvider), f("ci.workloadIdentityProvider"), env.ci.workloadIdentityProvider, "a provider id has 4-32 lowercase letters, digits or hyphens");
  for (const field of ["workloadIdentityPool", "workloadIdentityProvider"] as const) {
    const id = env.ci[field];
    check(!id.startsWith(RESERVED_POOL_PREFIX), f(`ci.${field}`), id, `the prefix "${RESERVED_POOL_PREFIX}" is reserved by Google; use an id such as "github-pool" or "github-oidc"`);
  }
  check(SERVICE_ACCOUNT_ID.test(env.ci.deployerAccountId), f("ci.deployerAccountId"), env.ci.deployerAccountId, "a service account id has 6-30 lowercase letters, digits or hyphens and starts with a letter");
  const planner = env.ci.plannerAccountId;
  check(SERVICE_ACCOUNT_ID.test(planner), f("ci.plannerAccountId"), planner, "a service account id has 6-30 lowercase letters, digits or hyphens and starts with a letter");
  check(
    planner !== env.ci.deployerAccountId,
    f("ci.plannerAccountId"),
    planner,
    `it is ci.deployerAccountId too, which would give pull requests the deployer's rights; use an id of its own, such as "github-planner-${env.name}"`,
  );

  const { approval } = env;
  check(int(approval.requiredPullRequestApprovals, 0, 10), f("approval.requiredPullRequestApprovals"), approval.requiredPullRequestApprovals, "use an integer from 0 to 10");
  gateProblems(env, problems);

  for (const [key, value] of Object.entries(env.labels)) {
    check(LABEL_KEY.test(key), f(`labels key`), key, "a GCP label key has up to 63 lowercase letters, digits, '_' or '-' and starts with a letter");
    check(LABEL_VALUE.test(value), f(`labels.${key}`), value, "a GCP label value has up to 63 lowercase letters, digits, '_' or '-'");
    check(key !== "environment" && key !== "service", f(`labels key`), key, "\"environment\" and \"service\" are set by the app; remove it");
  }
}

/** Records the problems of `env.approval.gate`: a gate only gates if nobody it stops can become the deployer. */
function gateProblems(env: EnvironmentConfig, problems: Problems): void {
  const check = problems.check.bind(problems);
  const f = (field: string) => `environments.${env.name}.approval.gate${field}`;
  const gate = env.approval.gate;
  if (gate.kind === "none") return;
  if (gate.kind !== "reviewers") {
    check(false, f(".kind"), (gate as { kind: unknown }).kind, "use \"none\" (applies run unapproved) or \"reviewers\" (applies wait for a reviewer in a GitHub environment)");
    return;
  }
  const { githubEnvironment, unattended, reviewers } = gate;
  const teams = gate.reviewerTeamIds ?? [];
  check(GITHUB_ENVIRONMENT.test(githubEnvironment), f(".githubEnvironment"), githubEnvironment, "use letters, digits, '.', '_' or '-'");
  check(GITHUB_ENVIRONMENT.test(unattended.githubEnvironment), f(".unattended.githubEnvironment"), unattended.githubEnvironment, "use letters, digits, '.', '_' or '-'");
  check(
    unattended.githubEnvironment !== githubEnvironment,
    f(".unattended.githubEnvironment"),
    unattended.githubEnvironment,
    `it is the gated environment too, so builds would wait for a reviewer and hold the deployer's variables; use another name, such as "${env.name}-ci"`,
  );
  const builder = unattended.builderAccountId;
  check(SERVICE_ACCOUNT_ID.test(builder), f(".unattended.builderAccountId"), builder, "a service account id has 6-30 lowercase letters, digits or hyphens and starts with a letter");
  check(
    builder !== env.ci.deployerAccountId,
    f(".unattended.builderAccountId"),
    builder,
    `it is ci.deployerAccountId too, which would give ungated jobs the deployer's rights; use an account id of its own, such as "github-builder-${env.name}"`,
  );
  check(
    builder !== env.ci.plannerAccountId,
    f(".unattended.builderAccountId"),
    builder,
    `it is ci.plannerAccountId too, which would give pull requests the builder's rights; use an account id of its own, such as "github-builder-${env.name}"`,
  );
  for (const login of reviewers) {
    check(GITHUB_LOGIN.test(login), f(".reviewers"), login, "use a GitHub login: 1-39 letters, digits or single hyphens, not starting or ending with a hyphen");
  }
  check(new Set(reviewers.map((l) => l.toLowerCase())).size === reviewers.length, f(".reviewers"), reviewers, "name each reviewer once (logins are case-insensitive)");
  for (const id of teams) check(Number.isSafeInteger(id) && id > 0, f(".reviewerTeamIds"), id, "use numeric GitHub team ids (positive integers)");
  const count = reviewers.length + teams.length;
  check(
    count > 0,
    f(".reviewers"),
    reviewers,
    `GitHub environment "${githubEnvironment}" gates applies but has no reviewer, so GitHub would run them unapproved; add at least one GitHub login`,
  );
  check(count <= MAX_REVIEWERS, f(".reviewers"), reviewers, `GitHub allows at most ${MAX_REVIEWERS} required reviewers per environment (logins and teams together)`);
}
