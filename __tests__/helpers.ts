import { SERVICES } from "../catalog";
import type { EnvironmentConfig } from "../environments";
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
