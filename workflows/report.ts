/** The jobs that open issues when a phase fails, and when an approved apply succeeds. */
import { PIPELINE_LABELS } from "../lib/github";
import { rollbackWorkflowName, type Context } from "./context";
import type { Job, Step } from "./model";
import { openIssue, RUN_URL } from "./steps";
import { TOOLCHAIN } from "./toolchain";

function issueBody(ctx: Context, outcome: string): string {
  return [
    `${outcome} in **\${{ github.workflow }}** (${ctx.env.name}).`,
    "",
    `- Run: ${RUN_URL}`,
    "- Commit: ${{ needs.plan.outputs.sha || github.sha }}",
    "- Started by: @${{ github.actor }} (${{ github.event_name }})",
  ].join("\n");
}

/** `deployment,<env>[,gateway],<outcome>`; a failure in a gated environment is also `critical`, as today in production. */
function issueLabels(ctx: Context, gateway: boolean, outcome: string): string[] {
  const critical = outcome === PIPELINE_LABELS.failure && ctx.ci.gated ? [PIPELINE_LABELS.critical] : [];
  return [PIPELINE_LABELS.deployment, ctx.env.name, ...(gateway ? [PIPELINE_LABELS.gateway] : []), outcome, ...critical];
}

/** Issues after an apply phase: on failure always; on success where a person approved the apply. */
export function reportJob(ctx: Context, needs: string[], subject: string, gateway: boolean, details: readonly string[] = []): Job {
  const failed = "contains(needs.*.result, 'failure')";
  const applied = "needs.apply.result == 'success'";
  const steps: Step[] = [
    openIssue({
      name: "Open a failure issue",
      if: failed,
      title: `❌ ${subject} failed`,
      labels: issueLabels(ctx, gateway, PIPELINE_LABELS.failure),
      body: `${[issueBody(ctx, "A deployment failed"), ...details].join("\n")}\n\nTo roll back, run **${rollbackWorkflowName(ctx.env)}** with the last good commit (README, "Rollback").`,
    }),
  ];
  if (ctx.ci.gated) {
    steps.push(
      openIssue({
        name: "Open a success issue",
        if: applied,
        title: `✅ ${subject}`,
        labels: issueLabels(ctx, gateway, PIPELINE_LABELS.success),
        body: issueBody(ctx, "An approved deployment was applied"),
      }),
    );
  }
  return {
    name: "Report",
    runsOn: TOOLCHAIN.runner,
    needs,
    if: `always() && (${ctx.ci.gated ? `${failed} || ${applied}` : failed})`,
    permissions: { issues: "write" },
    timeoutMinutes: 5,
    steps,
  };
}

/** What a failure issue of a workflow without an apply says, beyond the run and who started it. */
export interface FailureIssue {
  /** Issue title, e.g. `❌ Staging image build failed`. */
  readonly title: string;
  /** Sentence start naming what failed: `An image build failed`. */
  readonly outcome: string;
  /** More list items for the body, e.g. the ref a rollback was asked for. */
  readonly details?: readonly string[];
  /** Adds the `gateway` label. */
  readonly gateway: boolean;
}

/** The failure issue of a workflow that applies nothing itself: the build phases and the rollbacks. */
export function failureReportJob(ctx: Context, needs: string[], issue: FailureIssue): Job {
  const failed = "contains(needs.*.result, 'failure')";
  return {
    name: "Report",
    runsOn: TOOLCHAIN.runner,
    needs,
    if: `always() && ${failed}`,
    permissions: { issues: "write" },
    timeoutMinutes: 5,
    steps: [
      openIssue({
        name: "Open a failure issue",
        if: failed,
        title: issue.title,
        labels: issueLabels(ctx, issue.gateway, PIPELINE_LABELS.failure),
        body: [
          `${issue.outcome} in **\${{ github.workflow }}** (${ctx.env.name}).`,
          "",
          `- Run: ${RUN_URL}`,
          ...(issue.details ?? []),
          "- Started by: @${{ github.actor }} (${{ github.event_name }})",
        ].join("\n"),
      }),
    ],
  };
}
