/**
 * Health after an apply, and what happens when it fails.
 *
 * - Phase 2 checks every backend: an HTTP GET of its health path where the
 *   catalog names one, else Cloud Run's own verdict on its TCP startup probe
 *   (the container port cannot be reached from outside Cloud Run): the latest
 *   revision is the ready one. One row per service in the run summary.
 * - Phase 4 records a gateway image that passed its check in
 *   `environments/<env>.healthy.json` (`mark-healthy`), committed to the
 *   deploy branch. Where an environment's applies are not gated, a failed check
 *   restores that image (`restore-healthy`), commits it and starts the gateway
 *   apply again; where they are gated nothing acts alone: the failure issue
 *   names the image that served before and the last good ref to roll back to.
 */
import type { ServiceDefinition } from "../catalog";
import { ACTIONS_VARIABLES } from "../lib/github";
import { cloudRunName, healthyImagesFile, urlOutputName } from "../lib/naming";
import { imageUpdateConcurrency, phaseWorkflowFile, phaseWorkflowName, rollbackWorkflowFile, rollbackWorkflowName, type Context } from "./context";
import { stepOutputs, type Job, type Step } from "./model";
import { publishTfvars, tfvarsPath } from "./publish";
import { checkoutRepository, installNode, RUN_URL, synthesizedStackDir, variable } from "./steps";
import { TOOLCHAIN } from "./toolchain";

/** Health-check attempts and their spacing, as phase 4 has always had. */
const TRIES = 3;
const DELAY = "10s";

/** A failed check rolls back by itself only where no person gates the applies and the job may commit to the branch. */
export function autoRollback(ctx: Context): boolean {
  return !ctx.ci.gated && !ctx.byPullRequest;
}

/** The step ending phase 2: every backend's health, one summary row each; fails if any is unhealthy. */
export function serviceHealthCheck(ctx: Context, stack: string, services: readonly ServiceDefinition[]): Step {
  const dir = synthesizedStackDir(stack);
  const checks = services.map((s) =>
    s.healthPath !== undefined ? `check_http ${cloudRunName(ctx.env, s.name)} ${urlOutputName(s.name)} ${s.healthPath}` : `check_tcp ${cloudRunName(ctx.env, s.name)} ${s.port}`,
  );
  return {
    name: "Health check of every service",
    workingDirectory: ctx.infra,
    env: { PROJECT: variable(ACTIONS_VARIABLES.projectId), REGION: variable(ACTIONS_VARIABLES.region) },
    run: [
      "failed=()",
      'row() { echo "| $1 | $2 | $3 |" >> "$GITHUB_STEP_SUMMARY"; }',
      // name, URL output, path
      "check_http() {",
      `  url="$(tofu -chdir=${dir} output -raw "$2")"`,
      `  if npm run -s health-check -- --url "$url" --path "$3" --tries ${TRIES} --delay ${DELAY}; then row "$1" "HTTP GET $3" healthy; else row "$1" "HTTP GET $3" "**unhealthy**"; failed+=("$1"); fi`,
      "}",
      // name, port: Cloud Run's TCP startup probe on the port decides whether the latest revision becomes ready.
      "check_tcp() {",
      `  state="$(gcloud run services describe "$1" --region "$REGION" --project "$PROJECT" --format='value(status.latestReadyRevisionName,status.latestCreatedRevisionName)' || true)"`,
      '  read -r ready created <<< "$state" || true',
      '  if [ -n "$ready" ] && [ "$ready" = "$created" ]; then row "$1" "TCP :$2 (startup probe)" "healthy ($ready ready)"; else row "$1" "TCP :$2 (startup probe)" "**unhealthy** (latest ${created:-?}, ready ${ready:-none})"; failed+=("$1"); fi',
      "}",
      '{ echo "### Health of the services"; echo; echo "| service | check | result |"; echo "|---|---|---|"; } >> "$GITHUB_STEP_SUMMARY"',
      ...checks,
      'if (( ${#failed[@]} > 0 )); then echo "::error::Unhealthy: ${failed[*]}"; exit 1; fi',
      "",
    ].join("\n"),
  };
}

