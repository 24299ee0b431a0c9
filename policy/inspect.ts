/**
 * Read-only views of the construct tree that rules share: the environment a
 * construct deploys to, and a resource's configuration as it is written to
 * `cdk.tf.json` (snake_case keys, tokens resolved to `${…}` expressions,
 * overrides applied). Rules read the emitted form, so an escape hatch such as
 * `addOverride` cannot hide a violation.
 */
import type { IConstruct } from "constructs";
import { CloudRunService } from "../constructs/cloud-run-service";
import type { EnvironmentConfig } from "../environments/types";
import { DefaultTokenResolver, StringConcat, TerraformStack, TerraformVariable, Tokenization, type TerraformResource } from "../lib/cdk";
import { EnvironmentStack } from "../stacks/environment-stack";

const RESOLVER = new DefaultTokenResolver(new StringConcat());

/** A resource's emitted attributes, or plain JSON below them. */
export type Attributes = Record<string, any>;

/** The configuration of the environment whose stack holds `node`, if any. */
export function environmentOf(node: IConstruct): EnvironmentConfig | undefined {
  const stack = node.node.scopes.find((scope): scope is EnvironmentStack => scope instanceof EnvironmentStack);
  return stack?.environment;
}

/** Resolves `value` (a token, or JSON holding tokens) in the stack of `scope`. */
export function resolveIn(scope: IConstruct, value: unknown): any {
  // `preparing: false`: resolving must not register cross-stack references.
  return Tokenization.resolve(value, { scope, preparing: false, resolver: RESOLVER });
}

/** Attributes already resolved in the current policy pass; see {@link withAttributeCache}. */
let cache: WeakMap<TerraformResource, Attributes> | undefined;

/**
 * Runs `check` with `attributesOf` answering from `memo`. Resolving a
 * resource is the dearest part of a rule, and rules ask again for the same
 * resources (every Cloud Run service's account, once per service): one
 * resolution per resource and pass instead. The pack starts a fresh `memo`
 * for each pass, so a tree changed between synths is read anew.
 */
export function withAttributeCache<T>(memo: WeakMap<TerraformResource, Attributes>, check: () => T): T {
  const outer = cache;
  cache = memo;
  try {
    return check();
  } finally {
    cache = outer;
  }
}

/** `resource` as written to `cdk.tf.json`; empty for a resource moved away. */
export function attributesOf(resource: TerraformResource): Attributes {
  const known = cache?.get(resource);
  if (known !== undefined) return known;
  const attributes = resolvedAttributes(resource);
  cache?.set(resource, attributes);
  return attributes;
}

function resolvedAttributes(resource: TerraformResource): Attributes {
  const block = resource.toTerraform().resource?.[resource.terraformResourceType] ?? {};
  const attributes = Object.values(block)[0] ?? {};
  const { "//": _metadata, ...rest } = resolveIn(resource, attributes) as Attributes;
  return rest;
}

/** The containers of a Cloud Run v2 service's template. */
export function containersOf(attributes: Attributes): Attributes[] {
  return attributes.template?.containers ?? [];
}

/**
 * The regular expressions that validation blocks of variable `name` (in the
 * stack of `node`) check it against with `can(regex("…", var.name))`, read
 * back from the HCL string literal, whose backslashes are doubled.
 */
export function variablePatterns(node: IConstruct, name: string): string[] {
  const variable = TerraformStack.of(node)
    .node.findAll()
    .find((c): c is TerraformVariable => c instanceof TerraformVariable && c.friendlyUniqueId === name);
  return (variable?.validation ?? []).flatMap(({ condition }) => {
    const match = /regex\("((?:[^"\\]|\\.)*)",\s*var\.([\w-]+)\)/.exec(String(condition));
    return match !== null && match[2] === name ? [match[1].replace(/\\(["\\])/g, "$1")] : [];
  });
}

/**
 * The CloudRunService of this app that a Cloud Run IAM resource with service
 * name `name` grants on: the same environment, and `name` either the service's
 * Cloud Run name or a reference to its `name` attribute in the same stack.
 */
export function grantedService(grant: IConstruct, name: string): CloudRunService | undefined {
  const env = environmentOf(grant);
  const stack = TerraformStack.of(grant);
  return grant.node.root.node
    .findAll()
    .filter((c): c is CloudRunService => c instanceof CloudRunService)
    .find(
      (service) =>
        environmentOf(service)?.name === env?.name &&
        (service.name === name || (TerraformStack.of(service) === stack && resolveIn(stack, service.service.name) === name)),
    );
}
