/**
 * The rollback of one environment, "Option 1" of the deployment diagrams:
 * restore the tfvars file as it was at an earlier ref (`npm run rollback`),
 * then publish it exactly as the build phases publish new images, so the
 * rollback reaches the stacks through the same applies, gates and issues.
 */
import { imageUpdateConcurrency, phaseWorkflowFile, phaseWorkflowName, rollbackWorkflowName, title, type Context } from "./context";
import { stepOutputs, type Job, type Step, type Workflow } from "./model";
import { publishPermissions, publishTfvars } from "./publish";
import { failureReportJob } from "./report";
import { authenticate, checkoutRepository, installNode, RUN_URL } from "./steps";
import { TOOLCHAIN } from "./toolchain";

/** The `workflow_dispatch` input naming the git ref whose images to restore. */
export const ROLLBACK_REF_INPUT = "ref";

/**
 * A rollback replaces both image updates (phases 1 and 3), so it leads to
 * what follows each of them: the services apply and the gateway apply. Each
 * plans first and applies nothing when its stack already matches.
 */
const APPLY_PHASES = [2, 4] as const;

/**
 * What `ref` may look like: a commit, tag, `origin/<branch>` or `HEAD~N`.
 * Nothing git could read as an option (a leading `-`), no whitespace, quotes,
 * `$` or `:`, so the value is also safe to print in messages and workflow commands.
 */
const REF_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._/~^-]*$";
const REF_MAX_LENGTH = 200;

/** The "Rollback - <Env>" workflow of `ctx.env`, started by hand with the ref to restore. */
export function rollbackWorkflow(ctx: Context): Workflow {
  const { env } = ctx;
  return {
    name: rollbackWorkflowName(env),
    on: {
      workflowDispatch: {
        inputs: {
          [ROLLBACK_REF_INPUT]: {
            description: `Git ref whose ${env.name} images to restore: a commit SHA, a tag, HEAD~N (HEAD is the tip of ${env.branch}) or origin/<branch>`,
            required: true,
            type: "string",
          },
        },
      },
    },
    permissions: {},
    jobs: {
      rollback: rollbackJob(ctx),
      report: failureReportJob(ctx, ["rollback"], {
        title: `❌ ${title(env)} rollback failed`,
        outcome: "A rollback failed",
        details: [`- Ref: \`\${{ inputs.${ROLLBACK_REF_INPUT} }}\``],
        gateway: false,
      }),
    },
  };
}

/** The checked ref: `commit` is its short SHA. */
const REF = stepOutputs("ref", ["commit"]);

