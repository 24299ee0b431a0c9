/**
 * Bad environment values a person could write, each rejected with the field,
 * the value and the fix; and the closest valid values (the limits), accepted.
 */
import { production, staging, validateEnvironment, type EnvironmentConfig, type ReviewerGate } from "../../environments";
import { isEnvironmentName } from "../../environments/validate";
import { ungated, withEnv, withGate } from "../helpers";
import { errorOf as error } from "./error-of";

/** A copy of `base` with the value at the dotted `path` replaced. */
function withValue(base: EnvironmentConfig, path: string, value: unknown): EnvironmentConfig {
  const copy = structuredClone(base) as Record<string, any>;
  const keys = path.split(".");
  const last = keys.pop()!;
  keys.reduce((node, key) => node[key], copy)[last] = value;
  return copy as EnvironmentConfig;
}

/** The message validateEnvironment throws for `env`. */
const errorOf = (env: EnvironmentConfig): string => error(() => validateEnvironment(env), "the environment was accepted");

const x = (n: number, c = "a") => c.repeat(n);

const PROJECT_ID_FIX = "a GCP project id has 6-30 lowercase letters, digits or hyphens and starts with a letter";
const SUFFIX_FIX = 'use "" or "-" followed by lowercase letters or digits, such as "-staging"';
const BUCKET_FIX = "a GCS bucket name has 3-63 lowercase letters, digits, '.', '_' or '-'";
const ACCOUNT_FIX = "a service account id has 6-30 lowercase letters, digits or hyphens and starts with a letter";
const BOOLEAN_FIX = "use true or false";

