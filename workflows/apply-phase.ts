/** Phases 2 and 4: plan one stack unattended, then apply the saved plan behind the environment's gate. */
import type { ServiceDefinition } from "../catalog";
import { backendConfigFile, stackName, urlOutputName, type StackKind } from "../lib/naming";
import { DEPLOY_COMMIT_ARTIFACT, DEPLOY_COMMIT_FILE } from "./build-phase";
import { phaseWorkflowName, stackConcurrency, startCondition, title, triggers, type Context } from "./context";
import type { Job, Step, Workflow } from "./model";
import { autoRollback, gatewayFailureDetails, recordHealthyJob, restoreHealthyJob, serviceHealthCheck, servingFacts, servingOutputs } from "./health";
import { APPLY_PLAN, REVISION, showPlanSummary } from "./plan-summary";
import { reportJob } from "./report";
import { authenticate, checkoutRepository, installNode, setupTofu, stackDir, synth, synthesizedStackDir, tofuInit } from "./steps";
import { ACTIONS, TOOLCHAIN } from "./toolchain";

/** Applies wait this long for a state lock another apply (or a person) holds. */
const LOCK_TIMEOUT = "5m";
/** A saved plan outlives its run only long enough for someone to approve it. */
const PLAN_RETENTION_DAYS = 3;