function rollbackJob(ctx: Context): Job {
  const { env } = ctx;
  // The input reaches scripts only as $REF: an expression spliced into a script would run whatever it holds.
  const ref = { REF: `\${{ inputs.${ROLLBACK_REF_INPUT} }}` };
  const checkRef: Step = {
    name: "Check the ref",
    id: REF.id,
    env: ref,
    run: [
      `if [[ ! "$REF" =~ ${REF_PATTERN} ]] || (( \${#REF} > ${REF_MAX_LENGTH} )); then`,
      '  echo "::error::The ref input must be a commit SHA, a tag, HEAD~N or origin/<branch>: letters, digits and . _ / ~ ^ -, starting with a letter or digit."',
      "  exit 1",
      "fi",
      'if ! commit="$(git rev-parse --verify --quiet "$REF^{commit}")"; then',
      `  echo "::error::$REF is not a commit of this repository (branches are origin/<name>; HEAD is the tip of ${env.branch})."`,
      "  exit 1",
      "fi",
      'echo "commit=${commit:0:7}" >> "$GITHUB_OUTPUT"',
      "",
    ].join("\n"),
  };
  const restore: Step = {
    name: `Restore the ${env.name} images of the ref`,
    workingDirectory: ctx.infra,
    env: ref,
    run: [
      `npm run -s rollback -- --env ${env.name} --to "$REF" | tee "$RUNNER_TEMP/rollback.txt"`,
      // What a person checks (and, in a pull request environment, what the PR's diff shows too).
      `{ echo "### Rollback of ${env.name}"; echo; echo '\`\`\`'; cat "$RUNNER_TEMP/rollback.txt"; echo '\`\`\`'; } >> "$GITHUB_STEP_SUMMARY"`,
      "",
    ].join("\n"),
  };
  const applies = APPLY_PHASES.map((p) => `**${phaseWorkflowName(env, p)}**`).join(" and ");
  const publish = publishTfvars(ctx, {
    message: `rollback(${env.name}): images of \${{ inputs.${ROLLBACK_REF_INPUT} }} (${REF.expr("commit")})`,
    pullRequestBranch: `rollback/${env.name}`,
    pullRequestBody: [
      `Restores the images of \`\${{ inputs.${ROLLBACK_REF_INPUT} }}\` (${REF.expr("commit")}), started by @\${{ github.actor }} in ${RUN_URL}; its summary lists every image change.`,
      "",
      `Merging starts ${applies}: each plans, then waits for approval in the GitHub environment \`${ctx.ci.environmentOf.deploy}\` before it applies.`,
      `**${phaseWorkflowName(env, 3)}** then rebuilds the gateway from the merged commit if its inputs changed since the restored image's commit, and opens a fresh gateway pull request: close it, or it undoes a rollback of the gateway.`,
    ].join("\n"),
    gateway: false,
  });
  return {
    name: ctx.byPullRequest ? "Propose the images of the ref" : "Commit the images of the ref",
    runsOn: TOOLCHAIN.runner,
    // Signed in as the unattended account (read access to the registry): the command checks each restored image still exists.
    environment: ctx.ci.environmentOf.unattended,
    permissions: ctx.byPullRequest ? { ...publishPermissions(ctx), idToken: "write" } : { ...publishPermissions(ctx), actions: "write", idToken: "write" },
    // The group of the build phases' image updates: a rollback waits for one in progress, never interleaves with it.
    concurrency: imageUpdateConcurrency(env),
    timeoutMinutes: 15,
    steps: [
      // Full history: the ref may be any earlier commit, and the commit is rebased onto what landed meanwhile.
      checkoutRepository(env.branch, { fetchDepth: 0 }),
      // Before npm ci: a bad ref fails in seconds, and before any dependency script runs.
      checkRef,
      ...installNode(ctx.infra),
      ...authenticate(),
      restore,
      publish,
      ...(ctx.byPullRequest ? [] : [startApplies(ctx)]),
    ],
  };
}

/**
 * Where image updates are committed directly, the build phases' applies
 * follow by `workflow_run`, and the job token's push starts nothing. The
 * rollback starts them by `workflow_dispatch` (which the job token may do,
 * given `actions: write`) rather than joining their `workflow_run` triggers:
 * a dispatched services apply is what the gateway build already skips (its
 * start condition), whereas one chained to the rollback would rebuild the
 * gateway from the deploy branch and undo the rollback of its image.
 * Both start even when nothing was committed, so a rollback whose apply
 * failed can simply be run again.
 */
function startApplies(ctx: Context): Step {
  const { env } = ctx;
  return {
    name: `Start ${APPLY_PHASES.map((p) => phaseWorkflowName(env, p)).join(" and ")}`,
    // On the default branch, like the runs workflow_run starts: same workflow files, same GitHub environment policy;
    // their plan jobs check out the deploy branch, which now holds the rollback.
    env: { GH_TOKEN: "${{ github.token }}", DEFAULT_BRANCH: ctx.github.defaultBranch },
    run: [
      ...APPLY_PHASES.map((p) => `gh workflow run ${phaseWorkflowFile(env, p)} --repo "$GITHUB_REPOSITORY" --ref "$DEFAULT_BRANCH"`),
      `echo "Started ${APPLY_PHASES.map((p) => `**${phaseWorkflowName(env, p)}**`).join(" and ")}; each applies only what its plan changes." >> "$GITHUB_STEP_SUMMARY"`,
      "",
    ].join("\n"),
  };
}