/** [dotted path, base, accepted values, rejected values, fix]. */
const FIELDS: [string, EnvironmentConfig, unknown[], unknown[], string][] = [
  ["project.id", staging, ["abcdef", x(30), "my-proj-1"], ["abcde", x(31), "mindmirror-69!", "!mindmirror-69", "1mindmirror", "mindmirror-", "MindMirror", ""], PROJECT_ID_FIX],
  [
    "project.number",
    staging,
    ["100000", `1${x(18, "0")}`],
    ["99999", `1${x(19, "0")}`, "0123456", "x3858903851", "3858903851x", "3858903851 ", ""],
    "a GCP project number is 6-19 digits, as a string",
  ],
  [
    "region",
    staging,
    ["us-east4", "europe-west10", "me-central1"],
    ["us-east0", "us-east100", "us-east4!", "!us-east4", "us-east", "useast4", "US-EAST4", "us-east4-a", "us--east4", ""],
    'use a GCP region such as "us-east4" or "europe-west1"',
  ],
  [
    "branch",
    staging,
    ["main", "m", "release/1.2", "feature/x-y_Z", "a.lockx", "lock", x(100)],
    ["-main", "a..b", "main..x", "a//b", "main//x", "main.lock", "main/", "main.", "a b", "main~1", "main!", "!main", x(101), ""],
    'use a git branch name such as "staging" or "main" (no spaces, "..", or leading "-")',
  ],
  ["naming.serviceSuffix", staging, ["", "-staging", "-a-b2"], ["staging", "-", "-Staging", "-staging!", "!-staging", "-staging-", "--staging"], SUFFIX_FIX],
  ["naming.accountSuffix", staging, ["", "-production", "-x9"], ["production", "-", "-prod!", "x-prod", "-prod-"], SUFFIX_FIX],
  [
    "backend.mode",
    staging,
    ["complete", "partial"],
    ["full", "Complete", ""],
    'use "complete" (plain tofu init) or "partial" (tofu init -backend-config=<env>.backend.hcl)',
  ],
  ["backend.bucket", staging, ["abc", x(63), "a.b_c-d", "0ab"], ["ab", x(64), "-abc", "abc-", "Abc", "abc!", "!abc", ""], BUCKET_FIX],
  [
    "backend.prefix",
    staging,
    ["envs", "envs/staging", "A_b.c-d/e/f"],
    ["/envs", "envs/", "envs//staging", "envs staging", "envs/staging!", "!envs", ""],
    "use path segments without leading or trailing '/', such as \"envs/staging\"",
  ],
  [
    "backend.managedBucket.location",
    staging,
    ["US", "US-EAST4", "NAM4", "EUR4", "U"],
    ["us-east4", "US-", "-US", "4US", "US EAST", "US!", "!US", "US--EAST", ""],
    'use a GCS location in upper case, such as "US-EAST4", "US" or "NAM4"',
  ],
  ["app.logLevel", staging, ["DEBUG", "INFO", "WARNING", "ERROR"], ["TRACE", "debug", ""], "use one of DEBUG, INFO, WARNING, ERROR"],
  ["app.debug", staging, [true, false], ["true", 1, null], BOOLEAN_FIX],
  ["importExisting", staging, [true, false], ["false", 0], BOOLEAN_FIX],
  ["deletionProtection", staging, [true, false], ["true", 1], BOOLEAN_FIX],
  // With room above: a minimum past its own bound is the only problem, not also the maximum below it.
  ["scaling.minInstances", { ...staging, scaling: { ...staging.scaling, maxInstances: 1000 } }, [0, 1, 4, 100], [-1, 101, 500, 1.5], "use an integer from 0 to 100"],
  ["scaling.maxInstances", staging, [1, 4, 1000], [0, 1001, 2.5], "use an integer from 1 (at least minInstances) to 1000"],
  ["scaling.concurrency", staging, [1, 1000], [0, 1001, 2.5], "use an integer from 1 to 1000"],
  ["registry.location", staging, ["us-east4", "europe-west1"], ["us-east4 ", " us-east4", "us"], 'use a GCP region such as "us-east4"'],
  [
    "registry.repository",
    staging,
    ["ab", x(63), "my-repo2"],
    ["a", x(64), "1repo", "repo-", "Repo", "repo!", "!repo", "my_repo", ""],
    "an Artifact Registry repository id has lowercase letters, digits and hyphens",
  ],
  ["ci.workloadIdentityPool", staging, ["abcd", x(32), "github-pool"], ["abc", x(33), "1pool", "pool-", "pool!", "!pool", "Pool"], "a pool id has 4-32 lowercase letters, digits or hyphens"],
  ["ci.workloadIdentityProvider", staging, ["abcd", x(32)], ["abc", x(33), "github-oidc!", "!github-oidc"], "a provider id has 4-32 lowercase letters, digits or hyphens"],
  ["ci.plannerAccountId", staging, ["abcdef", x(30), "plan-1"], ["abcde", x(31), "1abcdef", "abcdef-", "github-planner!", "!github-planner", "Github-planner"], ACCOUNT_FIX],
  ["ci.deployerAccountId", staging, ["abcdef", x(30), "deploy-1"], ["abcde", x(31), "1abcdef", "abcdef-", "github-actions!", "!github-actions", "Github-actions"], ACCOUNT_FIX],
  ["approval.gate.unattended.builderAccountId", production, ["abcdef", x(30)], ["abcde", x(31), "builder-", "github-builder!", "!github-builder"], ACCOUNT_FIX],
  ["deployOrder", staging, [0, 1000], [-1, 1001, 1.5], "use an integer from 0 to 1000; environments are listed in this order"],
  ["approval.requiredPullRequestApprovals", staging, [0, 10], [-1, 11, 1.5], "use an integer from 0 to 10"],
  ["approval.gate.githubEnvironment", production, ["production", "a", x(255), "Prod_1.x-y"], ["", x(256), "prod env", "prod/x", "prod!", "!prod"], "use letters, digits, '.', '_' or '-'"],
  [
    "approval.gate.unattended.githubEnvironment",
    production,
    ["production-ci", "a", x(255), "Prod_1.x-y"],
    ["", x(256), "prod ci", "prod/ci", "prod-ci!", "!prod-ci"],
    "use letters, digits, '.', '_' or '-'",
  ],
];

