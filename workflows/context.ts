/** Names, triggers and conditions shared by the phase workflows of one environment. */
import type { GithubConfig } from "../environments/github";
import type { EnvironmentConfig } from "../environments/types";
import type { CiTopology } from "../lib/ci";
import { ENVIRONMENTS_FOLDER, TFVARS_SUFFIX } from "../lib/naming";
import type { Concurrency, Triggers } from "./model";

/** The phases, in order. */
export type Phase = 1 | 2 | 3 | 4;

/** `Staging`, from `staging`. */
export function title(env: EnvironmentConfig): string {
  return env.name.charAt(0).toUpperCase() + env.name.slice(1);
}

/** The workflow name of a phase, as in the diagrams: `Tofu Apply - Gateway (Staging)`. */
export function phaseWorkflowName(env: EnvironmentConfig, phase: Phase): string {
  const t = title(env);
  return { 1: `Deploy to ${t}`, 2: `Tofu Apply - ${t}`, 3: `Deploy Gateway to ${t}`, 4: `Tofu Apply - Gateway (${t})` }[phase];
}

/** The file of a phase under `.github/workflows/`: `tofu-apply-gateway-staging.yml`. */
export function phaseWorkflowFile(env: EnvironmentConfig, phase: Phase): string {
  return { 1: `deploy-${env.name}.yml`, 2: `tofu-apply-${env.name}.yml`, 3: `deploy-gateway-${env.name}.yml`, 4: `tofu-apply-gateway-${env.name}.yml` }[phase];
}

/** The hand-started rollback of an environment's images: `Rollback - Staging`. */
export function rollbackWorkflowName(env: EnvironmentConfig): string {
  return `Rollback - ${title(env)}`;
}

/** The rollback's file under `.github/workflows/`: `rollback-staging.yml`. */
export function rollbackWorkflowFile(env: EnvironmentConfig): string {
  return `rollback-${env.name}.yml`;
}

/**
 * The group of every run of one stack's apply phase: plan, approval and
 * apply of one run finish before the next run plans, and none is cancelled.
 * GitHub keeps one pending run per group; a newer one replaces a pending run
 * that has not started, which loses nothing, since every run plans the
 * deploy branch's tip and so holds the replaced run's changes.
 */
export function stackConcurrency(stack: string): Concurrency {
  return { group: `tofu-${stack}`, cancelInProgress: false };
}

/**
 * Every job that writes an environment's tfvars file (the image updates of
 * phases 1 and 3, the rollback) runs in this one group: two never edit and
 * push (or propose) it at once, so a rollback cannot interleave with an image
 * update and end up half applied. Queued, never cancelled half-way.
 */
export function imageUpdateConcurrency(env: EnvironmentConfig): Concurrency {
  return { group: `image-updates-${env.name}`, cancelInProgress: false };
}

/**
 * Every environment tfvars file, from the repository root: a push that
 * changes only these moves images (the pipeline's own commits), it does not
 * ask for new ones.
 */
export function tfvarsGlob(github: GithubConfig): string {
  return `${github.infraDirectory}/${ENVIRONMENTS_FOLDER}/*${TFVARS_SUFFIX}`;
}

/** What every phase of one environment is generated from. */
export interface Context {
  readonly env: EnvironmentConfig;
  readonly github: GithubConfig;
  /** The GitHub environments the jobs run in, from the approval gate. */
  readonly ci: CiTopology;
  readonly byPullRequest: boolean;
  /** This project's folder in the repository (`infra`): npm, synth and tofu run there. */
  readonly infra: string;
}

/** How phase `phase` starts; every phase can also be started by hand. */
export function triggers(ctx: Context, phase: Phase): Triggers {
  const { env } = ctx;
  if (phase === 1) return { push: { branches: [env.branch], pathsIgnore: [tfvarsGlob(ctx.github)] }, workflowDispatch: true };
  if (phase === 3 || !ctx.byPullRequest) return { workflowRun: { workflows: [phaseWorkflowName(env, (phase - 1) as Phase)] }, workflowDispatch: true };
  return { push: { branches: [env.branch] }, workflowDispatch: true };
}

/** The condition of a phase's first job: the previous phase succeeded (or a person started this one). */
export function startCondition(ctx: Context, phase: Phase): string | undefined {
  const on = triggers(ctx, phase);
  if (on.workflowRun === undefined) return undefined;
  const succeeded = "github.event.workflow_run.conclusion == 'success'";
  // A hand-started apply (e.g. after a rollback) must not rebuild the gateway from the branch's tip.
  const chained = phase === 3 ? ` && github.event.workflow_run.event != 'workflow_dispatch'` : "";
  return `github.event_name != 'workflow_run' || (${succeeded}${chained})`;
}