/** The image the gateway serves before an apply. */
const SERVING = stepOutputs("serving", ["image"]);
/** The commit of the last successful gateway apply (gated environments). */
const LAST_GOOD = stepOutputs("last-good", ["ref"]);
/** The image the gateway rollback restored. */
const RESTORE = stepOutputs("restore", ["image"]);

/**
 * Steps of the phase 4 plan job reading what serves before the apply (and,
 * where applies are gated, the last ref whose gateway run succeeded), for the
 * failure issue. Read-only: the plan job's identity may view Cloud Run; the
 * run list needs `actions: read`.
 */
export function servingFacts(ctx: Context, gateway: ServiceDefinition): Step[] {
  const steps: Step[] = [
    {
      name: "Read the gateway image serving now",
      id: SERVING.id,
      env: { SERVICE: cloudRunName(ctx.env, gateway.name), PROJECT: variable(ACTIONS_VARIABLES.projectId), REGION: variable(ACTIONS_VARIABLES.region) },
      run: [
        `image="$(gcloud run services describe "$SERVICE" --region "$REGION" --project "$PROJECT" --format='value(spec.template.spec.containers[0].image)' 2>/dev/null || true)"`,
        'echo "image=$image" >> "$GITHUB_OUTPUT"',
        "",
      ].join("\n"),
    },
  ];
  if (ctx.ci.gated) {
    steps.push({
      name: "Find the last good ref",
      id: LAST_GOOD.id,
      env: { GH_TOKEN: "${{ github.token }}", WORKFLOW: phaseWorkflowFile(ctx.env, 4) },
      run: [
        // The commit of the last run of this workflow that succeeded: its gateway passed the health check, or needed no change.
        `ref="$(gh run list --repo "$GITHUB_REPOSITORY" --workflow "$WORKFLOW" --status success --limit 1 --json headSha --template '{{range .}}{{.headSha}}{{end}}' || true)"`,
        'echo "ref=$ref" >> "$GITHUB_OUTPUT"',
        "",
      ].join("\n"),
    });
  }
  return steps;
}

/** Outputs of the phase 4 plan job that {@link servingFacts} fills. */
export function servingOutputs(ctx: Context): Record<string, string> {
  return {
    serving: SERVING.expr("image"),
    ...(ctx.ci.gated ? { "last-good": LAST_GOOD.expr("ref") } : {}),
  };
}

/** Where the record of healthy images lives, relative to the repository root. */
export function healthyImagesPath(ctx: Context): string {
  return `${ctx.infra}/environments/${healthyImagesFile(ctx.env)}`;
}

/** After a passing gateway apply: records its image as healthy and commits the record. */
export function recordHealthyJob(ctx: Context, gateway: ServiceDefinition): Job {
  const { env } = ctx;
  const commit = publishTfvars(ctx, { message: `health(${env.name}): ${gateway.name} image passed its health check`, pullRequestBranch: "", pullRequestBody: "", gateway: true });
  return {
    name: `Record the healthy ${gateway.name} image`,
    runsOn: TOOLCHAIN.runner,
    needs: ["plan", "apply"],
    if: "needs.apply.result == 'success'",
    permissions: { contents: "write" },
    // It commits to the deploy branch, like the image updates.
    concurrency: imageUpdateConcurrency(env),
    timeoutMinutes: 10,
    steps: [
      checkoutRepository(env.branch, { fetchDepth: 0 }),
      ...installNode(ctx.infra),
      {
        name: `Record the applied ${gateway.name} image`,
        workingDirectory: ctx.infra,
        env: { SHA: "${{ needs.plan.outputs.sha }}", RUN: RUN_URL, TFVARS: tfvarsPath(ctx) },
        run: [
          // The tfvars of the commit that was planned and applied, not of the branch tip.
          'git show "$SHA:$TFVARS" > "$RUNNER_TEMP/applied.auto.tfvars"',
          `npm run -s mark-healthy -- --env ${env.name} --service ${gateway.name} --tfvars "$RUNNER_TEMP/applied.auto.tfvars" --commit "$SHA" --run "$RUN"`,
          "",
        ].join("\n"),
      },
      // The commit step of the image updates, for the record file instead of the tfvars file.
      { ...commit, env: { ...commit.env, TFVARS: healthyImagesPath(ctx) } },
    ],
  };
}

