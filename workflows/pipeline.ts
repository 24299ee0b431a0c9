/**
 * The deployment pipeline of one environment as four workflows, one per phase
 * of the diagrams: build the service images, apply the services stack, build
 * the gateway image with the service URLs, apply the gateway stack. What
 * differs between environments is read from the environment model:
 *
 * - `approval.imageUpdatesByPullRequest`: image updates are committed to the
 *   branch (staging) or proposed as pull requests (production). A commit made
 *   with the job's token starts no workflow, so direct-commit pipelines chain
 *   their apply phases with `workflow_run`; PR pipelines start them on the
 *   push a person's merge makes.
 * - `approval.gate` (through `ciTopology`): behind a reviewer gate, apply jobs
 *   run in its GitHub environment, whose reviewers approve them, as the
 *   deployer, after an ungated plan job whose saved plan is what gets applied;
 *   builds and plans run in the gate's ungated `unattended` environment as the
 *   read-mostly builder; success is recorded in an issue.
 * - `backend.mode`: `partial` adds `-backend-config=<env>.backend.hcl` to init.
 *
 * Beside the phases, a hand-started rollback restores the tfvars file of an
 * earlier ref and publishes it the way the image updates do (`rollback.ts`).
 */
import { servicesOf, type ServiceDefinition } from "../catalog";
import type { GithubConfig } from "../environments/github";
import type { EnvironmentConfig } from "../environments/types";
import { check } from "../lib/errors";
import { ciTopology } from "../lib/ci";
import { applyPhase } from "./apply-phase";
import { buildPhase } from "./build-phase";
import { phaseWorkflowFile, rollbackWorkflowFile, type Context, type Phase } from "./context";
import type { Workflow, WorkflowFile } from "./model";
import { rollbackWorkflow } from "./rollback";

export { phaseWorkflowFile, phaseWorkflowName, rollbackWorkflowFile, rollbackWorkflowName, type Phase } from "./context";

/** The four phase workflows of `env`, in order, then its rollback. */
export function pipelineWorkflows(env: EnvironmentConfig, github: GithubConfig, catalog: readonly ServiceDefinition[]): WorkflowFile[] {
  const ctx: Context = { env, github, ci: ciTopology(env, github), byPullRequest: env.approval.imageUpdatesByPullRequest, infra: github.infraDirectory };
  const services = servicesOf(catalog, "services");
  const gateways = servicesOf(catalog, "gateway");
  check(gateways.length === 1, "catalog gateway services", gateways.map((s) => s.name), "phase 3 builds exactly one gateway image; keep one service with stack \"gateway\"");
  const phases: Array<[Phase, Workflow]> = [
    [1, buildPhase(ctx, 1, services)],
    [2, applyPhase(ctx, 2, "services", services)],
    [3, buildPhase(ctx, 3, gateways)],
    [4, applyPhase(ctx, 4, "gateway", gateways)],
  ];
  return [
    ...phases.map(([phase, workflow]): WorkflowFile => ({ file: phaseWorkflowFile(env, phase), role: { kind: "phase", environment: env.name, phase }, workflow })),
    { file: rollbackWorkflowFile(env), role: { kind: "rollback", environment: env.name }, workflow: rollbackWorkflow(ctx) },
  ];
}
