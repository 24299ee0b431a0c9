/** The jobs that open issues when a phase fails, and when an approved apply succeeds. */
import { PIPELINE_LABELS } from "../constructs/github/settings";
import type { Context } from "./context";
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

function issueLabels(ctx: Context, gateway: boolean, outcome: string): string[] {
  return [PIPELINE_LABELS.deployment, ctx.env.name, ...(gateway ? [PIPELINE_LABELS.gateway] : []), outcome];
}

/** Issues after an apply phase: on failure always; on success where a person approved the apply. */
export function reportJob(ctx: Context, needs: string[], subject: string, gateway: boolean): Job {
  const failed = "contains(needs.*.result, 'failure')";
  const applied = "needs.apply.result == 'success'";
  const steps: Step[] = [
    openIssue({
      name: "Open a failure issue",
      if: failed,
      title: `❌ ${subject} failed`,
      labels: issueLabels(ctx, gateway, PIPELINE_LABELS.failure),
      body: `${issueBody(ctx, "A deployment failed")}\n\nTo roll back, see the README, "Rollback".`,
    }),
  ];
  if (ctx.names.gated) {
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
    if: `always() && (${ctx.names.gated ? `${failed} || ${applied}` : failed})`,
    permissions: { issues: "write" },
    timeoutMinutes: 5,
    steps,
  };
}

/** The failure issue of a build phase. */
export function failureReportJob(ctx: Context, needs: string[], issueTitle: string, gateway: boolean): Job {
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
        title: issueTitle,
        labels: issueLabels(ctx, gateway, PIPELINE_LABELS.failure),
        body: [`An image build failed in **\${{ github.workflow }}** (${ctx.env.name}).`, "", `- Run: ${RUN_URL}`, "- Started by: @${{ github.actor }} (${{ github.event_name }})"].join("\n"),
      }),
    ],
  };
}
