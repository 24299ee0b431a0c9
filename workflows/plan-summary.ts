/**
 * How a workflow shows a saved plan: `npm run plan-summary` on its JSON first
 * (the counts, and any stateful replace or destroy by name), the full text
 * after it. The apply phases and the drift detection print plans this way.
 */
import type { EnvironmentConfig } from "../environments/types";
import { ALLOW_DESTROY_LABEL } from "../lib/plan";
import type { Context } from "./context";
import { stepOutputs, type Step } from "./model";
import { synthesizedStackDir } from "./steps";

/** The apply phases' `tofu plan` step: `changes` is `true` when the plan has any. */
export const APPLY_PLAN = stepOutputs("plan", ["changes"]);

/** The apply phases' record of the commit they check out and plan. */
export const REVISION = stepOutputs("revision", ["sha"]);

/** The command line of `plan-summary` for one stack's plan JSON, relative to the repository root. */
export function planSummaryCommand(env: EnvironmentConfig, stack: string, planJson: string, extra = ""): string {
  return `npm run -s plan-summary -- --env ${env.name} --stack ${stack} --file ${planJson}${extra}`;
}

/**
 * The step after `tofu plan` of an apply phase: writes the summary, then the
 * full plan, to the run summary (what the approver reads), and fails the job
 * when `plan-summary` does, so nothing is applied. Where the environment
 * protects its resources (`deletionProtection`), the merged pull request of
 * the planned commit may carry {@link ALLOW_DESTROY_LABEL}; the step asks
 * GitHub, so the job needs `pull-requests: read`.
 */
export function showPlanSummary(ctx: Context, stack: string): Step {
  const lookup = ctx.env.deletionProtection;
  const dir = synthesizedStackDir(stack);
  return {
    name: "Summarize the plan in the run summary",
    if: `${APPLY_PLAN.ref("changes")} == 'true'`,
    workingDirectory: ctx.infra,
    ...(lookup ? { env: { GH_TOKEN: "${{ github.token }}", SHA: REVISION.expr("sha") } } : {}),
    run: [
      `tofu -chdir=${dir} show -json plan.tfplan > "$RUNNER_TEMP/plan.json"`,
      "allow=()",
      ...(lookup
        ? [
            // The pull request whose merge made this commit; a person added the label on purpose.
            `merged="$(gh pr list --repo "$GITHUB_REPOSITORY" --state merged --search "$SHA" --label ${ALLOW_DESTROY_LABEL} --json number --template '{{range .}}{{.number}} {{end}}')"`,
            `if [ -n "$merged" ]; then allow=(--allow ${ALLOW_DESTROY_LABEL}); fi`,
          ]
        : []),
      "set +e",
      `${planSummaryCommand(ctx.env, stack, '"$RUNNER_TEMP/plan.json"', ' "${allow[@]}"')} > "$RUNNER_TEMP/plan-summary.md"`,
      "verdict=$?",
      "set -e",
      `{ cat "$RUNNER_TEMP/plan-summary.md"; echo "<details><summary>Full plan</summary>"; echo; echo '\`\`\`'; tofu -chdir=${dir} show -no-color plan.tfplan; echo '\`\`\`'; echo "</details>"; } >> "$GITHUB_STEP_SUMMARY"`,
      // 1: a protected resource would be replaced or destroyed; the apply job does not start.
      'exit "$verdict"',
      "",
    ].join("\n"),
  };
}