describe("environment validation", () => {
  it("accepts staging and production as committed", () => {
    expect(() => validateEnvironment(staging)).not.toThrow();
    expect(() => validateEnvironment(production)).not.toThrow();
  });

  describe.each(FIELDS)("%s", (path, base, good, bad, fix) => {
    it.each(good.map((v) => [v]))("accepts %j", (value) => {
      expect(() => validateEnvironment(withValue(base, path, value))).not.toThrow();
    });
    it.each(bad.map((v) => [v]))("fails if it is %j", (value) => {
      expect(errorOf(withValue(base, path, value))).toBe(`environments.${base.name}.${path}: ${JSON.stringify(value)} is not valid; ${fix}`);
    });
  });

  describe("name", () => {
    it.each(["qa", "staging2", x(20)])("accepts %j", (name) => {
      expect(() => validateEnvironment({ ...staging, name })).not.toThrow();
    });
    it.each(["s", x(21), "staging!", "!staging", "Staging", "2stage", "sta-ging", ""])("fails if it is %j", (name) => {
      expect(errorOf({ ...staging, name })).toBe(
        `environments.<env>.name: ${JSON.stringify(name)} is not valid; use 2-20 lowercase letters or digits, starting with a letter`,
      );
    });
  });

  describe("scaling limits that depend on each other", () => {
    it("accepts maxInstances equal to minInstances", () => {
      expect(() => validateEnvironment({ ...staging, scaling: { ...staging.scaling, minInstances: 100, maxInstances: 100 } })).not.toThrow();
    });
    it("fails if maxInstances is below minInstances, naming minInstances as the lower bound", () => {
      expect(errorOf({ ...staging, scaling: { ...staging.scaling, minInstances: 5, maxInstances: 4 } })).toBe(
        "environments.staging.scaling.maxInstances: 4 is not valid; use an integer from 5 (at least minInstances) to 1000",
      );
    });
  });

  describe("approval gate", () => {
    const gated = (patch: Partial<ReviewerGate>) => withGate(production, patch);

    it("accepts no gate, and a gate of up to 6 reviewers, logins and teams together", () => {
      expect(() => validateEnvironment(ungated(production))).not.toThrow();
      expect(() => validateEnvironment(gated({ reviewers: ["a"], reviewerTeamIds: [] }))).not.toThrow();
      expect(() => validateEnvironment(gated({ reviewers: [], reviewerTeamIds: [7] }))).not.toThrow();
      expect(() => validateEnvironment(gated({ reviewers: ["a", "b", "c"], reviewerTeamIds: [1, 2, 3] }))).not.toThrow();
    });

    it("fails if users and teams together are more than GitHub's 6", () => {
      expect(errorOf(gated({ reviewers: ["a", "b", "c", "d"], reviewerTeamIds: [5, 6, 7] }))).toBe(
        'environments.production.approval.gate.reviewers: ["a","b","c","d"] is not valid; GitHub allows at most 6 required reviewers per environment (logins and teams together)',
      );
      expect(errorOf(gated({ reviewers: ["a", "b", "c", "d", "e", "f", "g"] }))).toMatch(/approval\.gate\.reviewers: .* GitHub allows at most 6/);
    });

    it("fails if a gate has nobody to approve, since GitHub would then run applies unapproved", () => {
      expect(errorOf(gated({ reviewers: [], reviewerTeamIds: [] }))).toBe(
        'environments.production.approval.gate.reviewers: [] is not valid; GitHub environment "production" gates applies but has no reviewer, so GitHub would run them unapproved; add at least one GitHub login',
      );
      expect(errorOf(gated({ reviewers: [] }))).toMatch(/approval\.gate\.reviewers: \[\] is not valid; GitHub environment "production" gates applies but has no reviewer/);
    });

    it.each(["-peleke", "peleke-", "pe--leke", "pe leke", "pe_leke", x(40), "", "peleke!"])("fails if a reviewer login is %j", (login) => {
      expect(errorOf(gated({ reviewers: [login] }))).toBe(
        `environments.production.approval.gate.reviewers: ${JSON.stringify(login)} is not valid; use a GitHub login: 1-39 letters, digits or single hyphens, not starting or ending with a hyphen`,
      );
    });

    it.each(["a", "Peleke", "pe-le-ke", x(39), "0"])("accepts the reviewer login %j", (login) => {
      expect(() => validateEnvironment(gated({ reviewers: [login] }))).not.toThrow();
    });

    it("fails if a reviewer is named twice, in any case", () => {
      expect(errorOf(gated({ reviewers: ["Peleke", "peleke"] }))).toBe(
        'environments.production.approval.gate.reviewers: ["Peleke","peleke"] is not valid; name each reviewer once (logins are case-insensitive)',
      );
    });

    it.each([0, -1, 1.5, Number.MAX_SAFE_INTEGER + 1])("fails if a team id is %j", (id) => {
      expect(errorOf(gated({ reviewerTeamIds: [id] }))).toBe(
        `environments.production.approval.gate.reviewerTeamIds: ${JSON.stringify(id)} is not valid; use numeric GitHub team ids (positive integers)`,
      );
    });

    it("fails if builds would run in the gated GitHub environment", () => {
      expect(errorOf(gated({ unattended: { githubEnvironment: "production", builderAccountId: "github-builder-production" } }))).toBe(
        'environments.production.approval.gate.unattended.githubEnvironment: "production" is not valid; it is the gated environment too, ' +
          'so builds would wait for a reviewer and hold the deployer\'s variables; use another name, such as "production-ci"',
      );
    });

    it("fails if the gate is of an unknown kind", () => {
      const unknown = withEnv(production, { approval: { ...production.approval, gate: { kind: "manual" } as unknown as ReviewerGate } });
      expect(errorOf(unknown)).toBe(
        'environments.production.approval.gate.kind: "manual" is not valid; use "none" (applies run unapproved) or "reviewers" (applies wait for a reviewer in a GitHub environment)',
      );
    });

    it("fails if the builder is the deployer", () => {
      expect(errorOf(gated({ unattended: { githubEnvironment: "production-ci", builderAccountId: production.ci.deployerAccountId } }))).toBe(
        'environments.production.approval.gate.unattended.builderAccountId: "github-actions-production" is not valid; it is ci.deployerAccountId too, ' +
          `which would give ungated jobs the deployer's rights; use an account id of its own, such as "github-builder-production"`,
      );
    });

    it("fails if the planner is the deployer", () => {
      expect(errorOf({ ...staging, ci: { ...staging.ci, plannerAccountId: staging.ci.deployerAccountId } })).toBe(
        'environments.staging.ci.plannerAccountId: "github-actions-staging" is not valid; it is ci.deployerAccountId too, ' +
          'which would give pull requests the deployer\'s rights; use an id of its own, such as "github-planner-staging"',
      );
    });
  });

  describe("labels", () => {
    const labelled = (labels: Record<string, string>) => ({ ...staging, labels });

    it.each<Record<string, string>>([{}, { a: "" }, { [x(63)]: x(63) }, { team_x: "core-1" }, { t: "a_b-c9" }])("accepts %j", (labels) => {
      expect(() => validateEnvironment(labelled(labels))).not.toThrow();
    });

    it.each(["1a", "A", "a!", "!a", "a b", x(64), ""])("fails if a key is %j", (key) => {
      expect(errorOf(labelled({ [key]: "x" }))).toBe(
        `environments.staging.labels key: ${JSON.stringify(key)} is not valid; a GCP label key has up to 63 lowercase letters, digits, '_' or '-' and starts with a letter`,
      );
    });

    it.each(["X", "a b", "a!", "!a", x(64)])("fails if a value is %j", (value) => {
      expect(errorOf(labelled({ team: value }))).toBe(
        `environments.staging.labels.team: ${JSON.stringify(value)} is not valid; a GCP label value has up to 63 lowercase letters, digits, '_' or '-'`,
      );
    });

    it.each(["environment", "service"])("fails if it sets %j, which the app sets", (key) => {
      expect(errorOf(labelled({ [key]: "x" }))).toBe(`environments.staging.labels key: "${key}" is not valid; "environment" and "service" are set by the app; remove it`);
    });
  });
});