/** Phases 2 and 4: plan one stack unattended, then apply the saved plan in the deploy environment. */
export function applyPhase(ctx: Context, phase: 2 | 4, kind: StackKind, deployables: readonly ServiceDefinition[]): Workflow {
  const { env } = ctx;
  const stack = stackName(env, kind);
  const dir = stackDir(ctx.infra, stack);
  const backend = env.backend.mode === "partial" ? backendConfigFile(env) : undefined;
  const artifact = `plan-${stack}`;
  const gateway = phase === 4;
  const gateways = gateway ? deployables : [];
  const rollsBack = gateway && autoRollback(ctx);

  // What phase 3 builds the gateway from: the commit this run planned (and applies).
  const recordCommit: Step[] = gateway
    ? []
    : [
        { name: "Write down the planned commit", env: { SHA: REVISION.expr("sha") }, run: `echo "$SHA" > "$RUNNER_TEMP/${DEPLOY_COMMIT_FILE}"\n` },
        {
          name: "Keep the planned commit for the gateway build",
          uses: ACTIONS.uploadArtifact,
          with: { name: DEPLOY_COMMIT_ARTIFACT, path: `\${{ runner.temp }}/${DEPLOY_COMMIT_FILE}`, "retention-days": PLAN_RETENTION_DAYS, "if-no-files-found": "error" },
        },
      ];

  const plan: Job = {
    name: `Plan ${stack}`,
    runsOn: TOOLCHAIN.runner,
    if: startCondition(ctx, phase),
    environment: ctx.ci.environmentOf.unattended,
    // pull-requests: read finds the allow-destroy label where the environment protects its resources.
    // actions: read finds the last good ref of a gated gateway (health.ts).
    permissions: {
      contents: "read",
      idToken: "write",
      ...(env.deletionProtection ? { pullRequests: "read" as const } : {}),
      ...(gateway && ctx.ci.gated ? { actions: "read" as const } : {}),
    },
    timeoutMinutes: 20,
    outputs: { changes: APPLY_PLAN.expr("changes"), sha: REVISION.expr("sha"), ...(gateway ? servingOutputs(ctx) : {}) },
    steps: [
      // The branch, not the triggering commit: a workflow_run job's own ref is the default branch.
      checkoutRepository(env.branch),
      { name: "Record the commit", id: REVISION.id, run: 'echo "sha=$(git rev-parse HEAD)" >> "$GITHUB_OUTPUT"\n' },
      ...installNode(ctx.infra),
      synth(ctx.infra),
      setupTofu(),
      ...authenticate(),
      ...(gateway ? servingFacts(ctx, gateways[0]) : []),
      tofuInit(dir, backend),
      {
        // <env>.auto.tfvars in the stack folder is loaded without -var-file.
        // -lock=false: where deploys are gated this job runs as the builder, which may read the state but not write
        // the lock object. Nothing is lost: the apply job takes the lock, and OpenTofu refuses a saved plan whose
        // state changed since it was made, so a plan made during another apply can never be applied.
        name: "tofu plan",
        id: APPLY_PLAN.id,
        workingDirectory: dir,
        run: [
          "set +e",
          "tofu plan -lock=false -input=false -detailed-exitcode -out=plan.tfplan",
          "code=$?",
          "set -e",
          // -detailed-exitcode: 0 no changes, 1 error, 2 changes.
          'case "$code" in',
          '  0) echo "changes=false" >> "$GITHUB_OUTPUT" ;;',
          '  2) echo "changes=true" >> "$GITHUB_OUTPUT" ;;',
          '  *) exit "$code" ;;',
          "esac",
          "",
        ].join("\n"),
      },
      // What the approver reads before approving; fails the job on a protected replace or destroy.
      showPlanSummary(ctx, stack),
      {
        // The whole folder but the provider cache: config, tfvars, backend file, lock file, plan.
        name: "Keep the saved plan for the apply job",
        if: `${APPLY_PLAN.ref("changes")} == 'true'`,
        uses: ACTIONS.uploadArtifact,
        with: {
          name: artifact,
          path: `${dir}\n!${dir}/.terraform\n`,
          "include-hidden-files": true,
          "retention-days": PLAN_RETENTION_DAYS,
          "if-no-files-found": "error",
        },
      },
      ...recordCommit,
    ],
  };

  const healthCheck: Step[] = gateway
    ? [
        {
          name: "Health check",
          workingDirectory: ctx.infra,
          id: "health",
          run: [
            `url="$(tofu -chdir=${synthesizedStackDir(stack)} output -raw ${urlOutputName(gateways[0].name)})"`,
            `npm run -s health-check -- --url "$url" --path ${healthPathOf(gateways[0])} --tries 3 --delay 10s`,
            "",
          ].join("\n"),
        },
      ]
    : [serviceHealthCheck(ctx, stack, deployables)];
  const apply: Job = {
    name: `Apply ${stack}`,
    runsOn: TOOLCHAIN.runner,
    needs: ["plan"],
    // Nothing to apply, nothing to approve.
    if: "needs.plan.outputs.changes == 'true'",
    environment: ctx.ci.environmentOf.deploy,
    permissions: { contents: "read", idToken: "write" },
    timeoutMinutes: 30,
    ...(gateway ? { outputs: { health: "${{ steps.health.outcome }}" } } : {}),
    steps: [
      // The health checks run ops commands.
      checkoutRepository("${{ needs.plan.outputs.sha }}"),
      ...installNode(ctx.infra),
      { name: "Fetch the saved plan", uses: ACTIONS.downloadArtifact, with: { name: artifact, path: dir } },
      setupTofu(),
      ...authenticate(),
      tofuInit(dir, backend),
      // Exactly the plan the approver saw; OpenTofu refuses it if the state moved since.
      { name: "tofu apply", workingDirectory: dir, run: `tofu apply -input=false -lock-timeout=${LOCK_TIMEOUT} plan.tfplan\n` },
      ...healthCheck,
    ],
  };

  const subject = gateway ? `${title(env)} gateway deployment` : `${title(env)} deployment`;
  return {
    name: phaseWorkflowName(env, phase),
    on: triggers(ctx, phase),
    permissions: {},
    // Per stack: a run's plan, approval and apply end before the next run plans; nothing is cancelled.
    concurrency: stackConcurrency(stack),
    jobs: {
      plan,
      apply,
      ...(rollsBack ? { record: recordHealthyJob(ctx, gateways[0]), rollback: restoreHealthyJob(ctx, gateways[0]) } : {}),
      report: reportJob(ctx, ["plan", "apply", ...(rollsBack ? ["record", "rollback"] : [])], subject, gateway, gateway ? gatewayFailureDetails(ctx) : []),
    },
  };
}

/** The path the pipeline checks after a deploy: the catalog's, never a default. */
function healthPathOf(service: ServiceDefinition): string {
  if (service.healthPath === undefined) throw new Error(`catalog "${service.name}".healthPath: undefined is not valid; a public service needs the health path the pipeline checks after each deploy`);
  return service.healthPath;
}