/** After a failed gateway health check: restores the last healthy image, commits it and starts the gateway apply again. */
export function restoreHealthyJob(ctx: Context, gateway: ServiceDefinition): Job {
  const { env } = ctx;
  const publish = publishTfvars(ctx, { message: `rollback(${env.name}): ${gateway.name} to the last image that passed its health check`, pullRequestBranch: "", pullRequestBody: "", gateway: true });
  return {
    name: `Roll the ${gateway.name} back to its last healthy image`,
    runsOn: TOOLCHAIN.runner,
    needs: ["plan", "apply"],
    if: "always() && needs.apply.outputs.health == 'failure'",
    permissions: { contents: "write", actions: "write" },
    concurrency: imageUpdateConcurrency(env),
    timeoutMinutes: 15,
    outputs: { image: RESTORE.expr("image") },
    steps: [
      checkoutRepository(env.branch, { fetchDepth: 0 }),
      ...installNode(ctx.infra),
      {
        name: `Restore the last healthy ${gateway.name} image`,
        id: RESTORE.id,
        workingDirectory: ctx.infra,
        run: [
          `npm run -s restore-healthy -- --env ${env.name} --service ${gateway.name} | tee "$RUNNER_TEMP/restore.txt"`,
          'line="$(head -n 1 "$RUNNER_TEMP/restore.txt")"',
          'echo "image=${line##* -> }" >> "$GITHUB_OUTPUT"',
          `{ echo "### Rolled back the ${gateway.name}"; echo; echo '\`\`\`'; cat "$RUNNER_TEMP/restore.txt"; echo '\`\`\`'; } >> "$GITHUB_STEP_SUMMARY"`,
          "",
        ].join("\n"),
      },
      publish,
      {
        // The job token's push starts nothing; the dispatched apply plans the restored image and checks it again.
        name: `Apply the ${gateway.name} again`,
        env: { GH_TOKEN: "${{ github.token }}", DEFAULT_BRANCH: ctx.github.defaultBranch },
        run: `gh workflow run ${phaseWorkflowFile(env, 4)} --repo "$GITHUB_REPOSITORY" --ref "$DEFAULT_BRANCH"\n`,
      },
    ],
  };
}

/** Lines the phase 4 failure issue adds: what served, and what was (or can be) rolled back to. */
export function gatewayFailureDetails(ctx: Context): string[] {
  const { env, github } = ctx;
  const lines = ["- Serving before this deploy: `${{ needs.plan.outputs.serving || 'unknown' }}`"];
  if (autoRollback(ctx)) {
    lines.push(
      "- Rolled back to: `${{ needs.rollback.outputs.image || 'nothing: see the run' }}`, the last gateway image that passed its health check " +
        `(\`environments/${healthyImagesFile(env)}\`); **${phaseWorkflowName(env, 4)}** runs again with it.`,
    );
  } else {
    const workflowUrl = `\${{ github.server_url }}/${github.owner}/${github.repository}/actions/workflows/${rollbackWorkflowFile(env)}`;
    lines.push(
      "- Last good ref: `${{ needs.plan.outputs.last-good || 'none found' }}` (the last successful run of this workflow). Nothing was rolled back.",
      `- To roll back: run [**${rollbackWorkflowName(env)}**](${workflowUrl}) with ref \`\${{ needs.plan.outputs.last-good }}\`, or \`gh workflow run ${rollbackWorkflowFile(env)} -f ref=\${{ needs.plan.outputs.last-good }}\`.`,
    );
  }
  return lines;
}
