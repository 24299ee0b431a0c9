/**
 * Checks that need more than one value at a time: environments against each
 * other (state prefixes, projects, account ids, the state bucket's owner) and
 * the catalog as each environment renders it. Run before any stack is built
 * and before any file named after an environment is read; every problem is
 * collected, then reported at once, one line each.
 */
import type { ServiceDefinition } from "../catalog/types";
import { Problems } from "../lib/errors";
import { builderAccountId } from "../lib/ci";
import { cloudRunName, serviceAccountId } from "../lib/naming";
import type { EnvironmentConfig } from "./types";
import { environmentProblems } from "./validate";
import { TEMPLATE_SEQUENCE } from "../lib/patterns";

/** State kept in the bucket by something other than an environment (the `github` stack). */
export interface OtherState {
  /** Who keeps it, for messages: `the github stack (environments/github.ts state.prefix)`. */
  readonly owner: string;
  readonly bucket: string;
  readonly prefix: string;
}

/** What {@link validateEnvironments} checks the environments against. */
export interface GuardOptions {
  /** The services every environment deploys. */
  readonly catalog: readonly ServiceDefinition[];
  /**
   * Where each environment is defined, for messages about the environment as a
   * whole (`ENVIRONMENT_SOURCES`); called only when such a message is written.
   * @default - `ENVIRONMENTS[<index>]`
   */
  readonly sources?: () => ReadonlyMap<EnvironmentConfig, string>;
  /**
   * Other state in the buckets the environments use.
   * @default - none
   */
  readonly otherStates?: readonly OtherState[];
}

/**
 * Validates every environment on its own and all of them together, with the
 * catalog. Throws a ConfigError, or ConfigErrors listing every problem.
 */
export function validateEnvironments(environments: readonly EnvironmentConfig[], options: GuardOptions): void {
  const problems = new Problems();
  for (const env of environments) environmentProblems(env, problems);
  // Cross checks name environments by their names: only once each name is usable.
  if (problems.count === 0) crossProblems(environments, options, problems);
  problems.throwIfAny();
}

function crossProblems(environments: readonly EnvironmentConfig[], options: GuardOptions, problems: Problems): void {
  let sources: ReadonlyMap<EnvironmentConfig, string> | undefined;
  const sourceOf = (env: EnvironmentConfig) => (sources ??= options.sources?.() ?? new Map()).get(env) ?? `ENVIRONMENTS[${environments.indexOf(env)}]`;
  const f = (env: EnvironmentConfig, field: string) => `environments.${env.name}.${field}`;

  // Names: stacks, files and secrets are named after them.
  const byName = new Map<string, EnvironmentConfig>();
  for (const env of environments) {
    const first = byName.get(env.name);
    if (first === undefined) byName.set(env.name, env);
    else {
      problems.check(false, `${sourceOf(env)} name`, env.name, "give each environment its own name", `is already the name of the environment in ${sourceOf(first)}`);
    }
  }
  if (problems.count > 0) return;

  statePrefixProblems(environments, options.otherStates ?? [], problems);
  managedBucketProblems(environments, problems);

  // Projects: one environment each, unless they say so; then nothing they create may collide.
  const byProject = groupBy(environments, (env) => env.project.id);
  for (const [id, group] of byProject) {
    for (const env of group) {
      const others = group.filter((o) => o !== env).map((o) => o.name);
      const declared = env.project.sharedWith ?? [];
      const missing = others.filter((o) => !declared.includes(o));
      problems.check(
        missing.length === 0,
        f(env, "project.id"),
        id,
        `give each environment its own project, or share it on purpose: list ${missing.join(", ")} in project.sharedWith of ${env.name} (and ${env.name} in theirs)`,
        `is also the project of ${missing.join(", ")}`,
      );
      for (const name of declared) {
        problems.check(others.includes(name), f(env, "project.sharedWith"), name, `list only environments whose project.id is "${id}": ${others.join(", ") || "none"}`, "does not share this project");
      }
      const numbers = new Set(group.map((o) => o.project.number));
      problems.check(numbers.size === 1, f(env, "project.number"), env.project.number, `every environment in project "${id}" must give its one number`, `differs from another environment's number for project "${id}"`);
    }
    collisionProblems(group, options.catalog, problems);
  }
  const byNumber = groupBy(environments, (env) => env.project.number);
  for (const [number, group] of byNumber) {
    const ids = [...new Set(group.map((env) => env.project.id))];
    if (ids.length > 1) {
      for (const env of group.slice(1)) {
        problems.check(false, f(env, "project.number"), number, `a project number belongs to one project id; check ${ids.join(" and ")} in the console`, `is also the number of project "${group[0].project.id}"`);
      }
    }
  }

  catalogTemplateProblems(environments, options.catalog, problems);
}

