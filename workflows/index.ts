/**
 * Every workflow file of `.github/workflows/`, generated from the environment
 * model: `npm run workflows` writes them, and a test fails when a committed
 * file differs from what this produces.
 */
import { SERVICES, type ServiceDefinition } from "../catalog";
import { validateCatalog } from "../catalog/validate";
import { validateGithub } from "../environments/github-validate";
import { checkEnvironmentFiles, ENVIRONMENTS } from "../environments";
import { GITHUB, type GithubConfig } from "../environments/github";
import type { EnvironmentConfig } from "../environments/types";
import { check } from "../lib/errors";
import { driftWorkflow } from "./drift";
import type { WorkflowFile } from "./model";
import { IGNORE_SCRIPTS } from "./steps";
import { pipelineWorkflows } from "./pipeline";
import { pullRequestWorkflow } from "./pull-request";
import { renderWorkflow } from "./render";

export type { DispatchInput, Job, Permissions, Step, Triggers, Workflow, WorkflowFile, WorkflowRole } from "./model";
export { phaseWorkflowFile, phaseWorkflowName, rollbackWorkflowFile, rollbackWorkflowName, type Phase } from "./pipeline";
export { ROLLBACK_REF_INPUT } from "./rollback";
export { DRIFT_SCHEDULE, DRIFT_STACK_KINDS, DRIFT_WORKFLOW_FILE, driftIssueTitles, driftTargets } from "./drift";
export { GENERATED_HEADER, renderWorkflow, toGithubObject } from "./render";
export { ACTION_PINS, ACTIONS, SECRETS, TOOLCHAIN } from "./toolchain";
export { dependabotConfig, DEPENDABOT_FILE } from "./dependabot";

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
  // The discovered environments are only whole when every file of environments/ made one.
  if (sources.environments === undefined) checkEnvironmentFiles();
  const environments = sources.environments ?? ENVIRONMENTS;
  const github = sources.github ?? GITHUB;
  const catalog = sources.catalog ?? SERVICES;
  validateGithub(github, environments);
  validateCatalog(catalog);
  const files = [
    pullRequestWorkflow(environments, github),
    ...environments.flatMap((env) => pipelineWorkflows(env, github, catalog)),
    driftWorkflow(environments, github),
  ];
  checkCredentialedInstalls(files);
  return files;
}

/** `npm ci`, `npm install` or `npm i` as a command of a script. */
const NPM_INSTALL = /(?:^|[\s;&|(])npm\s+(?:ci|install|i)(?=\s|$)/m;

/**
 * A job that can mint cloud credentials (`id-token: write`) must not run a
 * dependency's install script: every `npm ci` in it carries `--ignore-scripts`.
 * Throws naming the workflow, job and step otherwise.
 */
export function checkCredentialedInstalls(files: readonly WorkflowFile[]): void {
  for (const { file, workflow } of files) {
    for (const [id, job] of Object.entries(workflow.jobs)) {
      if (job.permissions.idToken !== "write") continue;
      for (const step of job.steps) {
        if (step.run === undefined || !NPM_INSTALL.test(step.run) || step.run.includes(IGNORE_SCRIPTS)) continue;
        check(false, `${file} jobs.${id} step "${step.name}"`, step.run.trim(), `this job can mint cloud credentials (id-token: write); add ${IGNORE_SCRIPTS} so no dependency's install script runs there`);
      }
    }
  }
}

/** File name -> file text of every generated workflow. */
export function generateWorkflows(sources: WorkflowSources = {}): Map<string, string> {
  return new Map(workflowFiles(sources).map((w) => [w.file, renderWorkflow(w.workflow)]));
}
