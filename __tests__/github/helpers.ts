import type { GithubConfig } from "../../environments/github";
import { GITHUB } from "../../environments/github";
import type { EnvironmentConfig } from "../../environments/types";
import { Testing } from "../../lib/cdk";
import { GithubStack } from "../../stacks/github-stack";

/** A GitHub stack built in a fresh test app. */
export function githubStack(environments: readonly EnvironmentConfig[], github: GithubConfig = GITHUB): GithubStack {
  return new GithubStack(Testing.app(), "github", { environments, github });
}

/** The stack synthesized: text for the cdktf matchers, JSON for direct reads. */
export function synthGithub(stack: GithubStack): { text: string; resources: Record<string, Record<string, Record<string, any>>> } {
  const text = Testing.synth(stack);
  return { text, resources: (JSON.parse(text) as { resource: Record<string, Record<string, Record<string, any>>> }).resource };
}

/** Warnings added anywhere in the stack (cdktf keeps annotations in node metadata; Testing.synth does not return them). */
export function warningsOf(stack: GithubStack): string[] {
  return stack.node
    .findAll()
    .flatMap((c) => c.node.metadata)
    .filter((m) => m.type === "@cdktf/warn")
    .map((m) => String(m.data));
}

/** `env` with some approval settings replaced. */
export function withApproval(env: EnvironmentConfig, approval: Partial<EnvironmentConfig["approval"]>): EnvironmentConfig {
  return { ...env, approval: { ...env.approval, ...approval } };
}

/** A step of a generated workflow file, as the assertions read it (GitHub's own spelling). */
export interface YamlStep {
  name: string;
  id?: string;
  if?: string;
  uses?: string;
  with?: Record<string, unknown>;
  run?: string;
  env?: Record<string, string>;
  "working-directory"?: string;
}

/** A job of a generated workflow file. */
export interface YamlJob {
  name: string;
  needs?: string[];
  if?: string;
  environment?: string;
  permissions: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  outputs?: Record<string, string>;
  steps: YamlStep[];
}