/** State prefixes overlap when one equals the other or lies beneath it: their stacks would share state. */
function statePrefixProblems(environments: readonly EnvironmentConfig[], others: readonly OtherState[], problems: Problems): void {
  const overlaps = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);
  // Reported on the environment listed first, the one whose prefix came first.
  environments.forEach((env, i) => {
    for (const later of environments.slice(i + 1)) {
      if (later.backend.bucket !== env.backend.bucket || !overlaps(env.backend.prefix, later.backend.prefix)) continue;
      problems.check(false, `environments.${env.name}.backend.prefix`, env.backend.prefix, "give each environment its own prefix, such as \"envs/<name>\"", `overlaps ${later.name}'s ("${later.backend.prefix}")`);
    }
    for (const other of others) {
      if (other.bucket !== env.backend.bucket || !overlaps(env.backend.prefix, other.prefix)) continue;
      problems.check(false, `environments.${env.name}.backend.prefix`, env.backend.prefix, "give each environment a prefix of its own, such as \"envs/<name>\"", `overlaps the state of ${other.owner} ("${other.prefix}")`);
    }
  });
}

/** One foundation manages a bucket; two would fight over its settings and both import it. */
function managedBucketProblems(environments: readonly EnvironmentConfig[], problems: Problems): void {
  for (const [bucket, group] of groupBy(environments, (env) => env.backend.bucket)) {
    const managers = group.filter((env) => env.backend.managedBucket !== undefined);
    for (const env of managers.slice(1)) {
      problems.check(
        false,
        `environments.${env.name}.backend.managedBucket`,
        env.backend.managedBucket,
        `remove it here: one environment manages bucket "${bucket}" (the one whose project holds it), the others only use it`,
        `manages bucket "${bucket}", which ${managers[0].name} already manages`,
      );
    }
  }
}

/** Within one project, every account id, Cloud Run name, registry and pool must belong to one owner. */
function collisionProblems(group: readonly EnvironmentConfig[], catalog: readonly ServiceDefinition[], problems: Problems): void {
  const owners = new Map<string, string>();
  const claim = (kind: string, id: string, owner: string, field: string, env: EnvironmentConfig, fix: string) => {
    const key = `${kind}:${id}`;
    const first = owners.get(key);
    if (first === undefined) owners.set(key, owner);
    else problems.check(false, `environments.${env.name}.${field}`, id, fix, `is also ${first} in project "${env.project.id}"`);
  };
  const ciFix = (env: EnvironmentConfig) => `give each CI account an id of its own, such as "github-actions-${env.name}", never a runtime account's`;
  const suffixFix = "give each environment in a shared project its own naming suffixes";

  for (const env of group) {
    // Runtime accounts first, so a CI id equal to one is reported on the CI field.
    for (const s of catalog) {
      problems.collect(() => claim("account", serviceAccountId(env, s.name), `the runtime account of "${s.name}" in ${env.name}`, "naming.accountSuffix", env, suffixFix));
      problems.collect(() => claim("run", cloudRunName(env, s.name), `the Cloud Run service "${s.name}" of ${env.name}`, "naming.serviceSuffix", env, suffixFix));
    }
  }
  for (const env of group) {
    claim("account", env.ci.deployerAccountId, `the deployer of ${env.name}`, "ci.deployerAccountId", env, ciFix(env));
    const builder = builderAccountId(env);
    if (builder !== undefined) {
      claim("account", builder, `the builder of ${env.name}`, "approval.gate.unattended.builderAccountId", env, `give the builder an id of its own, such as "github-builder-${env.name}"`);
    }
    claim("account", env.ci.plannerAccountId, `the planner of ${env.name}`, "ci.plannerAccountId", env, `give the planner an id of its own, such as "github-planner-${env.name}"`);
    claim("registry", `${env.registry.location}/${env.registry.repository}`, `the registry of ${env.name}`, "registry.repository", env, "each environment's foundation manages its own repository; use another repository id");
    claim("pool", env.ci.workloadIdentityPool, `the Workload Identity pool of ${env.name}`, "ci.workloadIdentityPool", env, "each environment's foundation manages its own pool; use another pool id");
  }
}

/**
 * Catalog values are written into the JSON as they are, and OpenTofu reads
 * `${...}` and `%{...}` in any JSON string as an expression, evaluated on the
 * machine that plans. They are refused rather than escaped: no service needs a
 * literal one, and a refused value cannot be misread in review.
 */
function catalogTemplateProblems(environments: readonly EnvironmentConfig[], catalog: readonly ServiceDefinition[], problems: Problems): void {
  const fix = "OpenTofu would evaluate it on the machine that runs the plan; write the value without ${ or %{ (a secret belongs in secretEnv)";
  for (const service of catalog) {
    const at = `catalog "${service.name}"`;
    const visit = (value: unknown, field: string): void => {
      if (typeof value === "function") {
        // What it renders is checked like any value, whatever its type.
        for (const env of environments) visit((value as (e: EnvironmentConfig) => unknown)(env), `${field} in ${env.name}`);
      } else if (typeof value === "string") {
        problems.check(!TEMPLATE_SEQUENCE.test(value), `${at}.${field}`, value, fix, "holds a template sequence");
      } else if (Array.isArray(value)) {
        value.forEach((item, i) => visit(item, `${field}[${i}]`));
      } else if (value !== null && typeof value === "object") {
        for (const [key, item] of Object.entries(value)) visit(item, `${field}.${key}`);
      }
    };
    for (const [key, value] of Object.entries(service)) visit(value, key);
  }
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}
