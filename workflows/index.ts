/**
 * Every workflow file of `.github/workflows/`, generated from the environment
 * model: `npm run workflows` writes them, and a test fails when a committed
 * file differs from what this produces.
 */
import { SERVICES, type ServiceDefinition } from "../catalog";
import { validateAppImages, validateGithub } from "../constructs/github/validate";
import { ENVIRONMENTS } from "../environments";
import { GITHUB, type GithubConfig } from "../environments/github";
import type { EnvironmentConfig } from "../environments/types";
import { driftWorkflow } from "./drift";
import type { WorkflowFile } from "./model";
import { pipelineWorkflows } from "./pipeline";
import { pullRequestWorkflow } from "./pull-request";
import { renderWorkflow } from "./render";

export type { DispatchInput, Job, Permissions, Step, Triggers, Workflow, WorkflowFile, WorkflowRole } from "./model";
export { phaseWorkflowFile, phaseWorkflowName, rollbackWorkflowFile, rollbackWorkflowName, type Phase } from "./pipeline";
export { ROLLBACK_REF_INPUT } from "./rollback";
export { DRIFT_SCHEDULE, DRIFT_STACK_KINDS, DRIFT_WORKFLOW_FILE, driftIssueTitles, driftTargets } from "./drift";
export { GENERATED_HEADER, renderWorkflow, toGithubObject } from "./render";
export { ACTIONS, SECRETS, TOOLCHAIN } from "./toolchain";

/** What the workflows are generated from. */
export interface WorkflowSources {
  /** @default ENVIRONMENTS */
  readonly environments?: readonly EnvironmentConfig[];
  /** @default GITHUB */
  readonly github?: GithubConfig;
  /** @default SERVICES */
  readonly catalog?: readonly ServiceDefinition[];
}

/** The workflow models, pull-request workflow first, then each environment's phases in order and its rollback, then the drift detection. */
export function workflowFiles(sources: WorkflowSources = {}): WorkflowFile[] {
  const environments = sources.environments ?? ENVIRONMENTS;
  const github = sources.github ?? GITHUB;
  const catalog = sources.catalog ?? SERVICES;
  validateGithub(github, environments);
  validateAppImages(github, catalog);
  return [
    pullRequestWorkflow(environments),
    ...environments.flatMap((env) => pipelineWorkflows(env, github, catalog)),
    driftWorkflow(environments, github),
  ];
}

/** File name -> file text of every generated workflow. */
export function generateWorkflows(sources: WorkflowSources = {}): Map<string, string> {
  return new Map(workflowFiles(sources).map((w) => [w.file, renderWorkflow(w.workflow)]));
}
