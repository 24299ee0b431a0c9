import { SERVICES, type ServiceDefinition } from "../catalog";
import type { EnvironmentConfig, ReviewerGate } from "../environments";
import { Testing, type TerraformStack } from "../lib/cdk";
import { imageRepositoryPath, imageVariableName } from "../lib/naming";
import { defineEnvironment, type EnvironmentStacks } from "../stacks";

/** A valid image map for `env`: every deployable at tag `tag`. */
export function imagesFor(env: EnvironmentConfig, tag = "v1.2.3-abc1234"): Map<string, string> {
  return new Map(SERVICES.map((s) => [imageVariableName(s.name), `${imageRepositoryPath(env, s.image)}:${tag}`]));
}

/** Both stacks of `env`, built in a fresh test app. */
export function buildStacks(env: EnvironmentConfig, images = imagesFor(env)): EnvironmentStacks {
  return defineEnvironment(Testing.app(), { environment: env, images });
}

/** A stack synthesized to a string (for the cdktf matchers) and parsed (for direct assertions). */
export function synth(stack: TerraformStack): { text: string; json: TerraformJson } {
  const text = Testing.synth(stack);
  return { text, json: JSON.parse(text) as TerraformJson };
}

/** The parts of a synthesized stack the tests read. */
export interface TerraformJson {
  readonly terraform: { backend?: Record<string, Record<string, unknown>>; required_providers: Record<string, unknown> };
  readonly resource: Record<string, Record<string, Record<string, any>>>;
  readonly variable?: Record<string, Record<string, any>>;
  readonly output?: Record<string, { value: unknown; description?: string }>;
  readonly data?: Record<string, unknown>;
  readonly import?: unknown[];
}

/** The resources of one type, by Terraform name. */
export function resourcesOf(json: TerraformJson, type: string): Record<string, Record<string, any>> {
  return json.resource[type] ?? {};
}

/** A copy of `env` with some fields replaced (deeply for nested objects given in full). */
export function withEnv(env: EnvironmentConfig, patch: Partial<EnvironmentConfig>): EnvironmentConfig {
  return { ...env, ...patch };
}

/**
 * A copy of `env` behind a reviewer gate: its own gate, or one named after
 * the environment (`<env>`, `<env>-ci`, `github-builder-<env>`, reviewer
 * `Peleke`), with `patch` applied.
 */
export function withGate(env: EnvironmentConfig, patch: Partial<Omit<ReviewerGate, "kind">> = {}): EnvironmentConfig {
  const own = env.approval.gate;
  const base: ReviewerGate =
    own.kind === "reviewers"
      ? own
      : {
          kind: "reviewers",
          githubEnvironment: env.name,
          reviewers: ["Peleke"],
          preventSelfReview: false,
          unattended: { githubEnvironment: `${env.name}-ci`, builderAccountId: `github-builder-${env.name}` },
        };
  return withEnv(env, { approval: { ...env.approval, gate: { ...base, ...patch } } });
}

/** A copy of `env` without an approval gate. */
export function ungated(env: EnvironmentConfig): EnvironmentConfig {
  return withEnv(env, { approval: { ...env.approval, gate: { kind: "none" } } });
}

/** A new backend, `notes-service`, as a person would add it: the bare required fields, with `patch` applied. */
export function notesService(patch: Partial<ServiceDefinition> = {}): ServiceDefinition {
  return {
    name: "notes-service",
    image: "notes_service",
    build: { dockerfile: "notes_service/Dockerfile", context: ".", inputs: ["notes_service/"] },
    port: 8080,
    stack: "services",
    env: {},
    secretEnv: [],
    calls: [],
    ...patch,
  };
}