describe("environment values checked beyond their pattern", () => {
  const logs = (accessLogs: { bucket: string; prefix?: string }) =>
    withEnv(staging, { backend: { ...staging.backend, managedBucket: { location: "US-EAST4", accessLogs } } });

  it("checks the state bucket's access logs: their bucket's name, not the state bucket itself, and their prefix", () => {
    expect(() => validateEnvironment(withEnv(staging, { backend: { ...staging.backend, managedBucket: { location: "US-EAST4" } } }))).not.toThrow();
    expect(() => validateEnvironment(logs({ bucket: "logs-bucket", prefix: "tofu-state/staging" }))).not.toThrow();
    expect(errorOf(logs({ bucket: "Logs" }))).toBe(
      "environments.staging.backend.managedBucket.accessLogs.bucket: \"Logs\" is not valid; a GCS bucket name has 3-63 lowercase letters, digits, '.', '_' or '-'",
    );
    expect(errorOf(logs({ bucket: staging.backend.bucket }))).toBe(
      'environments.staging.backend.managedBucket.accessLogs.bucket: "mindmirror-tofu-state" is not valid; logs go to a bucket of their own: a bucket logging into itself logs its own log writes; use a new name such as "<project>-tofu-state-logs"',
    );
    for (const prefix of ["/x", "x/", "a//b", ""]) {
      expect(errorOf(logs({ bucket: "logs-bucket", prefix }))).toBe(
        `environments.staging.backend.managedBucket.accessLogs.prefix: ${JSON.stringify(prefix)} is not valid; use path segments without leading or trailing '/', such as "tofu-state"`,
      );
    }
  });

  it("refuses google in a project id and Google's gcp- prefix on pool and provider ids, anywhere else they are fine", () => {
    expect(errorOf(withEnv(staging, { project: { ...staging.project, id: "my-google-app" } }))).toBe(
      'environments.staging.project.id: "my-google-app" is not valid; GCP does not allow "google" in a project id; use the id the project really has',
    );
    for (const field of ["workloadIdentityPool", "workloadIdentityProvider"] as const) {
      expect(errorOf(withEnv(staging, { ci: { ...staging.ci, [field]: "gcp-pool" } }))).toBe(
        `environments.staging.ci.${field}: "gcp-pool" is not valid; the prefix "gcp-" is reserved by Google; use an id such as "github-pool" or "github-oidc"`,
      );
      expect(() => validateEnvironment(withEnv(staging, { ci: { ...staging.ci, [field]: "pool-gcp-" + "x" } }))).not.toThrow();
    }
  });

  it("refuses a builder that is the planner", () => {
    expect(errorOf(withGate(production, { unattended: { githubEnvironment: "production-ci", builderAccountId: production.ci.plannerAccountId } }))).toBe(
      'environments.production.approval.gate.unattended.builderAccountId: "github-planner-production" is not valid; it is ci.plannerAccountId too, which would give pull requests the builder\'s rights; use an account id of its own, such as "github-builder-production"',
    );
  });

  it("tells environment names from anything else", () => {
    expect(["staging", "qa2"].map(isEnvironmentName)).toEqual([true, true]);
    expect(["Staging", "x", "../etc", 7, undefined].map(isEnvironmentName)).toEqual([false, false, false, false, false]);
  });
});
